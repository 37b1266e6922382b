"""Median time of a full rerun of the map page after a filter change, in Streamlit's AppTest.

Beside the wall time, the CPU time of the process over each rerun (every thread: the script's and
Streamlit's), and the same for a bare app of one date slider and one pydeck map measured in the
same run, so that the ratio says how much the dashboard adds to what Streamlit costs anyway.
With ``--served`` (the default), both apps also run on real servers (:mod:`geo.bench.served`):
a served rerun also serializes and sends every element and ends with Streamlit's garbage
collection, which AppTest leaves out; that is the server CPU a reader's change costs.

Run by ``python -m geo bench`` in a process of its own, so that Streamlit, its caches and the
app's first load are not counted in the benchmark process's memory; prints one JSON object.
The only modules of the package besides ``geo.dashboard`` that import streamlit are this
one and :mod:`geo.bench.client`, and only when run.

    python -m geo.bench.rerun DATA_DIR [--app APP] [--reruns 7] [--no-served] [--profile FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

#: The baseline: one range slider and one pydeck map of as many points as the dataset has cities,
#: redrawn on every change, as the usual Streamlit map demo does.
BARE_APP = """
import datetime as dt
import pydeck as pdk
import streamlit as st

lo, hi = dt.date(2000, 1, 1), dt.date(2025, 12, 31)
start, end = st.slider("Period", lo, hi, (lo, hi), key="period")
share = (end - start).days / (hi - lo).days
points = [{"lon": 50 + i % 40, "lat": 41 + i // 40 % 15, "n": int(100 * share) + i} for i in range(CITIES)]
layer = pdk.Layer("ScatterplotLayer", points, get_position=["lon", "lat"], get_radius="n * 100", pickable=True)
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=48, longitude=67, zoom=3)))
"""


#: The bare app as the dashboard runs: what is loaded by its first run is left out of the garbage
#: collection Streamlit runs after every run (see ``loading._freeze_long_lived_objects``). Measured
#: too, so that the ratio against the plain bare app is not read as a saving in the dashboard's own code.
BARE_APP_FROZEN = (
    """
import gc
if not gc.get_freeze_count():
    gc.freeze()
"""
    + BARE_APP
)


def _share_script_cache() -> None:
    """Give every AppTest run the one script cache, as a server's runtime does: AppTest makes a
    new one per run, so each rerun would parse and compile every page's script again."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


#: The profiler the next script run runs under, if any (see :func:`_profile_script_thread`).
_PROFILE: list = []


def _profile_script_thread():
    """A cProfile that the script thread AppTest starts turns on (a profiler sees its own thread only)."""
    import cProfile

    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    plain = LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        if not _PROFILE:
            return plain(self)
        _PROFILE[0].enable()
        try:
            return plain(self)
        finally:
            _PROFILE[0].disable()

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    return cProfile.Profile(time.thread_time)  # CPU of the script thread, not the time it waits


