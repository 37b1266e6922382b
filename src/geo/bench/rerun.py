"""Median time of a full rerun of the map page after a filter change, in Streamlit's AppTest.

Run by ``python -m geo bench`` in a process of its own, so that Streamlit, its caches and the
app's first load are not counted in the benchmark process's memory; prints one JSON object.
The only module of the package besides ``geo.dashboard.glue`` that imports streamlit, and only
when run.

    python -m geo.bench.rerun DATA_DIR [--app APP] [--reruns 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.bench.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the dataset the app shows (its GEO_DATA_DIR)")
    parser.add_argument("--app", type=Path, help="the dashboard's app.py (default: the source checkout's)")
    parser.add_argument("--reruns", type=int, default=7)
    args = parser.parse_args(argv)
    from streamlit.testing.v1 import AppTest

    from geo.bench import checkout_app

    os.environ["GEO_DATA_DIR"] = str(args.data_dir)  # the app reads it on its first run
    at = AppTest.from_file(str(args.app or checkout_app()), default_timeout=600)
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
    print(
        json.dumps(
            {
                "first_run_s": first_run_s,
                "rerun_ms": statistics.median(times) * 1000,
                "reruns": len(times),
                "window_days": width.days if isinstance(width, timedelta) else None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
