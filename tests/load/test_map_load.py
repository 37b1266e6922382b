"""A quick version of ``make loadtest``'s Map page run (tests/load/proxy_load.py): a few readers land on
the Map page through nginx, as a news link brings them, and move the date window. In ``make test``,
so that the scenario the long run measures keeps working end to end; the figures are recorded, not
asserted (a small run on shared cores says little about them), and ``make loadtest`` runs it at size."""

from __future__ import annotations

import load_report
from proxy_load import Expected, Scenario, run_phase
from robustness_report import record
from server_support import require_nginx
from testdata import SAMPLE

#: A first view on a fresh worker loads the data, which takes longer than these seconds on busy cores:
#: each reader still moves the dates twice.
QUICK = Scenario(sessions=4, duration=8.0, think=(1.0, 2.0), arrival=1.0, page="map", changes=2)


def test_readers_land_on_the_map_and_move_the_dates():
    require_nginx()
    run = run_phase(1, QUICK, False, Expected(SAMPLE), SAMPLE)
    record("map_load_quick", **run)

    assert run["page"] == "map"
    assert run["errors"] == 0, run["error_examples"]
    assert run["first_views"] == QUICK.sessions
    assert run["reruns"] >= QUICK.sessions * QUICK.changes
    # Every run the readers saw drew the map, and each checked its description line against geo's.
    assert run["runs_with_map"] == run["first_views"] + run["reruns"]
    assert run["latency_p50_ms"] <= run["latency_p95_ms"] <= run["latency_p99_ms"]
    assert 0 < run["load_generator_machine_percent"] <= 100
    assert load_report.readers_per_worker(run) >= 1
    assert "| Map page, 1 worker, 4 readers within 1 s |" in load_report.markdown([run])
