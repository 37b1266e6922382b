"""The columnar cache: same frames as a fresh read, rebuilt after an edit, never inside data/; and
the last good copy a data directory falls back to while its files do not validate."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from geo.data import cache
from geo.data.dataset import DataError, last_good, load_dataset, load_or_last_good
from geo.query.view import DatasetIndex

from robustness_report import record
from testdata import KOSTANAY_PROBLEM, MINIMAL, copy_dataset, set_kostanay_defendants


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


def tamper(slot, how: str) -> None:
    import json

    meta_path = slot / cache.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    where = slot / meta["folder"]  # the copy meta.json names
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


# --- the last good copy -------------------------------------------------------------------------


def set_defendants(directory, value) -> None:
    set_kostanay_defendants(directory, 1, value)


def test_files_that_do_not_validate_fall_back_to_the_last_good_copy(sample_copy):
    fresh = load_dataset(sample_copy)
    set_defendants(sample_copy, "one")
    assert cache.read(sample_copy) is None  # not fresh any more
    loaded = load_or_last_good(sample_copy)
    assert loaded.pending
    assert [str(p) for p in loaded.problems.errors] == [KOSTANAY_PROBLEM]
    for name, frame in frames(fresh).items():
        pd.testing.assert_frame_equal(frames(loaded.dataset)[name], frame, check_exact=True)
    assert loaded.dataset.validated_at == fresh.validated_at
    assert loaded.dataset.validated_at is not None and loaded.dataset.validated_at.utcoffset() is not None


def test_the_last_good_dataset_in_memory_comes_before_the_copy_on_disk(sample_copy):
    kept = load_dataset(sample_copy)
    set_defendants(sample_copy, "one")
    assert load_or_last_good(sample_copy, kept=kept).dataset is kept


def test_no_version_that_ever_validated_means_nothing_to_show(sample_copy):
    set_defendants(sample_copy, "one")
    loaded = load_or_last_good(sample_copy)
    assert loaded.dataset is None and not loaded.pending and not loaded.problems.ok
    assert last_good(sample_copy) is None


def test_fixed_files_replace_the_last_good_copy(sample_copy):
    load_dataset(sample_copy)
    set_defendants(sample_copy, "one")
    load_or_last_good(sample_copy)
    set_kostanay_defendants(sample_copy, "one", 2)
    loaded = load_or_last_good(sample_copy)
    assert not loaded.pending and loaded.problems is None
    assert last_good(sample_copy).convictions.set_index("case_id").loc["cv-2022-06-24-kostanay", "defendants"] == 2
    assert sorted(p.name for p in cache.slot(sample_copy).iterdir())[0] == cache.META  # one copy, no leftovers
    assert len(list(cache.slot(sample_copy).iterdir())) == 2


def test_a_table_that_cannot_be_fingerprinted_keeps_the_last_good_copy(sample_copy, tmp_path):
    """A table swapped for a link out of the data directory fails the fingerprint: the cache is not
    to blame, so its copy stays (it used to be deleted)."""
    load_dataset(sample_copy)
    secret = tmp_path / "secret.csv"
    secret.write_text("not for readers\n", encoding="utf-8")
    (sample_copy / "events.csv").unlink()
    (sample_copy / "events.csv").symlink_to(secret)
    loaded = load_or_last_good(sample_copy)
    assert loaded.pending
    assert any("outside the data directory" in p.message for p in loaded.problems.errors)
    assert cache.read_last_good(sample_copy) is not None


@pytest.mark.parametrize("step", ["writing a table", "moving the new copy in", "switching meta.json"])
def test_a_write_that_fails_half_way_leaves_the_copy_before_it(sample_copy, monkeypatch, step):
    before = load_dataset(sample_copy)
    set_defendants(sample_copy, 2)
    real_parquet, real_replace = pd.DataFrame.to_parquet, os.replace
    calls: list[str] = []

    def to_parquet(self, *args, **kwargs):
        calls.append("parquet")
        if step == "writing a table" and calls.count("parquet") == 3:
            raise OSError("disk full")
        return real_parquet(self, *args, **kwargs)

    def replace(source, target):
        calls.append("replace")
        if calls.count("replace") == {"moving the new copy in": 1, "switching meta.json": 2}.get(step):
            raise OSError("killed here")
        return real_replace(source, target)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
    monkeypatch.setattr(os, "replace", replace)
    assert load_dataset(sample_copy).convictions["defendants"].sum() == before.convictions["defendants"].sum() + 1
    monkeypatch.undo()
    kept = last_good(sample_copy)
    assert kept is not None and kept.validated_at == before.validated_at
    pd.testing.assert_frame_equal(kept.convictions, before.convictions, check_exact=True)
    assert not [p for p in cache.cache_root().iterdir() if p.name.startswith(cache.STAGING)]
    load_dataset(sample_copy)  # the next write that succeeds leaves one copy, and nothing else
    assert len(list(cache.slot(sample_copy).iterdir())) == 2


def test_the_version_shown_is_the_one_that_validated_not_the_descriptor_on_disk(sample_copy):
    """While an update is pending, a descriptor edited with it (a new version number) does not relabel
    the data shown: downloads and citations must name the version they hold."""
    import json

    from testdata import SHIPPED

    shown = DatasetIndex.build(load_dataset(sample_copy)).provenance
    descriptor = json.loads((SHIPPED / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = shown.version + "-next"
    (sample_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    set_defendants(sample_copy, "one")
    loaded = load_or_last_good(sample_copy)
    assert loaded.pending
    assert DatasetIndex.build(loaded.dataset).provenance == shown
