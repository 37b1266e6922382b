"""A changed dataset is read off the readers' path: while a large change is being read and
validated, a reader's rerun is answered at once from the version served before, under a notice,
and the new version is shown once it has loaded. Timings are relative to the load itself."""

from __future__ import annotations

import shutil
import time

import pytest

from geo.bench.synth import synthesize
from geo.dashboard import loading
from geo.data import cache
from geo.data.background import stamp_bytes
from geo.views import notes

from apptest_support import description, open_page, server_log  # noqa: F401 -- a fixture
from testdata import SAMPLE, copy_dataset

pytestmark = pytest.mark.slow

#: Verdicts of the change: several megabytes of CSV, read and validated in seconds.
CHANGE_CASES = 40_000
LOADING = "An update to the data is being loaded"


def notices(at, text: str = LOADING) -> list[str]:
    return [i.value for i in at.info if text in i.value]


def replace_with(data, big) -> None:
    """The change: a bigger dataset in place of the served one."""
    for table in data.glob("*.csv"):
        if not (big / table.name).exists():
            table.unlink()
    for table in big.glob("*.csv"):
        shutil.copy(table, data / table.name)


def test_a_reader_keeps_the_last_good_data_while_a_big_change_loads(tmp_path, monkeypatch):
    data = copy_dataset(SAMPLE, tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    big = synthesize(CHANGE_CASES, tmp_path / "big")
    at = open_page("pages/map.py")
    good = description(at)
    validated = cache.read(data).validated_at
    assert not notices(at)

    replace_with(data, big)
    assert stamp_bytes(cache.stat_stamp(data)) > loading.WAIT_BYTES
    started = time.perf_counter()
    at.run()
    answered = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    assert description(at) == good  # the last good data
    assert notices(at) == [notes.loading_update_note(validated)]

    loader = loading._loaders()[str(data)]
    assert loader.wait(timeout=600)  # the load, in the background: state, not a sleep
    loaded = time.perf_counter() - started
    assert answered < loaded / 3, (answered, loaded)  # the reader did not wait for it

    at.run()
    assert not at.exception
    assert description(at) != good and not notices(at)  # the new version, once it has loaded


def test_a_big_change_that_does_not_validate_leaves_the_last_good_data_under_the_pending_notice(
    tmp_path, monkeypatch, server_log
):
    data = copy_dataset(SAMPLE, tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    big = synthesize(CHANGE_CASES, tmp_path / "big")
    table = big / "convictions.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    row = lines[2].split(",")
    row[1] = "2022-02-30"  # line 3: a day that does not exist
    lines[2] = ",".join(row)
    table.write_text("\n".join(lines), encoding="utf-8")
    at = open_page("pages/map.py")
    good = description(at)
    validated = cache.read(data).validated_at

    replace_with(data, big)
    at.run()
    assert description(at) == good and notices(at) == [notes.loading_update_note(validated)]
    assert loading._loaders()[str(data)].wait(timeout=600)
    at.run()
    assert not at.exception
    assert description(at) == good  # still the last good data, now because the change does not validate
    assert notices(at, "An update to the data is pending") == [notes.pending_update_note(validated)]
    logged = [m for m in server_log if "does not validate" in m]
    assert len(logged) == 1 and "convictions.csv:3" in logged[0]  # once, naming the row, for the operator
