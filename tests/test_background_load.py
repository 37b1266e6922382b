"""geo.data.background: the version served while a changed one loads, one load at a time."""

from __future__ import annotations

import sys
import threading

from geo.data import background
from geo.data.background import Latest

SMALL, BIG = (("t.csv", 10, 0, 0, 1),), (("t.csv", 10**9, 0, 0, 2),)


class Loads:
    """A load function whose loads of BIG stamps wait for ``release``; it records how many ran at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.running = self.most = 0
        self.stamps: list[tuple] = []
        self.lock = threading.Lock()

    def __call__(self, stamp: tuple, served):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.stamps.append(stamp)
        self.started.set()
        try:
            if stamp[0][1] > 1000:
                assert self.release.wait(60)
            return f"version {len(self.stamps)}"
        finally:
            with self.lock:
                self.running -= 1


def test_a_big_change_is_answered_from_the_version_served_before_until_it_has_loaded():
    loads = Loads()
    latest = Latest(loads, wait_bytes=1000)
    assert latest.current(SMALL) == background.Answer("version 1", False, False)  # the first load: waited for
    assert latest.serves(SMALL)
    answer = latest.current(BIG)  # answered at once, while the load waits
    assert answer == background.Answer("version 1", True, True)
    assert loads.started.wait(60) and not latest.serves(BIG)
    loads.release.set()
    assert latest.wait(60)
    assert latest.current(BIG) == background.Answer("version 2", False, False)


def test_one_load_at_a_time_and_the_files_as_they_are_once_it_ends():
    loads = Loads()
    latest = Latest(loads, wait_bytes=1000)
    latest.current(SMALL)
    changing = [(("t.csv", 10**9, 0, 0, n),) for n in range(3, 8)]
    for stamp in changing:  # a copy still being written: its stamp changes on every rerun
        assert latest.current(stamp).value == "version 1"
    loads.release.set()
    assert latest.wait(60)
    assert latest.wait(60)  # the load of the last stamp, started when the first ended
    assert loads.most == 1
    assert loads.stamps == [SMALL, changing[0], changing[-1]]  # the stamps between were never loaded
    assert latest.current(changing[-1]) == background.Answer("version 3", False, False)


def test_a_small_change_is_waited_for():
    loads = Loads()
    latest = Latest(loads, wait_bytes=1000)
    latest.current(SMALL)
    other = (("t.csv", 20, 0, 0, 9),)
    assert latest.current(other) == background.Answer("version 2", False, False)


def test_a_load_that_raises_keeps_the_served_version_and_is_not_retried_until_the_files_change(caplog):
    calls: list[tuple] = []

    def load(stamp, served):
        calls.append(stamp)
        if stamp == BIG:
            raise ValueError("boom")
        return "good"

    latest = Latest(load, wait_bytes=1000)
    latest.current(SMALL)
    latest.current(BIG)
    assert latest.wait(60)
    assert latest.current(BIG) == background.Answer("good", True, False)  # stale, and no load runs
    assert latest.current(BIG).value == "good" and calls == [SMALL, BIG]
    assert "loading data failed" in caplog.text


def test_a_child_that_cannot_run_says_it_could_not_tell(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    validated, said = background.validate_in_child(str(tmp_path))
    assert validated is None and "could not run" in said
