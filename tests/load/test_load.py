"""Many visitors at once: 30 sessions on one real server, each changing the filters 20 times.

The server is `streamlit run serve.py` on 127.0.0.1 with the shipped data and the project's
config. The sessions are headless clients speaking Streamlit's own websocket protocol (see
geo.bench.client): thirty chromium tabs would measure chromium on two cores, not the
server. Each change is what a browser sends when someone moves the date slider or picks
cities: every widget's value, then a wait for the rerun to finish.

Asserted: zero session errors (every run finishes, no exception element, no error box, no
dropped connection), and every description line is exactly what ``geo`` computes for that
session's own filter, so no session ever sees another's; the dataset is loaded once per process
(the server logs one line per actual load); each extra session costs a bounded amount of
memory. Measured, not asserted: p50/p95 from filter change to finished rerun, the server's
RSS and CPU time. Figures go to ``artifacts/robustness-report.json``. The whole test stops by
itself: every wait has a timeout, and the run as a whole has DEADLINE seconds.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import date, timedelta

import pytest

from geo.bench.client import Session, day, micros, run_async
from geo.bench.served import cpu_seconds

from proxy_load import Expected
from robustness_report import record
from server_support import Server, active_sessions
from testdata import SAMPLE

SESSIONS = 30
CHANGES = 10
THINK = (0.2, 1.0)  # seconds between two changes of one session: a person, not a script
DEADLINE = 300  # seconds for the whole run
#: Memory one more open session may add to the server. Measured on the 2-core machine: about
#: 0.6 MiB each (session state, widget values, the last run's messages); the bound is eight
#: times that, room for allocator noise (±20 MiB over 29 sessions is ±0.7 MiB each), yet far
#: below one more copy of the tables per session, which is what it guards against.
MAX_MIB_PER_SESSION = 5

pytestmark = pytest.mark.slow


class Visitor:
    """One session: opens the map, then changes a filter CHANGES times."""

    def __init__(self, number: int, url: str, expected: Expected):
        self.number = number
        self.session = Session(url)
        self.expected = expected
        self.rng = random.Random(number)
        self.latencies: list[float] = []
        self.received: list[int] = []
        self.errors: list[str] = []
        self.period: tuple[date, date] = expected.bounds
        self.cities: list[str] = []

    def check(self, run, what: str) -> None:
        problems = self.expected.problems(run, self.period, self.cities)
        self.errors += [f"session {self.number}, {what}: {p}" for p in problems]

    async def open(self) -> None:
        await self.session.connect()
        first = await self.session.run()
        self.check(first, "first run")
        self.slider = first.widget("slider", "Date range")
        self.city_box = first.widget("multiselect", "Cities")

    def change(self, k: int) -> None:
        if k % 2 == 0:  # a new date window, whole days
            lo, hi = day(self.slider.min), day(self.slider.max)
            a, b = sorted(self.rng.sample(range((hi - lo).days + 1), 2))
            self.period = (lo + timedelta(days=a), lo + timedelta(days=b))
            self.session.set(self.slider.id, double_array_value=[micros(d) for d in self.period])
        else:  # none, one or two cities
            self.cities = self.rng.sample(list(self.city_box.options), self.rng.choice([0, 1, 1, 2]))
            self.session.set(self.city_box.id, string_array_value=self.cities)

    async def browse(self, changes: int = CHANGES) -> None:
        for k in range(changes):
            await asyncio.sleep(self.rng.uniform(*THINK))
            self.change(k)
            run = await self.session.run()
            self.latencies.append(run.seconds)
            self.received.append(run.received)
            self.check(run, f"change {k + 1}")


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def scenario(server: Server, expected: Expected) -> dict:
    figures = {"rss_mib_idle": server.rss_mib()}
    cpu0 = cpu_seconds(server.process.pid)

    # One visitor alone: the baseline latency, and the memory of a warm server with one session.
    first = Visitor(0, server.url, expected)
    await first.open()
    await first.browse()
    figures["rss_mib_1_session"] = server.rss_mib()
    alone = list(first.latencies)

    # Twenty-nine more arrive together; then all thirty change filters at once.
    others = [Visitor(n, server.url, expected) for n in range(1, SESSIONS)]
    started = time.perf_counter()
    await asyncio.gather(*(v.open() for v in others))
    visitors = [first, *others]
    first.latencies.clear()
    await asyncio.gather(*(v.browse() for v in visitors))
    busy = time.perf_counter() - started
    figures["rss_mib_30_sessions"] = server.rss_mib()  # all thirty still connected
    figures["sessions_held"] = await asyncio.to_thread(active_sessions, server.url)
    cpu = cpu_seconds(server.process.pid) - cpu0
    for v in visitors:
        await v.session.close()

    latencies = [x for v in visitors for x in v.latencies]
    figures.update(
        sessions=len(visitors),
        changes_per_session=CHANGES,
        reruns=len(latencies) + len(alone),
        think_seconds=list(THINK),
        errors=[e for v in visitors for e in v.errors],
        latency_alone_p50_ms=round(1000 * statistics.median(alone)),
        latency_alone_p95_ms=round(1000 * percentile(alone, 95)),
        latency_p50_ms=round(1000 * statistics.median(latencies)),
        latency_p95_ms=round(1000 * percentile(latencies, 95)),
        latency_max_ms=round(1000 * max(latencies)),
        concurrent_phase_seconds=round(busy, 1),
        reruns_per_second=round((len(latencies) + len(others)) / busy, 1),
        kib_sent_per_rerun=round(statistics.mean(x for v in visitors for x in v.received) / 1024, 1),
        server_cpu_seconds=round(cpu, 1),
        server_cpu_ms_per_rerun=round(1000 * cpu / (len(latencies) + len(alone) + SESSIONS)),
    )
    return figures


def test_thirty_sessions_changing_filters():
    expected = Expected(SAMPLE)
    with Server(SAMPLE) as server:
        figures = run_async(lambda: asyncio.wait_for(scenario(server, expected), timeout=DEADLINE))
        loads = server.log_text().count("dataset loaded from")
    per_session = (figures["rss_mib_30_sessions"] - figures["rss_mib_1_session"]) / (SESSIONS - 1)
    figures.update(
        dataset_loads=loads,
        rss_mib_per_extra_session=round(per_session, 2),
        rss_mib_per_session_bound=MAX_MIB_PER_SESSION,
        **{k: round(v, 1) for k, v in figures.items() if k.startswith("rss_mib_") and isinstance(v, float)},
    )
    record("load", **figures)

    assert figures["errors"] == [], "\n".join(figures["errors"][:20])
    assert figures["sessions_held"] == SESSIONS
    assert loads == 1, "the dataset must be loaded once per process, not per session"
    assert per_session <= MAX_MIB_PER_SESSION, figures
