"""A columnar cache of the typed tables, so a large dataset loads in a second or two.

The cache is keyed on the data directory's absolute path and fingerprinted on the *content*
(SHA-256) of the descriptor, every table and ``borders.geojson``: a CSV edited in place, with
its size kept and its modification time put back, still rebuilds it (size and mtime can lie;
hashing a 200 MB table takes about a tenth of a second). It lives outside the data directory
(``$GEO_CACHE_DIR``, else the user cache folder), so loading never writes next to the data;
when it cannot be written, loading simply works without it.

A cache is only ever an optimisation: one that cannot be read, or that reads but does not hold
the tables and columns it recorded (a truncated Parquet file, a meta file from another
version, a swapped table), is deleted and rebuilt from the CSV files, never an error. A write
killed half-way leaves a staging folder named after its process; the next write removes the
staging folders of processes that no longer run (and any older than a day).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, fields
from pathlib import Path

import pandas as pd

from geo import __version__
from geo.data import safe_files
from geo.data.schema import DESCRIPTOR, descriptor_path, load_tables
from geo.data.validate import Problem, Report

#: Frames the loader derives from the tables, cached beside them.
DERIVED = {"people"}
FORMAT = 5  # bump when the cached frames change shape
STAGING = ".tmp-"
STALE_SECONDS = 24 * 3600


def cache_root() -> Path:
    explicit = os.environ.get("GEO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qantar-map"


def _content(directory: Path, name: str, limit: int) -> str | None:
    try:
        return safe_files.sha256_inside(directory, name, limit)
    except FileNotFoundError:
        return None


def stat_stamp(directory: Path) -> tuple:
    """Names, sizes, times and inodes of the data files: cheap enough to take on every rerun, so
    that an edited CSV reloads on the next one (:func:`fingerprint`, by content, is what keys the
    cache itself).
    The change time (ctime) is in it because a file edited in place can keep its size and have
    its modification time put back, but every write or ``touch`` sets the ctime to now."""
    if not directory.is_dir():
        return ()
    stamp = []
    for p in directory.iterdir():
        if p.suffix in {".csv", ".json", ".geojson"}:
            try:
                info = p.stat()
            except OSError:  # a link to nothing: the validator names it
                info = p.lstat()
            stamp.append((p.name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return tuple(sorted(stamp))


def fingerprint(data_dir: Path) -> str:
    """SHA-256 over the descriptor, every declared table and ``borders.geojson``, by content.
    Raises (OSError, UnsafeFile, ValueError …) on a directory that cannot be fingerprinted."""
    data_dir = Path(data_dir)
    descriptor = descriptor_path(data_dir)
    own = descriptor.parent.resolve() == data_dir.resolve()
    parts: list = [
        FORMAT,
        __version__,
        pd.__version__,
        _content(data_dir, DESCRIPTOR, safe_files.MAX_DESCRIPTOR_BYTES)
        if own
        else hashlib.sha256(safe_files.read_regular(descriptor, safe_files.MAX_DESCRIPTOR_BYTES)).hexdigest(),
    ]
    for table in load_tables(data_dir).values():
        parts.append((table.path, _content(data_dir, table.path, safe_files.MAX_TABLE_BYTES)))
    parts.append(("borders.geojson", _content(data_dir, "borders.geojson", safe_files.MAX_BORDERS_BYTES)))
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def slot(data_dir: Path) -> Path:
    return cache_root() / hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]


def read_frame(path: Path) -> pd.DataFrame:
    """One chunk per column: Parquet hands text back in chunks, and picking a table page of rows
    from a chunked column is some thirty times slower."""
    import pyarrow.parquet as pq  # noqa: PLC0415 -- only when a cache exists

    return pq.read_table(path).combine_chunks().to_pandas()


def schema_of(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def discard(data_dir: Path) -> None:
    """Remove the cache of ``data_dir`` (it is rebuilt on the next load)."""
    shutil.rmtree(slot(data_dir), ignore_errors=True)


def read(data_dir: Path) -> tuple[dict[str, pd.DataFrame], Report] | None:
    """The cached frames and warnings, or None when there is no fresh, sound cache."""
    where = slot(data_dir)
    if not (where / "meta.json").exists():
        return None
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
        if meta["fingerprint"] != fingerprint(data_dir):
            return None
        frames = {name: read_frame(where / f"{name}.parquet") for name in meta["tables"]}
        declared = load_tables(data_dir)
        if set(frames) - DERIVED != set(declared) or meta["schemas"] != {n: schema_of(f) for n, f in frames.items()}:
            raise ValueError("the cached tables are not those the cache recorded")
        for name, table in declared.items():
            if missing := set(table.columns) - set(frames[name].columns):
                raise ValueError(f"{name} lacks {sorted(missing)}")
        names = {f.name for f in fields(Problem)}
        warnings = [Problem(**{k: p[k] for k in names if k in p}) for p in meta["warnings"]]
    except Exception:
        discard(data_dir)
        return None
    return frames, Report(warnings)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(root: Path) -> int:
    """Remove staging folders of dead processes (or older than a day); returns how many."""
    removed = 0
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(STAGING) or not entry.is_dir() or entry.is_symlink():
            continue
        pid = entry.name[len(STAGING) :].split("-", 1)[0]
        try:
            old = time.time() - entry.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if old or (pid.isdigit() and not _alive(int(pid))):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def write(data_dir: Path, frames: dict[str, pd.DataFrame], report: Report) -> None:
    """Store the frames; a failure only means no cache (never a failed load)."""
    where = slot(data_dir)
    staging: Path | None = None
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(where.parent)
        staging = Path(tempfile.mkdtemp(dir=where.parent, prefix=f"{STAGING}{os.getpid()}-"))
        for name, frame in frames.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        meta = {
            "fingerprint": fingerprint(data_dir),
            "tables": list(frames),
            "schemas": {name: schema_of(read_frame(staging / f"{name}.parquet")) for name in frames},
            "warnings": [asdict(p) for p in report.problems],
        }
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(where, ignore_errors=True)
        os.replace(staging, where)
    except (OSError, ValueError, safe_files.UnsafeFile):
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
