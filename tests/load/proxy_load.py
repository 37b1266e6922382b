"""Many readers through the proxy: ``make loadtest`` runs this in full, ``make robustness`` a small
version (``tests/load/test_proxy_load.py``).

The set-up is ``make serve``'s: N Streamlit workers under supervisord behind nginx
(``server_support.ServedBehindProxy``), on the shipped data, on 127.0.0.1. Each reader is a headless
tab (``geo.bench.client.Session``) speaking from a loopback address of its own, as readers do from
theirs (the proxy's limits are per address). It loads the page through the proxy, which sets the
routing cookie, opens the Cases page over the websocket, and until the end of the run changes a filter
every few seconds (the date range or the cities, as the sidebar sends them) and, every few changes,
downloads the Cases CSV: the button asks the worker over the websocket to make the file, and the tab
then fetches its ``/media`` URL, which the proxy must route to that same worker.

Checked: every run finishes with no exception and no error box, and its description line is what geo
computes for that reader's own filter; every download answers 200 with a CSV of as many rows as the
filter holds. Measured: from a filter change to the finished rerun (p50, p95, p99), each worker's CPU
and resident memory, the proxy's and this load generator's CPU (it shares the machine's cores).

With ``kill``, the worker that holds the most readers is SIGKILLed half-way. Its readers lose their
websocket and reconnect through the proxy, which sends them to another worker and rewrites their
cookie; the new session there must show the view their URL holds (no widget state survives), and
their downloads must work from then on, also once supervisord has started the killed worker again.
A download the killed worker had made but its reader had not fetched yet is gone with the process:
it is counted apart ("lost with the killed worker"), and the reader asks for it again once
reconnected, as a person would click again; that second download must work.
Readers of the other workers must see no error and lose no connection. Every wait has a timeout and
the run stops by itself; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import ipaddress
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from websockets.exceptions import ConnectionClosed, InvalidHandshake

from geo.bench import memory
from geo.bench.client import Session, day, micros, run_async
from geo.bench.served import cpu_seconds
from geo.dashboard import sidebar
from geo.data.dataset import load_dataset
from geo.query.window import period_bounds
from geo.serving import COOKIE
from geo.views import place_labels
from geo.views.descriptions import describe

import load_report
from reference import filter_convictions, people_in
from server_support import ROOT, ServedBehindProxy, active_sessions
from testdata import SHIPPED

#: The pages a run can open: the Cases page, with its CSV download, and the Map page, where a news
#: link lands readers (the default page), who move the date window. The sidebar is on every page.
PAGES = ("cases", "map")
RERUN_TIMEOUT = 30.0  # seconds: a rerun or a download not answered by then is an error
RECONNECT_TRIES = 12  # a tab retries its websocket, waiting a little longer each time (at most 2 s)
MAX_RECOVERIES = 5  # lost connections one reader recovers from before the run counts it as failed
ARTIFACTS = ROOT / "artifacts"
#: Lost connections: the websocket closed, refused, or the proxy answered the handshake with an error.
#: (TimeoutError is an OSError too: the callers catch it first, as a slow answer, not a lost one.)
LOST = (ConnectionClosed, InvalidHandshake, OSError)


@dataclass(frozen=True)
class Scenario:
    sessions: int = 100
    duration: float = 180.0  # seconds, from the first arrival
    think: tuple[float, float] = (3.0, 6.0)  # seconds between two changes of one reader
    download_every: tuple[int, int] = (2, 4)  # a CSV after this many changes (drawn each time)
    arrival: float = 10.0  # readers arrive within this many seconds of each other: a link goes out
    page: str = "cases"  # one of PAGES
    changes: int = 0  # each reader makes at least this many changes, even past the duration


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(seconds: float) -> int | None:
    return None if seconds != seconds else round(1000 * seconds)  # NaN: nothing measured


class Expected:
    """What the description line and the CSV must hold for a filter (geo's pandas reference)."""

    def __init__(self, data_dir: Path):
        self.ds = load_dataset(data_dir)
        self.bounds = period_bounds(self.ds.span)
        self.names = place_labels.city_names(self.ds.locations)
        self.by_label = {label: lid for lid, label in place_labels.city_labels(self.ds.locations).items()}

    def filters(self, period: tuple[date, date], city_labels: list[str]):
        return sidebar.to_filters(period, self.bounds, [self.by_label[c] for c in city_labels], [], [])

    def description(self, period: tuple[date, date], city_labels: list[str]) -> str:
        filters = self.filters(period, city_labels)
        rows = filter_convictions(self.ds.convictions, filters)
        return describe(filters, self.names, len(rows), people_in(self.ds, rows), span=self.bounds)

    def rows(self, period: tuple[date, date], city_labels: list[str]) -> int:
        return len(filter_convictions(self.ds.convictions, self.filters(period, city_labels)))

    def problems(self, run, period: tuple[date, date], city_labels: list[str]) -> list[str]:
        """What a reader would see wrong in ``run``: a run not finished, an exception or error box
        shown, or a description line other than the reference's for the filter."""
        problems = []
        if run.status != "finished":
            problems.append(f"run {run.status}")
        if run.exceptions:
            problems.append(f"exception shown: {run.exceptions[0].message[:200]}")
        errors = [a.body for a in run.of_type("alert") if a.format == 1]  # Alert.ERROR
        if errors:
            problems.append(f"error box: {errors[0][:200]}")
        wanted = self.description(period, city_labels)
        if wanted not in run.texts:
            problems.append(f"description {run.texts[:1]!r}, expected {wanted!r}")
        return problems


@dataclass
class Kill:
    """The worker a run kills, and when (``time.monotonic()``): from just before the signal until
    supervisord has it answering again, a file it made may be gone before it is fetched."""

    worker: str = ""
    at: float = float("inf")
    back: float = float("inf")

    def took(self, worker: str, asked: float) -> bool:
        """Whether a download asked of ``worker`` at ``asked`` (so made by the process then running)
        and answered now was lost with the killed process."""
        return worker == self.worker and asked < self.back and time.monotonic() >= self.at


class Reader:
    """One reader's tab, from its own loopback address."""

    def __init__(self, number: int, url: str, expected: Expected, scenario: Scenario, kill: Kill | None = None):
        self.number = number
        self.kill = kill or Kill()
        self.rng = random.Random(number)
        self.scenario = scenario
        self.expected = expected
        self.source = str(ipaddress.IPv4Address("127.0.1.1") + number)
        self.session = Session(url, origin=url, source=self.source)
        self.period: tuple[date, date] = expected.bounds
        self.cities: list[str] = []
        # The last filter a finished run showed, and the URL it left: what a new session gets back.
        self.confirmed: tuple[tuple[date, date], list[str], str] = (self.period, [], "")
        self.latencies: list[float] = []
        self.first_view: float | None = None
        self.restore_latencies: list[float] = []
        self.errors: list[str] = []
        self.lost: list[str] = []  # the worker each lost connection was on
        self.restored = 0
        self.workers_seen: list[str] = []  # the routing cookie after each (re)connection
        self.changes = 0
        self.next_download = self.rng.randint(*scenario.download_every)
        self.downloads = 0
        self.downloads_failed: list[str] = []  # every download the reader did not get, whatever the cause
        self.downloads_misrouted: list[str] = []  # the file asked of another worker than the one that made it
        self.downloads_removed: list[str] = []  # 404 from the worker that made it (see download)
        self.downloads_lost_with_worker: list[str] = []  # made by the killed worker, which died before the fetch
        self.downloads_interrupted = 0
        self.pending_download = False
        self.viewed = False
        self.maps = 0  # runs that drew the map

    @property
    def worker(self) -> str:
        return self.session.cookies.get(COOKIE, "")

    def check(self, run, what: str) -> bool:
        problems = self.expected.problems(run, self.period, self.cities)
        drawn = bool(run.of_type("deck_gl_json_chart"))
        self.maps += drawn
        if self.scenario.page == "map" and not drawn:
            problems.append("no map drawn")
        self.errors += [f"reader {self.number} on {self.worker}, {what}: {p}" for p in problems]
        return not problems

    def confirm(self, run) -> None:
        self.confirmed = (self.period, list(self.cities), self.session.query_string)
        self.slider = run.widget("slider", "Date range")
        self.city_box = run.widget("multiselect", "Cities")
        self.viewed = True
        if self.scenario.page == "cases":
            [self.csv] = [b for b in run.of_type("download_button") if b.label == "CSV"]

    async def open(self) -> None:
        page = await self.session.get("/")
        if page.status != 200:
            self.errors.append(f"reader {self.number}: the page answered {page.status}")
        await self.session.connect()
        self.workers_seen.append(self.worker)
        run = await self.session.run(page_name=self.scenario.page, timeout=RERUN_TIMEOUT)
        self.first_view = run.seconds
        if self.check(run, "first view"):
            self.confirm(run)

    def change(self) -> None:
        # On the Cases page a reader alternates dates and cities; on the Map page, the date window.
        if self.changes % 2 == 0 or self.scenario.page == "map":  # a new date window, whole days
            lo, hi = day(self.slider.min), day(self.slider.max)
            a, b = sorted(self.rng.sample(range((hi - lo).days + 1), 2))
            self.period = (lo + timedelta(days=a), lo + timedelta(days=b))
            self.session.set(self.slider.id, double_array_value=[micros(d) for d in self.period])
        else:  # none, one or two cities
            self.cities = self.rng.sample(list(self.city_box.options), self.rng.choice([0, 1, 1, 2]))
            self.session.set(self.city_box.id, string_array_value=self.cities)

    async def step(self) -> None:
        self.change()
        self.changes += 1
        run = await self.session.run(page_name=self.scenario.page, timeout=RERUN_TIMEOUT)
        self.latencies.append(run.seconds)
        if self.check(run, f"change {self.changes}"):
            self.confirm(run)
        # The button is disabled while the filter holds no decision: the reader tries after the next change.
        if self.scenario.page == "cases" and self.changes >= self.next_download and not self.csv.disabled:
            self.next_download = self.changes + self.rng.randint(*self.scenario.download_every)
            await self.download()

    async def download(self) -> None:
        period, cities, _ = self.confirmed
        wanted = self.expected.rows(period, cities)
        self.pending_download = True
        made_by = self.worker  # the worker of the websocket, which makes the file
        asked = time.monotonic()
        answer = await self.session.download(self.csv.deferred_file_id, timeout=RERUN_TIMEOUT)
        self.pending_download = False
        self.downloads += 1
        problem = ""
        answered_by = answer.cookies.get(COOKIE, "")  # nginx names the worker that answered the GET
        if answer.status != 200 and self.kill.took(made_by, asked):
            # The file was in the memory of a process that is gone: as a person would, the reader
            # clicks again once its tab has reconnected (recover), and that download must work.
            self.downloads_lost_with_worker.append(f"reader {self.number}: status {answer.status} from {answered_by}")
            self.pending_download = True
            return
        if answer.status != 200 and answered_by and answered_by != made_by:
            problem = f"status {answer.status} from {answered_by}, the file was made by {made_by}"
            self.downloads_misrouted.append(f"reader {self.number}: {problem}")
        elif answer.status == 404 and answered_by == made_by:
            # Streamlit drops a made download once two runs of other sessions end before it is fetched
            problem = f"status 404 from {made_by}, which made the file: removed before it was fetched"
            self.downloads_removed.append(f"reader {self.number}: {problem}")
        elif answer.status != 200:
            problem = f"status {answer.status}: {answer.body[:100]!r}"
        elif not answer.content_type.startswith("text/csv"):
            problem = f"type {answer.content_type}"
        else:
            rows = sum(1 for _ in csv.reader(io.StringIO(answer.body.decode("utf-8-sig")))) - 1
            if rows != wanted:
                problem = f"{rows} rows, expected {wanted}"
        if problem:
            self.downloads_failed.append(f"reader {self.number} on {self.worker}: {problem}")

    async def recover(self) -> None:
        """A tab whose websocket went: reconnect (through the proxy, with its cookies), and a new
        session shows the view from the URL alone; a download cut off is asked for again."""
        for attempt in range(RECONNECT_TRIES):
            await asyncio.sleep(min(2.0, 0.25 * 2**attempt))
            try:
                await self.session.connect(timeout=10)
                break
            except LOST:
                continue
        else:
            raise GaveUp(f"reader {self.number}: no websocket after {RECONNECT_TRIES} tries")
        self.workers_seen.append(self.worker)
        run = await self.session.run(page_name=self.scenario.page, timeout=RERUN_TIMEOUT)
        self.restore_latencies.append(run.seconds)
        if self.check(run, "view restored from the URL after a lost connection"):
            self.restored += 1
            self.confirm(run)
            # The tab's widgets hold the restored values again, as its widget manager would.
            self.session.set(self.slider.id, double_array_value=[micros(d) for d in self.period])
            self.session.set(self.city_box.id, string_array_value=self.cities)
        if self.pending_download:
            self.downloads_interrupted += 1
            self.pending_download = False
            if self.scenario.page == "cases" and not self.csv.disabled:
                await self.download()

    def lose(self, error: BaseException) -> None:
        self.lost.append(self.worker)  # a download cut off stays pending: asked for again once back
        self.session.widgets.clear()  # a new session knows only the URL
        self.session.session_id = ""
        period, cities, query = self.confirmed
        self.period, self.cities, self.session.query_string = period, list(cities), query

    async def visit(self, deadline: float) -> None:
        action = self.open
        while True:
            try:
                await action()
            except TimeoutError:
                self.errors.append(f"reader {self.number} on {self.worker}: no answer within {RERUN_TIMEOUT} s")
                self.pending_download = False
            except GaveUp as error:
                self.errors.append(str(error))
                return
            except LOST as error:
                if len(self.lost) >= MAX_RECOVERIES:
                    self.errors.append(f"reader {self.number}: lost its connection {len(self.lost) + 1} times")
                    return
                self.lose(error)
                action = self.recover
                continue
            if not self.viewed:  # never saw a first view to work from
                return
            wait = self.rng.uniform(*self.scenario.think)
            if time.monotonic() + wait >= deadline and self.changes >= self.scenario.changes:
                return
            await asyncio.sleep(wait)
            action = self.step

    async def close(self) -> None:
        with contextlib.suppress(LOST):
            await self.session.close()


class GaveUp(Exception):
    pass


class Sampler:
    """Each supervised program's CPU time and resident memory, read from /proc every few seconds."""

    def __init__(self, served: ServedBehindProxy):
        self.served = served
        self.programs = [w.program for w in served.pool] + ["nginx"]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.pids: dict[str, list[int]] = {p: [] for p in self.programs}
        self.rss_max: dict[str, float] = dict.fromkeys(self.programs, 0.0)
        self.rss_now: dict[str, float] = dict.fromkeys(self.programs, 0.0)
        self.started = False

    def sample(self) -> None:
        for program in self.programs:
            try:
                pid = self.served.pid(program)
                cpu, rss = cpu_seconds(pid), memory.rss_mib(pid)
            except (OSError, LookupError):  # between a kill and the restart
                continue
            if pid not in self.pids[program]:
                self.pids[program].append(pid)
                self.first[pid] = cpu if not self.started else 0.0  # a restarted worker counts from its start
            self.last[pid] = cpu
            self.rss_now[program] = rss
            self.rss_max[program] = max(self.rss_max[program], rss)
        self.started = True

    async def every(self, seconds: float, until: float) -> None:
        while time.monotonic() < until:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(seconds)

    def figures(self, elapsed: float) -> dict:
        out = {}
        for program, pids in self.pids.items():
            cpu = sum(self.last[p] - self.first[p] for p in pids)
            out[program] = {
                "cpu_seconds": round(cpu, 1),
                "cpu_percent": round(100 * cpu / elapsed),
                "rss_mib": round(self.rss_now[program], 1),
                "rss_mib_max": round(self.rss_max[program], 1),
                "processes": len(pids),
            }
        return out


async def phase(served: ServedBehindProxy, expected: Expected, scenario: Scenario, kill: bool) -> dict:
    kill_state = Kill()
    readers = [Reader(n, served.url, expected, scenario, kill_state) for n in range(scenario.sessions)]
    sampler = Sampler(served)
    sampler.sample()
    own0 = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    started = time.monotonic()
    deadline = started + scenario.duration

    async def arrive(reader: Reader) -> None:
        await asyncio.sleep(reader.rng.uniform(0, scenario.arrival))
        await reader.visit(deadline)

    visits = [asyncio.create_task(arrive(r)) for r in readers]
    sampling = asyncio.create_task(sampler.every(2.0, deadline))
    killed = None
    if kill:
        await asyncio.sleep(scenario.duration / 2)
        holding = Counter(r.worker for r in readers if r.worker)
        victim = next(w for w in served.pool if w.name == holding.most_common(1)[0][0])
        on_victim = {r.number for r in readers if r.worker == victim.name}
        kill_state.worker, kill_state.at = victim.name, time.monotonic()
        old_pid = served.kill(victim)
        at = time.monotonic()
        killed = {"worker": victim.name, "at_s": round(at - started, 1), "readers_on_it": len(on_victim)}
        await asyncio.to_thread(served.wait_worker, victim, 120, old_pid)
        kill_state.back = time.monotonic()
        killed["back_after_s"] = round(kill_state.back - at, 1)
    await asyncio.wait_for(asyncio.gather(*visits), timeout=scenario.duration + 300)
    elapsed = time.monotonic() - started
    await sampling
    sampler.sample()
    held = {w.name: await asyncio.to_thread(active_sessions, served.worker_url(w)) for w in served.pool}
    own = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = own.ru_utime + own.ru_stime - own0.ru_utime - own0.ru_stime
    # All at once and bounded: a tab whose server never answers its closing frame waits out the
    # websocket's close timeout, and one after another such waits would outlast the run.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(r.close() for r in readers)), timeout=30)

    processes = sampler.figures(elapsed)
    latencies = [x for r in readers for x in r.latencies]
    firsts = [r.first_view for r in readers if r.first_view is not None]
    errors = [e for r in readers for e in r.errors]
    failed = [f for r in readers for f in r.downloads_failed]
    figures = {
        "page": scenario.page,
        "arrival_s": scenario.arrival,
        "workers": len(served.pool),
        "sessions": scenario.sessions,
        "seconds": round(elapsed, 1),
        "think_s": list(scenario.think),
        "download_every": list(scenario.download_every),
        "reruns": len(latencies),
        "latency_p50_ms": ms(percentile(latencies, 50)),
        "latency_p95_ms": ms(percentile(latencies, 95)),
        "latency_p99_ms": ms(percentile(latencies, 99)),
        "latency_max_ms": ms(max(latencies, default=float("nan"))),
        "first_views": len(firsts),
        "runs_with_map": sum(r.maps for r in readers),
        "first_view_p50_ms": ms(percentile(firsts, 50)),
        "first_view_p95_ms": ms(percentile(firsts, 95)),
        "errors": len(errors),
        "error_examples": errors[:20],
        "readers_with_errors": sum(1 for r in readers if r.errors),
        "downloads": sum(r.downloads for r in readers),
        "downloads_failed": len(failed),
        "download_failure_examples": failed[:10],
        "downloads_interrupted": sum(r.downloads_interrupted for r in readers),
        "downloads_misrouted": sum(len(r.downloads_misrouted) for r in readers),
        "downloads_removed_before_fetched": sum(len(r.downloads_removed) for r in readers),
        "downloads_lost_with_killed_worker": sum(len(r.downloads_lost_with_worker) for r in readers),
        "readers_per_worker": dict(Counter(r.workers_seen[0] for r in readers if r.workers_seen)),
        "sessions_held_per_worker": held,
        "processes": processes,
        # all the workers' CPU (downloads included) over every run they made: what one rerun costs
        "worker_cpu_ms_per_rerun": round(
            1000
            * sum(f["cpu_seconds"] for name, f in processes.items() if name != "nginx")
            / max(1, len(latencies) + len(firsts) + sum(len(r.restore_latencies) for r in readers))
        ),
        # of one core, and of the machine: it runs on the cores the workers use
        "load_generator_cpu_percent": round(100 * own_cpu / elapsed),
        "load_generator_machine_percent": round(100 * own_cpu / (elapsed * (os.cpu_count() or 1)), 1),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],  # the machine may be shared
    }
    if killed is not None:
        moved = [r for r in readers if r.number in on_victim]
        others = [r for r in readers if r.number not in on_victim]
        restores = [x for r in moved for x in r.restore_latencies]
        killed.update(
            readers_lost_connection=sum(1 for r in moved if r.lost),
            readers_restored_from_url=sum(1 for r in moved if r.restored and r.restored == len(r.lost)),
            moved_to=dict(Counter(r.workers_seen[-1] for r in moved if r.lost)),
            restored_p50_ms=ms(percentile(restores, 50)),
            restored_max_ms=ms(max(restores, default=float("nan"))),
            errors_of_its_readers=sum(len(r.errors) for r in moved),
            downloads_after_the_move=sum(r.downloads for r in moved),
            other_readers=len(others),
            other_readers_with_errors=sum(1 for r in others if r.errors),
            other_readers_lost_connection=sum(1 for r in others if r.lost),
        )
        figures["kill"] = killed
    return figures