def _reruns(at, count: int, profile=None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``count`` reruns after slider changes spread over the period."""
    lo, hi = at.slider(key="period").value  # the first run shows the whole period
    width = (hi - lo) // 3
    wall, cpu = [], []
    for i in range(count):
        start = lo + (hi - lo - width) * i // max(1, count - 1)
        started, cpu_started = time.perf_counter(), time.process_time()
        at.slider(key="period").set_value((start, start + width))
        _PROFILE[:] = [] if profile is None else [profile]
        at.run()
        _PROFILE.clear()
        cpu.append(time.process_time() - cpu_started)
        wall.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(str(at.exception[0].value))
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.bench.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the dataset the app shows (its GEO_DATA_DIR)")
    parser.add_argument("--app", type=Path, help="the dashboard's app.py (default: the source checkout's)")
    parser.add_argument("--reruns", type=int, default=7)
    parser.add_argument(
        "--served",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure both apps on a real server, driven over its websocket (needs the websockets package)",
    )
    parser.add_argument("--profile", type=Path, help="also write a cProfile of one more rerun of the dashboard here")
    args = parser.parse_args(argv)
    from streamlit.testing.v1 import AppTest

    from geo.bench import checkout_app

    _share_script_cache()
    os.environ["GEO_DATA_DIR"] = str(args.data_dir)  # the app reads it on its first run
    at = AppTest.from_file(str(args.app or checkout_app()), default_timeout=600)
    started = time.perf_counter()
    at.run()  # first run: loads the data and builds the caches
    first_run_s = time.perf_counter() - started
    if at.exception:
        print(json.dumps({"error": str(at.exception[0].value)}))
        return 1
    profile = _profile_script_thread() if args.profile else None
    cities = sum(1 for _ in (args.data_dir / "locations.csv").open(encoding="utf-8")) - 1
    try:
        times, cpu = _reruns(at, args.reruns)
        if profile is not None:
            _reruns(at, 1, profile)
            profile.dump_stats(args.profile)
    except RuntimeError as error:
        print(json.dumps({"error": str(error)}))
        return 1
    with tempfile.TemporaryDirectory() as folder:
        bare_app = Path(folder) / "bare.py"
        bare_app.write_text(BARE_APP.replace("CITIES", str(cities)))
        bare = AppTest.from_file(str(bare_app), default_timeout=600)
        bare.run()
        bare_times, bare_cpu = _reruns(bare, args.reruns)
        served = {}
        if args.served:
            from geo.bench.served import server_reruns

            count = max(args.reruns, 20)  # the server's CPU is counted in 10 ms ticks: enough reruns to average
            env = {"GEO_DATA_DIR": str(args.data_dir.resolve())}
            served_times, served_cpu, served_rss = server_reruns(
                Path(args.app or checkout_app()), "Date range", count, env
            )
            bare_served_times, bare_served_cpu, _ = server_reruns(bare_app, "Period", count)
            frozen_app = Path(folder) / "bare_frozen.py"
            frozen_app.write_text(BARE_APP_FROZEN.replace("CITIES", str(cities)))
            _, frozen_served_cpu, _ = server_reruns(frozen_app, "Period", count)
            # the ratios of the figures as reported, as for the AppTest ones below
            ours_served_ms, bare_served_ms = served_cpu * 1000, bare_served_cpu * 1000
            frozen_served_ms = frozen_served_cpu * 1000
            served = {
                "served_rerun_ms": statistics.median(served_times) * 1000,
                "served_rerun_cpu_ms": ours_served_ms,
                "bare_served_rerun_ms": statistics.median(bare_served_times) * 1000,
                "bare_served_rerun_cpu_ms": bare_served_ms,
                "served_rerun_cpu_ratio": ours_served_ms / bare_served_ms,
                "bare_frozen_served_rerun_cpu_ms": frozen_served_ms,
                "served_rerun_cpu_ratio_to_frozen": ours_served_ms / frozen_served_ms,
                "served_rss_mib": served_rss,
            }
    ours_ms, bare_ms = statistics.median(cpu) * 1000, statistics.median(bare_cpu) * 1000
    print(
        f"CPU per filter change, AppTest: ours {ours_ms:.1f} ms, bare {bare_ms:.1f} ms, ratio {ours_ms / bare_ms:.2f}×",
        file=sys.stderr,
    )
    if served:
        print(
            f"CPU per filter change, served: ours {served['served_rerun_cpu_ms']:.1f} ms, "
            f"bare {served['bare_served_rerun_cpu_ms']:.1f} ms, ratio {served['served_rerun_cpu_ratio']:.2f}× "
            f"(bare with its loaded objects frozen too: {served['bare_frozen_served_rerun_cpu_ms']:.1f} ms, "
            f"ratio {served['served_rerun_cpu_ratio_to_frozen']:.2f}×)",
            file=sys.stderr,
        )
    print(
        json.dumps(
            {
                "first_run_s": first_run_s,
                "rerun_ms": statistics.median(times) * 1000,
                "rerun_cpu_ms": ours_ms,
                "bare_rerun_ms": statistics.median(bare_times) * 1000,
                "bare_rerun_cpu_ms": bare_ms,
                "rerun_cpu_ratio": ours_ms / bare_ms,
                "reruns": len(times),
                **served,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
