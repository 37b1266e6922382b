"""A changed dataset is read off the readers' path: while a large change is being read and
validated, a reader's rerun is answered at once from the version served before, under a notice,
and the new version is shown once it has loaded. Timings are relative to the load itself."""

from __future__ import annotations

import shutil
import time

import pytest

from geo.bench.synth import synthesize
from geo.dashboard import glue
from geo.data import cache
from geo.data.background import stamp_bytes
from geo.views import present

from apptest_support import description, open_page
from testdata import SAMPLE, copy_dataset

pytestmark = pytest.mark.slow

#: Verdicts of the change: several megabytes of CSV, read and validated in seconds.
CHANGE_CASES = 40_000
LOADING = "An update to the data is being loaded"


def notices(at) -> list[str]:
    return [i.value for i in at.info if LOADING in i.value]


def test_a_reader_keeps_the_last_good_data_while_a_big_change_loads(tmp_path, monkeypatch):
    data = copy_dataset(SAMPLE, tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    big = synthesize(CHANGE_CASES, tmp_path / "big")
    at = open_page("pages/map.py")
    good = description(at)
    validated = cache.read(data).validated_at
    assert not notices(at)

    for table in data.glob("*.csv"):  # the change: a bigger dataset in place of the served one
        if not (big / table.name).exists():
            table.unlink()
    for table in big.glob("*.csv"):
        shutil.copy(table, data / table.name)
    assert stamp_bytes(cache.stat_stamp(data)) > glue.WAIT_BYTES
    started = time.perf_counter()
    at.run()
    answered = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    assert description(at) == good  # the last good data
    assert notices(at) == [present.loading_update_note(validated)]

    loader = glue._loaders()[str(data)]
    assert loader.wait(timeout=600)  # the load, in the background: state, not a sleep
    loaded = time.perf_counter() - started
    assert answered < loaded / 3, (answered, loaded)  # the reader did not wait for it

    at.run()
    assert not at.exception
    assert description(at) != good and not notices(at)  # the new version, once it has loaded
