"""Fixtures shared by the tests: a tiny valid dataset and a copy of the shipped one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from testdata import MINIMAL, SAMPLE, SHIPPED, copy_dataset

# Tests (and the servers they start) keep their columnar cache to themselves.
os.environ["GEO_CACHE_DIR"] = tempfile.mkdtemp(prefix="geo-test-cache-")


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / "data")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    return copy_dataset(SHIPPED, tmp_path / "data")


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    return copy_dataset(SAMPLE, tmp_path / "data")
