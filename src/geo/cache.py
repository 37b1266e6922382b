"""A columnar cache of the typed tables, so a large dataset loads in a second or two.

The cache is keyed on the data directory's absolute path and fingerprinted on the descriptor
and every table's size and modification time: edit a CSV and the next load validates and
rebuilds it. It lives outside the data directory (``$GEO_CACHE_DIR``, else the user cache
folder), so loading never writes next to the data; when it cannot be written, loading simply
works without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from geo import __version__
from geo.schema import descriptor_path, load_tables
from geo.validate import Problem, Report

FORMAT = 3  # bump when the cached frames change shape


def cache_root() -> Path:
    explicit = os.environ.get("GEO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qantar-map"


def fingerprint(data_dir: Path) -> str:
    descriptor = descriptor_path(data_dir)
    parts = [FORMAT, __version__, pd.__version__, hashlib.sha256(descriptor.read_bytes()).hexdigest()]
    for table in load_tables(data_dir).values():
        path = data_dir / table.path
        stat = path.stat() if path.exists() else None
        parts.append((table.path, stat.st_size, stat.st_mtime_ns) if stat else (table.path, None))
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def slot(data_dir: Path) -> Path:
    return cache_root() / hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]


def read_frame(path: Path) -> pd.DataFrame:
    """One chunk per column: Parquet hands text back in chunks, and picking a table page of rows
    from a chunked column is some thirty times slower."""
    import pyarrow.parquet as pq  # noqa: PLC0415 -- only when a cache exists

    return pq.read_table(path).combine_chunks().to_pandas()


def read(data_dir: Path) -> tuple[dict[str, pd.DataFrame], Report] | None:
    """The cached frames and warnings, or None when there is no fresh cache."""
    where = slot(data_dir)
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
        if meta["fingerprint"] != fingerprint(data_dir):
            return None
        frames = {name: read_frame(where / f"{name}.parquet") for name in meta["tables"]}
    except (OSError, ValueError, KeyError, ImportError):
        return None
    return frames, Report([Problem(**p) for p in meta["warnings"]])


def write(data_dir: Path, frames: dict[str, pd.DataFrame], report: Report) -> None:
    """Store the frames; a failure only means no cache (never a failed load)."""
    where = slot(data_dir)
    staging: Path | None = None
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=where.parent, prefix=".tmp-"))
        for name, frame in frames.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        meta = {"fingerprint": fingerprint(data_dir), "tables": list(frames),
                "warnings": [asdict(p) for p in report.problems]}
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(where, ignore_errors=True)
        os.replace(staging, where)
    except OSError:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
