"""A columnar cache of the typed tables, so a large dataset loads in a second or two.

The cache is keyed on the data directory's absolute path and fingerprinted on the *content*
(SHA-256) of the descriptor, every table and ``borders.geojson``: a CSV edited in place, with
its size kept and its modification time put back, still rebuilds it (size and mtime can lie;
hashing a 200 MB table takes about a tenth of a second). It lives outside the data directory
(``$GEO_CACHE_DIR``, else the user cache folder), so loading never writes next to the data;
when it cannot be written, loading simply works without it.

A cache is written only after every table validated, so it is also the data directory's *last
good* copy: while the files on disk do not validate, :func:`read_last_good` still hands back the
version that last did (``geo.data.dataset.load_or_last_good``), in a fresh process too. A slot is
a folder of Parquet files and ``meta.json``, which names that folder and is replaced at once
(:mod:`geo.data.atomic`) only once the folder is complete: a reader sees the old copy or the new
one, and a write that fails or is killed leaves the old one in place.

Otherwise a cache is only an optimisation: one that cannot be read, or that reads but does not
hold the tables and columns it recorded (a truncated Parquet file, a meta file from another
version, a swapped table), is deleted and rebuilt from the CSV files, never an error. A data
directory that cannot be fingerprinted (a table replaced by a pipe or a link out of it) leaves
the cache alone: the validator names the problem, and the last good copy stays. A write killed
half-way leaves a staging folder named after its process; the next write removes the staging
folders of processes that no longer run (and any older than a day).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from geo import __version__
from geo.data import safe_files
from geo.data.atomic import write_text_atomic
from geo.data.problems import Problem, Report
from geo.data.schema import DESCRIPTOR, descriptor_path, load_tables

#: Frames the loader derives from the tables, cached beside them.
DERIVED = {"people"}
FORMAT = 5  # bump when the cached frames or the slot's layout change shape
STAGING = ".tmp-"
STALE_SECONDS = 24 * 3600
META = "meta.json"
FOLDER = re.compile(r"v-[0-9a-f]{32}")  # the copy a meta.json names: a plain name, never a path


@dataclass(frozen=True)
class Entry:
    """What a slot holds: one version of a data directory that validated."""

    frames: dict[str, pd.DataFrame]  # the typed tables and the derived frames, by name
    report: Report  # its warnings
    files: dict[str, str]  # table name -> its file in the data directory (for the warnings' rows)
    package: dict[str, Any]  # the descriptor's package-level keys (title, version, licences …)
    validated_at: datetime  # when the tables validated (UTC)


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


def _read_slot(where: Path, meta: dict) -> Entry:
    """The entry ``meta`` describes, checked against what ``meta`` recorded. Raises when the slot
    does not hold it."""
    if meta["format"] != FORMAT or not FOLDER.fullmatch(meta["folder"]):
        raise ValueError("a slot of another format")
    folder = where / meta["folder"]
    frames = {name: read_frame(folder / f"{name}.parquet") for name in meta["tables"]}
    files = dict(meta["files"])
    if set(frames) - DERIVED != set(files) or meta["schemas"] != {n: schema_of(f) for n, f in frames.items()}:
        raise ValueError("the cached tables are not those the cache recorded")
    names = {f.name for f in fields(Problem)}
    warnings = [Problem(**{k: p[k] for k in names if k in p}) for p in meta["warnings"]]
    validated_at = datetime.fromisoformat(meta["validated_at"])
    return Entry(frames, Report(warnings), files, dict(meta["package"]), validated_at)


def _meta(where: Path) -> dict | None:
    if not (where / META).exists():
        return None
    meta = json.loads((where / META).read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise ValueError("meta.json is not an object")
    return meta


def current_fingerprint(data_dir: Path) -> str | None:
    """:func:`fingerprint`, or None for a directory that cannot be fingerprinted (the validator
    names why)."""
    try:
        return fingerprint(data_dir)
    except Exception:
        return None


def read(data_dir: Path, current: str | None = None) -> Entry | None:
    """The cached version of ``data_dir``, or None when there is no fresh, sound cache (fresh: the
    files on disk, whose :func:`fingerprint` is ``current`` unless it is computed here, are by
    content those that validated)."""
    where = slot(data_dir)
    try:
        meta = _meta(where)
    except Exception:
        discard(data_dir)
        return None
    if meta is None:
        return None
    current = current or current_fingerprint(data_dir)
    if current is None:  # the data directory's fault, not the cache's: keep the last good copy
        return None
    if meta.get("fingerprint") != current:
        return None
    try:
        entry = _read_slot(where, meta)
        declared = load_tables(data_dir)
        if set(entry.frames) - DERIVED != set(declared):
            raise ValueError("the cached tables are not those the descriptor declares")
        for name, table in declared.items():
            if missing := set(table.columns) - set(entry.frames[name].columns):
                raise ValueError(f"{name} lacks {sorted(missing)}")
    except Exception:
        discard(data_dir)
        return None
    return entry


def read_last_good(data_dir: Path) -> Entry | None:
    """The last version of ``data_dir`` that validated, whatever the files on disk hold now; None
    when there is none (never loaded, a cache of another format, or one that does not read)."""
    where = slot(data_dir)
    try:
        meta = _meta(where)
        return None if meta is None else _read_slot(where, meta)
    except Exception:
        return None


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


def write(data_dir: Path, entry: Entry, fingerprinted: str) -> None:
    """Store ``entry`` as the cache (and last good copy) of ``data_dir``; a failure only means no
    cache (never a failed load), and the copy stored before stays. ``fingerprinted``: the files'
    :func:`fingerprint` taken *before* they were read, so that an edit made while they were being
    validated is never mistaken for the version that validated."""
    where = slot(data_dir)
    staging: Path | None = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(where.parent)
        staging = Path(tempfile.mkdtemp(dir=where.parent, prefix=f"{STAGING}{os.getpid()}-"))
        folder = f"v-{uuid.uuid4().hex}"
        for name, frame in entry.frames.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        meta = {
            "format": FORMAT,
            "fingerprint": fingerprinted,
            "folder": folder,
            "tables": list(entry.frames),
            "schemas": {name: schema_of(read_frame(staging / f"{name}.parquet")) for name in entry.frames},
            "files": entry.files,
            "package": entry.package,
            "validated_at": entry.validated_at.isoformat(),
            "warnings": [asdict(p) for p in entry.report.problems],
        }
        text = json.dumps(meta, ensure_ascii=False)
        os.replace(staging, where / folder)
        staging = None
        write_text_atomic(where / META, text)  # the one step that switches readers to the new copy
    except (OSError, ValueError, TypeError, safe_files.UnsafeFile):
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return
    _remove_all_but(where, {META, folder})


def _remove_all_but(where: Path, keep: set[str]) -> None:
    """Earlier copies, a folder whose meta.json was never written, a killed write's temporary file."""
    try:
        entries = list(where.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
