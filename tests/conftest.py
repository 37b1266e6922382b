"""Fixtures shared by the tests: a tiny valid dataset and a copy of the shipped one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from testdata import MINIMAL, SAMPLE, SHIPPED, copy_dataset

# Tests (and the servers they start) keep their columnar cache to themselves.
os.environ["GEO_CACHE_DIR"] = tempfile.mkdtemp(prefix="geo-test-cache-")

# Hypothesis: the same examples on every run ("ci", the default), so that a red run is reproducible
# and not a draw; "nightly" searches afresh and wider (HYPOTHESIS_PROFILE=nightly).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("nightly", max_examples=2000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / "data")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    return copy_dataset(SHIPPED, tmp_path / "data")


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    return copy_dataset(SAMPLE, tmp_path / "data")
