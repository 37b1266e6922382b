"""A small run of `python -m geo bench`: the map payload does not grow with the number of
verdicts, and the fast path gives the same numbers as the straightforward one."""

from __future__ import annotations

import json
import subprocess
import sys

#: Upper bound of one badge in the map's JSON: its text, position and offset.
BADGE_BYTES = 120


def test_small_benchmark(tmp_path):
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, "-m", "geo", "bench", "--sizes", "20000,60000", "--repeats", "2", "--no-rerun",
                    "--workdir", str(tmp_path / "work"), "--json", str(out)], check=True, capture_output=True,
                   timeout=600)
    sizes = json.loads(out.read_text())["sizes"]
    small, large = sizes["20000"], sizes["60000"]
    assert small["agree"] and large["agree"]
    # one point per city (verdicts, events): never more points than places, whatever the verdicts…
    assert small["map_points"] <= large["map_points"] <= 2 * 84  # 84 towns of 15,000+ in the gazetteer
    # …and at most one outcome badge per city ("2 acquitted, 1 posthumous")…
    assert small["map_badges"] <= large["map_badges"] <= small["map_points"] + 84
    # …so three times the verdicts add only the few towns first reached (a few %) and the badges of
    # towns with a first acquittal or posthumous verdict, while a point per verdict triples
    new_badges = large["map_badges"] - small["map_badges"]
    assert large["map_json_bytes"] <= small["map_json_bytes"] * 1.05 + new_badges * BADGE_BYTES
    assert large["map_json_bytes"] <= 100_000
    assert large["naive_map_json_bytes"] >= 2.5 * small["naive_map_json_bytes"]
    assert set(small) >= {"cold_load_s", "filter_ms", "naive_filter_ms", "map_json_bytes", "naive_map_json_bytes",
                          "table_ms", "export_ms", "rss_mb"}
