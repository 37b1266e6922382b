"""The limits on making downloads (geo.downloads): one file being made per session, the same file
handed out again, a budget of files a minute, a bound on rows, a total of bytes, a lifetime, the
files of ended sessions let go; and what a reader is told, in their language, past each."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from geo.downloads.limits import LIMITS, Limits, Refusal
from geo.downloads.store import Made, MadeFiles, Recipe, Refused
from geo.i18n import translation
from geo.views import download_notes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Maker:
    """A file's maker that counts its calls; ``size`` bytes each."""

    def __init__(self, size: int = 10) -> None:
        self.calls = 0
        self.size = size

    def __call__(self) -> bytes:
        self.calls += 1
        return b"x" * self.size


def recipe(key="a", kind="csv", rows=10, make=None, lang="en") -> Recipe:
    return Recipe(make or Maker(), key=key, kind=kind, rows=rows, file_name=f"{key}.{kind}", mime="text/csv", lang=lang)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_the_same_file_asked_for_again_is_the_one_already_made(clock):
    files = MadeFiles(Limits(), clock)
    maker = Maker()
    first = files.get_or_make("s1", recipe(make=maker))
    assert isinstance(first, Made) and first.data == b"x" * 10
    for _ in range(49):
        assert files.get_or_make("s1", recipe(make=maker)) is first
    assert maker.calls == 1 and files.made == 1
    other = files.get_or_make("s2", recipe(make=maker))  # another session's click makes its own
    assert isinstance(other, Made) and other.token != first.token and maker.calls == 2


def test_one_file_is_made_per_session_at_a_time(clock):
    files = MadeFiles(Limits(making_at_once=2), clock)
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(60)
        return b"slow"

    results: list = []
    worker = threading.Thread(target=lambda: results.append(files.get_or_make("s1", recipe("slow", make=slow))))
    worker.start()
    assert started.wait(60)
    assert files.get_or_make("s1", recipe("other")) == Refused(Refusal.ONE_AT_A_TIME)
    assert files.get_or_make("s1", recipe("slow")) == Refused(Refusal.ONE_AT_A_TIME)
    assert isinstance(files.get_or_make("s2", recipe("other")), Made)  # other sessions are not held up
    release.set()
    worker.join(60)
    assert isinstance(results[0], Made)
    assert isinstance(files.get_or_make("s1", recipe("other")), Made)  # once it is made, the next may be


def test_a_session_has_a_budget_of_files_a_minute(clock):
    files = MadeFiles(Limits(per_minute=3), clock)
    for key in "abc":
        assert isinstance(files.get_or_make("s1", recipe(key)), Made)
        clock.now += 10
    refused = files.get_or_make("s1", recipe("d"))
    assert refused == Refused(Refusal.BUDGET, limit=3, retry_after=30.0)  # the first was made 30 s ago
    assert isinstance(files.get_or_make("s1", recipe("a")), Made)  # a file already made is free
    assert isinstance(files.get_or_make("s2", recipe("d")), Made)
    clock.now += 29
    assert files.get_or_make("s1", recipe("d")).reason is Refusal.BUDGET
    clock.now += 1
    assert isinstance(files.get_or_make("s1", recipe("d")), Made)


def test_a_request_past_the_row_limit_is_refused_without_making_anything(clock):
    files = MadeFiles(Limits(max_rows={"csv": 100}), clock)
    maker = Maker()
    assert files.get_or_make("s1", recipe(rows=101, make=maker)) == Refused(Refusal.TOO_MANY_ROWS, limit=100)
    assert isinstance(files.get_or_make("s1", recipe(rows=100, make=maker)), Made)
    assert isinstance(files.get_or_make("s1", recipe("b", kind="png", rows=10**9, make=maker)), Made)  # no row bound
    assert maker.calls == 2
    assert LIMITS.row_limit("xlsx", LIMITS.max_rows["xlsx"] + 1) == LIMITS.max_rows["xlsx"]
    assert LIMITS.row_limit("xlsx", LIMITS.max_rows["xlsx"]) is None


