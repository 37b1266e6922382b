"""A small run of `python -m geo bench`: the map payload does not grow with the number of
verdicts, and the fast path gives the same numbers as the straightforward one; the memory
helper, and the rerun and browser benchmarks run as modules of the package.

The benchmarks' full runs are long (``slow``: make robustness): the rerun benchmark's served
half starts three servers, the browser benchmark its own server and chromium. make test runs the
rerun benchmark without its servers, and tests/e2e/test_bench_browser.py drives the shared
served dashboard the way the browser benchmark does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testdata import SAMPLE

#: Upper bound of one badge in the map's JSON: its text, position and offset.
BADGE_BYTES = 120


def run_bench(tmp_path: Path, small: int, large: int, downloads: int, repeats: int) -> tuple[dict, dict, dict, str]:
    """``python -m geo bench`` at two sizes, without the reruns: each size's figures, the
    downloads' and the table it prints."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "bench",
            "--sizes",
            f"{small},{large}",
            "--repeats",
            str(repeats),
            "--no-rerun",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
            "--downloads",
            str(downloads),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = json.loads(out.read_text())
    sizes = results["sizes"]
    return sizes[str(small)], sizes[str(large)], results["downloads"], done.stdout


def assert_figures(small: dict, large: dict, downloads: dict, stdout: str, rows: int) -> None:
    """What every run states: the fast path's numbers are the straightforward one's, one point per
    city at most, the map within its budget, each figure, and both writers' downloads timed."""
    assert small["agree"] and large["agree"]
    # one point per city (verdicts, events): never more points than places, whatever the verdicts
    assert small["map_points"] <= large["map_points"] <= 2 * 84  # 84 towns of 15,000+ in the gazetteer
    assert large["map_json_bytes"] <= 100_000
    # a point per verdict grows with the verdicts (three times as many here)
    assert large["naive_map_json_bytes"] >= 2.5 * small["naive_map_json_bytes"]
    assert set(small) >= {
        "cold_load_s",
        "filter_ms",
        "naive_filter_ms",
        "map_json_bytes",
        "naive_map_json_bytes",
        "table_ms",
        "export_ms",
        "rss_mib",
    }
    assert downloads["rows"] == rows
    for kind in ("csv", "xlsx"):  # ours and pandas' writers, timed in the same run, on the same cells
        assert downloads[f"{kind}_s"] > 0 and downloads[f"naive_{kind}_s"] > 0
        assert downloads[f"{kind}_bytes"] > rows * 100  # every row, with its readable columns
    assert "| Excel |" in stdout and "naive / ours" in stdout


def test_small_benchmark(tmp_path):
    """The command at two small sizes. (That the map's JSON does not grow with the verdicts is
    tests/test_deck.py's, in-process; the benchmark states it at sizes where every town has verdicts.)"""
    small, large, downloads, stdout = run_bench(tmp_path, 2000, 6000, downloads=500, repeats=1)
    assert_figures(small, large, downloads, stdout, rows=500)


@pytest.mark.slow
def test_benchmark_map_payload_does_not_grow_with_the_verdicts(tmp_path):
    small, large, downloads, stdout = run_bench(tmp_path, 10_000, 30_000, downloads=3000, repeats=2)
    assert_figures(small, large, downloads, stdout, rows=3000)
    # …at most one outcome badge per city ("2 acquitted, 1 posthumous")…
    assert small["map_badges"] <= large["map_badges"] <= small["map_points"] + 84
    # …so three times the verdicts add only the few towns first reached (a few %) and the badges of
    # towns with a first acquittal or posthumous verdict, while a point per verdict triples
    new_badges = large["map_badges"] - small["map_badges"]
    assert large["map_json_bytes"] <= small["map_json_bytes"] * 1.05 + new_badges * BADGE_BYTES


def test_memory_is_read_from_proc_status_in_mib():
    from geo.bench import memory

    before = memory.rss_mib()
    block = b"x" * (64 << 20)  # 64 MiB, every page written, so all of it is resident
    after = memory.rss_mib()
    assert 60 <= after - before < 80, (before, after)
    assert memory.peak_mib() >= after
    del block
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert 0 < memory.rss_mib(child.pid) < memory.peak_mib()  # the child is a small fresh interpreter
    finally:
        child.kill()
        child.wait()
    try:
        memory.status_mib("VmNoSuchField")
    except LookupError:
        pass
    else:
        raise AssertionError("a missing field must not read as a number")


