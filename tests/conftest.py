"""Shared test fixtures: the shipped data, a tiny valid dataset, and broken variants of it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"
SHIPPED = ROOT / "data"

# Tests (and the servers they start) keep their columnar cache to themselves.
os.environ["GEO_CACHE_DIR"] = tempfile.mkdtemp(prefix="geo-test-cache-")


def copy_dataset(source: Path, target: Path, overlay: Path | None = None) -> Path:
    """Copy the CSV tables of ``source`` to ``target``, then the files of ``overlay`` over them."""
    target.mkdir(parents=True, exist_ok=True)
    for csv_file in source.glob("*.csv"):
        shutil.copy(csv_file, target / csv_file.name)
    if overlay is not None:
        for f in overlay.glob("*.csv"):
            shutil.copy(f, target / f.name)
    return target


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / "data")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    return copy_dataset(SHIPPED, tmp_path / "data")