def test_made_files_are_bounded_in_bytes_across_sessions_and_per_session(clock):
    files = MadeFiles(Limits(total_bytes=100, per_session_files=2, file_bytes=60), clock)
    a = files.get_or_make("s1", recipe("a", make=Maker(40)))
    b = files.get_or_make("s2", recipe("b", make=Maker(40)))
    c = files.get_or_make("s3", recipe("c", make=Maker(40)))  # 120 bytes: the oldest goes
    assert files.file(a.token) is None and files.file(b.token) is b and files.file(c.token) is c
    assert files.held_bytes == 80
    assert files.get_or_make("s4", recipe("d", make=Maker(61))) == Refused(Refusal.TOO_BIG, limit=60)
    d, e = (files.get_or_make("s2", recipe(k, make=Maker(1))) for k in "de")
    assert files.file(b.token) is None and files.file(d.token) is d and files.file(e.token) is e


def test_a_made_file_is_never_kept_past_its_lifetime(clock):
    files = MadeFiles(Limits(lifetime_seconds=600), clock)
    made = files.get_or_make("s1", recipe())
    clock.now += 599
    assert files.file(made.token) is made
    clock.now += 1
    assert files.file(made.token) is None and files.held_bytes == 0
    again = files.get_or_make("s1", recipe())  # asked for after it went: made anew
    assert isinstance(again, Made) and again.token != made.token


def test_the_files_of_an_ended_session_go_at_the_next_sweep(clock):
    files = MadeFiles(Limits(), clock)
    gone, kept = files.get_or_make("ended", recipe()), files.get_or_make("open", recipe())
    assert files.sweep(lambda session: session == "open") == 1
    assert files.file(gone.token) is None and files.file(kept.token) is kept
    assert files.held_bytes == len(kept.data)


def test_a_file_that_cannot_be_made_is_refused_and_logged(clock, caplog):
    def broken() -> bytes:
        raise ValueError("boom")

    files = MadeFiles(Limits(), clock)
    assert files.get_or_make("s1", recipe(make=broken)) == Refused(Refusal.FAILED)
    assert "could not be made" in caplog.text
    assert isinstance(files.get_or_make("s1", recipe("next")), Made)  # the session is not left busy


def test_a_request_waits_its_turn_behind_other_sessions_then_is_refused(clock):
    files = MadeFiles(Limits(making_at_once=1, wait_for_turn_seconds=0.2), clock)
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(60)
        return b"slow"

    worker = threading.Thread(target=files.get_or_make, args=("s1", recipe(make=slow)))
    worker.start()
    assert started.wait(60)
    assert files.get_or_make("s2", recipe()) == Refused(Refusal.SERVER_BUSY, retry_after=0.2)
    release.set()
    worker.join(60)
    assert isinstance(files.get_or_make("s2", recipe()), Made)  # the refusal did not use its budget


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_refusal_is_said_in_the_readers_language(lang):
    tr = translation(lang)
    texts = {
        reason: download_notes.refusal_text(Refused(reason, limit=100_000, retry_after=12.2), lang)
        for reason in Refusal
    }
    assert len(set(texts.values())) == len(Refusal)
    hint = download_notes.full_data_hint(lang)
    for reason in (Refusal.TOO_MANY_ROWS, Refusal.TOO_BIG, Refusal.FAILED):
        assert texts[reason].endswith(hint), reason  # where the full data is
    assert tr.number(100_000) in texts[Refusal.TOO_MANY_ROWS]
    assert tr.number(13) in texts[Refusal.BUDGET]
    if lang != "en":  # translated, not the English text
        english = download_notes.refusal_text(Refused(Refusal.ONE_AT_A_TIME), "en")
        assert texts[Refusal.ONE_AT_A_TIME] != english
        assert download_notes.gone_text(lang) != download_notes.gone_text("en")
    shown = download_notes.too_many_rows(250_000, 100_000, lang)
    assert tr.number(250_000) in shown and tr.number(100_000) in shown and shown.endswith(hint)


def test_the_limits_are_data_with_a_lifetime_and_a_total():
    assert LIMITS.lifetime_seconds > 0 and LIMITS.total_bytes >= LIMITS.file_bytes
    assert replace(LIMITS, per_minute=1).per_minute == 1  # frozen: changed only by making new limits