def run_phase(workers: int, scenario: Scenario, kill: bool, expected: Expected, data_dir: Path | None) -> dict:
    """One run on a deployment of its own: ``workers`` fresh workers behind a fresh nginx."""
    with ServedBehindProxy(workers, data_dir=data_dir) as served:
        figures = run_async(lambda: phase(served, expected, scenario, kill))
        figures["dataset_loads_per_worker"] = {
            w.name: served.log_text(w).count("dataset loaded from") for w in served.pool
        }
    return figures


def pair(text: str, kind=float) -> tuple:
    a, b = (kind(x) for x in text.split(","))
    return a, b


def plan(args: argparse.Namespace) -> list[tuple[int, bool, Scenario]]:
    """The runs, in order: (workers, kill, scenario). The Cases page with each number of workers, then
    with a worker killed half-way; the Map page with the most workers, readers arriving over
    ``--arrival`` seconds, then ``--burst`` of them within one second (a link shared at once)."""
    arrival = args.arrival if args.arrival is not None else min(Scenario.arrival, args.duration / 6)
    counts = [int(n) for n in args.workers.split(",")]
    most = max(max(counts), 2)
    cases = Scenario(args.sessions, args.duration, args.think, args.download_every, arrival, "cases")
    runs: list[tuple[int, bool, Scenario]] = []
    if "cases" in args.pages:
        runs += [(n, False, cases) for n in counts] + ([] if args.no_kill else [(most, True, cases)])
    if "map" in args.pages:
        runs.append((most, False, replace(cases, page="map")))
        if args.burst:
            runs.append((most, False, replace(cases, page="map", sessions=args.burst, arrival=1.0)))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="the Cases runs, by number of workers (default: 1,2)")
    parser.add_argument("--pages", default="cases,map", help=f"the pages of the runs, of {', '.join(PAGES)}")
    parser.add_argument("--no-kill", action="store_true", help="skip the run that kills a worker half-way")
    parser.add_argument("--sessions", type=int, default=Scenario.sessions)
    parser.add_argument("--burst", type=int, default=60, help="Map readers arriving within 1 s (0: no such run)")
    parser.add_argument("--duration", type=float, default=Scenario.duration, help="seconds per run")
    parser.add_argument("--think", type=lambda t: pair(t), default=Scenario.think, help="seconds, e.g. 3,6")
    parser.add_argument("--download-every", type=lambda t: pair(t, int), default=Scenario.download_every)
    parser.add_argument("--arrival", type=float, default=None, help="seconds over which readers arrive")
    parser.add_argument("--p95-target-ms", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, default=SHIPPED)
    parser.add_argument("--json", type=Path, default=ARTIFACTS / "loadtest.json")
    parser.add_argument("--markdown", type=Path, default=ARTIFACTS / "loadtest.md")
    parser.add_argument("--doc", type=Path, help="also put the table in this file, between its loadtest markers")
    args = parser.parse_args(argv)
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    if unknown := set(args.pages) - set(PAGES):
        parser.error(f"unknown pages {sorted(unknown)}: of {', '.join(PAGES)}")
    expected = Expected(args.data_dir)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    runs: list[dict] = []
    table, failures = "", ["no run"]
    for workers, kill, scenario in plan(args):
        print(
            f"{scenario.page} page, {workers} worker(s){', killing one half-way' if kill else ''}: "
            f"{scenario.sessions} readers arriving within {scenario.arrival:.3g} s, for {scenario.duration:.0f} s …",
            flush=True,
        )
        runs.append(run_phase(workers, scenario, kill, expected, args.data_dir))
        failures = load_report.targets(runs, args.p95_target_ms)
        # after each run: a later one may not end
        table = load_report.write(args.json, args.markdown, settings, runs, failures, args.p95_target_ms)
        print(load_report.markdown(runs[-1:]), flush=True)
    print(table)
    if args.doc:
        heading = (
            f"`{' '.join(['proxy_load.py', *(argv if argv is not None else sys.argv[1:])])}`, "
            f"{date.today():%-d %b %Y}, {os.cpu_count()} cores, {'passed' if not failures else 'FAILED'}:"
        )
        load_report.into_doc(args.doc, table, heading)
    print("\n".join(["FAILED:", *failures]) if failures else "passed: every target met")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
