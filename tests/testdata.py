"""Paths to the test data and a helper to assemble data directories from them.

(Kept out of conftest.py: two conftest modules outside packages clash on ``import conftest``.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"
HOSTILE = FIXTURES / "hostile"
SHIPPED = ROOT / "data"
#: A frozen small dataset (eight decisions) for tests of the code: the shipped data grows with
#: the record, and a test of a filter or a page must not change its answer when a row is added.
SAMPLE = FIXTURES / "sample"


def copy_dataset(source: Path, target: Path, overlay: Path | None = None) -> Path:
    """Copy the CSV tables of ``source`` to ``target``, then the files of ``overlay`` over them;
    an overlay file ``NAME.csv.absent`` removes ``NAME.csv`` instead."""
    target.mkdir(parents=True, exist_ok=True)
    for csv_file in source.glob("*.csv"):
        shutil.copy(csv_file, target / csv_file.name)
    if overlay is not None:
        for f in overlay.glob("*.csv"):
            shutil.copy(f, target / f.name)
        for marker in overlay.glob("*.csv.absent"):
            (target / marker.stem).unlink(missing_ok=True)
    return target


def tree_digest(directory: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``directory`` (hidden ones too) -> (mode, sha256): equal digests mean
    nothing was written, added, removed or re-permissioned."""
    import hashlib  # noqa: PLC0415

    return {
        str(p.relative_to(directory)): (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "")
        for p in sorted(directory.rglob("*"))
    }
