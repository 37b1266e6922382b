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


#: The Kostanay verdict's row in the sample's convictions.csv (line 2), up to its number of defendants:
#: ``1`` as frozen, ``"one"`` does not validate (``convictions.csv:2:defendants: not a whole number``),
#: ``2`` is an edit that does. The tests of a data directory whose files stop validating use it.
KOSTANAY_ROW = "kostanay,region,,first,,convicted,unknown,{},"
KOSTANAY_PROBLEM = "convictions.csv:2:defendants: not a whole number: 'one'"


def set_kostanay_defendants(directory: Path, old: object, new: object) -> None:
    """Edit, in place, the number of defendants of the sample's Kostanay verdict in ``directory``."""
    path = directory / "convictions.csv"
    text = path.read_text(encoding="utf-8")
    before, after = KOSTANAY_ROW.format(old), KOSTANAY_ROW.format(new)
    assert text.count(before) == 1, f"{before!r} is not in {path}"
    path.write_text(text.replace(before, after), encoding="utf-8")


#: What an overlay folder may add to a data directory: tables, its own descriptor, its own borders.
OVERLAID = ("*.csv", "*.json", "*.geojson")


def copy_dataset(source: Path, target: Path, overlay: Path | None = None) -> Path:
    """Copy the CSV tables of ``source`` to ``target``, then the files of ``overlay`` over them
    (tables, ``datapackage.json``, ``borders.geojson``); an overlay file ``NAME.csv.absent``
    removes ``NAME.csv`` instead."""
    target.mkdir(parents=True, exist_ok=True)
    for csv_file in source.glob("*.csv"):
        shutil.copy(csv_file, target / csv_file.name)
    if overlay is not None:
        for pattern in OVERLAID:
            for f in overlay.glob(pattern):
                shutil.copy(f, target / f.name)
        for marker in overlay.glob("*.csv.absent"):
            (target / marker.stem).unlink(missing_ok=True)
    return target


def tree_digest(directory: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``directory`` (hidden ones too) -> (mode, sha256 of a regular file, or
    the target of a link): equal digests mean nothing was written, added, removed, re-linked or
    re-permissioned. Links are not followed and pipes and devices not read."""
    import hashlib
    import os
    import stat

    def digest(p: Path) -> tuple[int, str]:
        info = p.lstat()
        if stat.S_ISLNK(info.st_mode):
            return info.st_mode, "-> " + os.readlink(p)
        if stat.S_ISREG(info.st_mode):
            h = hashlib.sha256()
            with open(p, "rb") as fh:
                while chunk := fh.read(2**20):
                    h.update(chunk)
            return info.st_mode, h.hexdigest()
        return info.st_mode, ""

    return {str(p.relative_to(directory)): digest(p) for p in sorted(directory.rglob("*"))}
