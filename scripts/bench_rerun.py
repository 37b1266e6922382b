"""Median time of a full rerun of the map page after a filter change, in Streamlit's AppTest.

Run by ``python -m geo bench`` (it sets GEO_DATA_DIR); prints one JSON object. Kept out of
``src/geo`` because the core package does not import streamlit.

    GEO_DATA_DIR=DIR python scripts/bench_rerun.py [--reruns 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=7)
    args = parser.parse_args()
    at = AppTest.from_file(APP, default_timeout=600)
    started = time.perf_counter()
    at.run()  # first run: loads the data and builds the caches
    first_run_s = time.perf_counter() - started
    if at.exception:
        print(json.dumps({"error": str(at.exception[0].value)}))
        return 1
    lo, hi = at.slider(key="period").value  # the first run shows the whole period
    width = (hi - lo) // 3
    times = []
    for i in range(args.reruns):
        start = lo + (hi - lo - width) * i // max(1, args.reruns - 1)
        started = time.perf_counter()
        at.slider(key="period").set_value((start, start + width)).run()
        times.append(time.perf_counter() - started)
        if at.exception:
            print(json.dumps({"error": str(at.exception[0].value)}))
            return 1
    print(json.dumps({"first_run_s": first_run_s, "rerun_ms": statistics.median(times) * 1000,
                      "reruns": len(times), "window_days": width.days if isinstance(width, timedelta) else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
