"""Downloads on a served dashboard (serve.py) within their limits: one websocket asking for the
same file fifty times makes it once, costs the server about what one file costs and leaves another
reader's reruns about as fast as before; a second file asked for while the first is being made is
refused in the reader's language. The figures are ratios against a baseline measured in the same
run, never absolute times."""

from __future__ import annotations

import asyncio
import statistics

import pytest

from geo.bench.client import Session, day, micros, run_async
from geo.bench.served import cpu_seconds
from geo.downloads.limits import Refusal
from geo.downloads.store import Refused
from geo.views.download_notes import refusal_text

from server_support import Server
from testdata import SAMPLE

pytestmark = pytest.mark.slow

REQUESTS = 50
RERUNS = 12
#: Ceilings of the ratios, against one reader clicking once. Without the limits the fifty requests
#: made fifty maps: some twenty times the CPU, and the other reader's reruns about twice as slow
#: for as long as they took (docs/downloads.md has the figures).
CPU_RATIO = 4.0
RERUN_RATIO = 1.6


def button(run, key: str):
    [found] = [b for b in run.of_type("download_button") if b.id.endswith(key)]
    return found


async def opened(url: str, query: str = "") -> tuple[Session, object]:
    session = Session(url, origin=url)
    session.query_string = query
    await session.connect()
    run = await session.run(page_name="map")
    assert run.status == "finished" and not run.exceptions
    return session, run


async def flood(url: str, pid: int, requests: int = REQUESTS) -> dict:
    other, first = await opened(url)
    slider = first.widget("slider", "Date range")
    lo, hi = day(slider.min), day(slider.max)
    width = (hi - lo) // 3

    async def reruns() -> list[float]:
        times = []
        for i in range(RERUNS):
            start = lo + (hi - lo - width) * (i % 4) // 3
            other.set(slider.id, double_array_value=[micros(start), micros(start + width)])
            run = await other.run(page_name="map")
            assert run.status == "finished" and not run.exceptions
            times.append(run.seconds)
        return times

    sessions = [other]
    try:
        await reruns()  # warm-up: the rerun's caches
        warm, run = await opened(url)
        sessions.append(warm)
        assert (await warm.download(button(run, "download_map_png").deferred_file_id)).status == 200  # matplotlib

        async def while_asked(ask) -> tuple[object, list[float], float]:
            """``ask`` and the other reader's reruns at once; the server's CPU over both."""
            started = cpu_seconds(pid)
            answer, times = await asyncio.gather(ask, reruns())
            return answer, times, cpu_seconds(pid) - started

        one, run = await opened(url)  # the baseline: one reader clicks once
        sessions.append(one)
        png = button(run, "download_map_png").deferred_file_id
        clicked, with_one, one_cpu = await while_asked(one.ask_files([png]))
        assert clicked[0][0], clicked

        attacker, run = await opened(url)
        sessions.append(attacker)
        png = button(run, "download_map_png").deferred_file_id
        answers, with_flood, flood_cpu = await while_asked(attacker.ask_files([png] * requests, timeout=900))
        fetched = await attacker.get(next((u for u, _ in answers if u), "/"))
        return {
            "answers": answers,
            "fetched": fetched,
            "cpu_ratio": flood_cpu / one_cpu,
            "rerun_ratio": statistics.median(with_flood) / statistics.median(with_one),
            "figures": (flood_cpu, one_cpu, with_one, with_flood),
        }
    finally:
        for session in sessions:
            await session.close()


def test_fifty_requests_over_one_websocket_make_one_file_and_leave_other_readers_alone():
    with Server(SAMPLE) as server:
        got = run_async(lambda: flood(server.url, server.process.pid))
    urls = {url for url, _ in got["answers"] if url}
    refusals = {message for url, message in got["answers"] if not url}
    assert len(urls) == 1, got["answers"][:3]  # one file made, handed out again
    assert refusals <= {refusal_text(Refused(Refusal.ONE_AT_A_TIME))}  # asked again while it was being made
    assert got["fetched"].status == 200 and got["fetched"].body.startswith(b"\x89PNG")
    assert got["cpu_ratio"] < CPU_RATIO, got["figures"]
    assert got["rerun_ratio"] < RERUN_RATIO, got["figures"]


def test_a_second_file_asked_for_while_one_is_made_is_refused_in_the_readers_language():
    async def ask(url: str) -> list[tuple[str, str]]:
        session, run = await opened(url, "lang=ru")
        try:
            ids = [button(run, f"download_map_{kind}").deferred_file_id for kind in ("png", "svg")]
            return await session.ask_files(ids)
        finally:
            await session.close()

    with Server(SAMPLE) as server:
        answers = run_async(lambda: ask(server.url))
    said = refusal_text(Refused(Refusal.ONE_AT_A_TIME), "ru")
    assert said != refusal_text(Refused(Refusal.ONE_AT_A_TIME), "en")
    assert sorted(bool(url) for url, _ in answers) == [False, True], answers
    assert [message for url, message in answers if not url] == [said]
    assert all(url.startswith("/made-files/ru/") for url, _ in answers if url)