def test_the_dashboard_benchmarks_find_the_checkouts_app():
    from geo.bench import checkout_app

    assert checkout_app() == Path(__file__).resolve().parents[1] / "app.py"


def run_rerun_benchmark(*options: str) -> tuple[dict, str]:
    """``python -m geo.bench.rerun`` on the sample, the app named by ``--app``: its JSON and its report."""
    app = Path(__file__).resolve().parents[1] / "app.py"
    done = subprocess.run(
        [sys.executable, "-m", "geo.bench.rerun", str(SAMPLE), "--app", str(app), "--reruns", "2", *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["reruns"] == 2 and figures["rerun_ms"] > 0 and figures["first_run_s"] > 0, figures
    # the bare app of one slider and one map, measured in the same run, and the ratio to it
    assert figures["rerun_cpu_ms"] > 0 and figures["bare_rerun_cpu_ms"] > 0, figures
    # The line a reader sees states the figures of the JSON, the ratio of the two as its own quotient.
    apptest = reported(done.stderr, "AppTest")
    assert apptest == approx_figures(figures, "rerun_cpu_ms", "bare_rerun_cpu_ms", "rerun_cpu_ratio"), done.stderr
    return figures, done.stderr


def test_rerun_benchmark_runs_as_a_module_in_apptest():
    """``python -m geo.bench.rerun --no-served``: AppTest reruns of the map page and of the bare app."""
    figures, stderr = run_rerun_benchmark("--no-served")
    assert "served_rerun_cpu_ms" not in figures and "served:" not in stderr, figures


def test_served_reruns_of_the_dashboard_are_timed():
    """The rerun benchmark's served half (``geo.bench.served.server_reruns``) once, on the dashboard
    alone: its date slider found by its label, every rerun finished and timed."""
    from geo.bench.served import server_reruns

    app = Path(__file__).resolve().parents[1] / "app.py"
    times, cpu, rss_mib = server_reruns(app, "Date range", 3, {"GEO_DATA_DIR": str(SAMPLE)})
    assert len(times) == 3 and all(t > 0 for t in times) and cpu >= 0 and rss_mib > 0, (times, cpu, rss_mib)


@pytest.mark.slow
def test_rerun_benchmark_runs_as_a_module():
    """``python -m geo.bench.rerun``: AppTest reruns of the map page, then both apps on real servers."""
    figures, stderr = run_rerun_benchmark()
    # both on real servers, driven over their websockets (geo.bench.served)
    assert figures["served_rerun_cpu_ms"] > 0 and figures["bare_served_rerun_cpu_ms"] > 0, figures
    assert figures["bare_frozen_served_rerun_cpu_ms"] > 0, figures
    served = reported(stderr, "served")
    assert served == approx_figures(
        figures, "served_rerun_cpu_ms", "bare_served_rerun_cpu_ms", "served_rerun_cpu_ratio"
    ), stderr


def reported(stderr: str, how: str) -> tuple[float, float, float]:
    """(ours ms, bare ms, ratio) as the benchmark's report line states them."""
    found = re.search(rf"CPU per filter change, {how}: ours ([\d.]+) ms, bare ([\d.]+) ms, ratio ([\d.]+)×", stderr)
    assert found, stderr
    return tuple(float(g) for g in found.groups())


def approx_figures(figures: dict, ours: str, bare: str, ratio: str):
    """The JSON's figures as the report rounds them; the ratio must also be ours / bare of them."""
    assert figures[ratio] == pytest.approx(figures[ours] / figures[bare], rel=1e-9), figures
    return (
        pytest.approx(figures[ours], abs=0.051),
        pytest.approx(figures[bare], abs=0.051),
        pytest.approx(figures[ratio], abs=0.0051),
    )


@pytest.mark.slow
@pytest.mark.browser
def test_browser_benchmark_runs_as_a_module():
    """``python -m geo.bench.browser``: a slider change timed in chromium against its own server."""
    chromium = Path(os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        message = f"{chromium} not found: the browser benchmark cannot run (make test installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        sys.stderr.write(f"\n!!! SKIPPING: {message}\n")
        pytest.skip(message)
    done = subprocess.run(
        [sys.executable, "-m", "geo.bench.browser", str(SAMPLE), "--changes", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["changes"] == 1 and figures["slider_to_map_ms"] > 0, figures
    assert figures["server_rss_one_session_mib"] > 0 and "second_session_mib" in figures, figures
