"""The columnar cache: same frames as a fresh read, rebuilt after an edit, never inside data/."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from geo.data import cache
from geo.data.dataset import DataError, load_dataset

from robustness_report import record
from testdata import MINIMAL, copy_dataset


def frames(ds):
    return {n: getattr(ds, n) for n in ("locations", "sources", "events", "convictions", "official_stats")}


def test_cached_load_equals_a_fresh_read(sample_copy):
    fresh = load_dataset(sample_copy, use_cache=False)
    load_dataset(sample_copy)  # writes the cache
    assert cache.read(sample_copy) is not None
    cached = load_dataset(sample_copy)
    for name, frame in frames(fresh).items():
        pd.testing.assert_frame_equal(frames(cached)[name], frame, check_exact=True)


def test_an_edit_invalidates_the_cache(sample_copy):
    load_dataset(sample_copy)
    path = sample_copy / "convictions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "kostanay,region,,first,,convicted,unknown,1,", "kostanay,region,,first,,convicted,unknown,2,"
        ),
        encoding="utf-8",
    )
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert cache.read(sample_copy) is None
    ds = load_dataset(sample_copy)
    assert ds.convictions.set_index("case_id").loc["cv-2022-06-24-kostanay", "defendants"] == 2


def test_an_edit_that_breaks_the_data_is_reported_not_served_from_cache(sample_copy):
    load_dataset(sample_copy)
    path = sample_copy / "convictions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2022-07-15", "2022-02-30"), encoding="utf-8")
    with pytest.raises(DataError):
        load_dataset(sample_copy)


def test_loading_writes_nothing_into_the_data_directory(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "data")
    before = sorted(p.name for p in directory.rglob("*"))
    load_dataset(directory)
    load_dataset(directory)
    assert sorted(p.name for p in directory.rglob("*")) == before


def test_an_unwritable_cache_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("GEO_CACHE_DIR", str(blocker / "cache"))
    ds = load_dataset(copy_dataset(MINIMAL, tmp_path / "data"))
    assert len(ds.convictions) == 2


# --- a cache that lies, or lies broken ----------------------------------------------------------


def test_an_edit_that_keeps_size_and_mtime_still_rebuilds_the_cache(sample_copy):
    """An editor (or ``cp --preserve``, ``rsync -t``, a restore) can put the old mtime back."""
    load_dataset(sample_copy)
    path = sample_copy / "convictions.csv"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "kostanay,region,,first,,convicted,unknown,1,", "kostanay,region,,first,,convicted,unknown,2,"
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.read(sample_copy) is None
    ds = load_dataset(sample_copy)
    assert ds.convictions.set_index("case_id").loc["cv-2022-06-24-kostanay", "defendants"] == 2
    record(
        "cache_content_fingerprint",
        edit="same size, mtime restored",
        served="the edited data",
        fingerprint="SHA-256 of descriptor, tables and borders.geojson",
    )


def tamper(where, how: str) -> None:
    import json

    meta_path = where / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if how == "warnings of another version":
        meta["warnings"] = [
            {
                "file": "x.csv",
                "line": 2,
                "column": "c",
                "message": "m",
                "severity": "warning",
                "hint": "a key this version does not know",
            }
        ]
        meta["warnings"][0].pop("file")
    elif how == "a table swapped for another":
        (where / "convictions.parquet").write_bytes((where / "events.parquet").read_bytes())
    elif how == "a table left out":
        meta["tables"].remove("sources")
    elif how == "a truncated parquet file":
        data = (where / "locations.parquet").read_bytes()
        (where / "locations.parquet").write_bytes(data[: len(data) // 2])
    elif how == "a column dropped":
        import pyarrow.parquet as pq

        table = pq.read_table(where / "convictions.parquet")
        pq.write_table(table.drop(["summary"]), where / "convictions.parquet")
    elif how == "meta is not an object":
        meta = ["not", "a", "cache"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize(
    "how",
    [
        "warnings of another version",
        "a table swapped for another",
        "a table left out",
        "a truncated parquet file",
        "a column dropped",
        "meta is not an object",
    ],
)
def test_a_cache_that_reads_but_is_wrong_is_rebuilt_not_a_crash(shipped_copy, how):
    fresh = load_dataset(shipped_copy, use_cache=False)
    load_dataset(shipped_copy)
    tamper(cache.slot(shipped_copy), how)
    for _ in range(2):  # the first load rebuilds it, the second reads the rebuilt cache
        ds = load_dataset(shipped_copy)
        for name, frame in frames(fresh).items():
            pd.testing.assert_frame_equal(frames(ds)[name], frame, check_exact=True)
    assert cache.read(shipped_copy) is not None
    record(f"cache_wrong_{how.replace(' ', '_')}", outcome="rebuilt from the CSV files on the next load")


def test_a_cache_write_killed_half_way_leaves_no_staging_folder_behind(shipped_copy, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    root = cache.cache_root()
    code = (
        "import sys, time, pandas as pd\n"
        "from geo.data.dataset import load_dataset\n"
        "real = pd.DataFrame.to_parquet\n"
        "def slow(self, *a, **k):\n"
        "    real(self, *a, **k); print('writing', flush=True); time.sleep(120)\n"
        "pd.DataFrame.to_parquet = slow\n"
        "load_dataset(sys.argv[1])\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(shipped_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        staging = [p for p in root.iterdir() if p.name.startswith(f"{cache.STAGING}{child.pid}-")]
        assert len(staging) == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert staging[0].exists()  # what a SIGKILL leaves
    started = time.perf_counter()
    load_dataset(shipped_copy)  # the next write cleans up after the dead process
    assert not staging[0].exists()
    assert not [p for p in root.iterdir() if p.name.startswith(cache.STAGING)]
    assert cache.read(shipped_copy) is not None
    record(
        "cache_killed_write",
        staging_left_by_sigkill=1,
        removed_by_next_write=True,
        next_load_seconds=round(time.perf_counter() - started, 2),
    )


def test_a_staging_folder_of_a_live_process_is_left_alone(tmp_path):
    live = tmp_path / f"{cache.STAGING}{os.getpid()}-abc"
    live.mkdir()
    assert cache.remove_stale_staging(tmp_path) == 0 and live.exists()
