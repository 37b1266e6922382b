"""The columnar cache: same frames as a fresh read, rebuilt after an edit, never inside data/."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from testdata import copy_dataset, MINIMAL
from geo import cache
from geo.dataset import DataError, load_dataset


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
    path.write_text(path.read_text(encoding="utf-8").replace("kostanay,region,,first,,convicted,unknown,1,", "kostanay,region,,first,,convicted,unknown,2,"), encoding="utf-8")
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
