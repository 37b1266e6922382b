"""A large dataset copied over the served one, on a real server: how long readers' reruns take
while it loads, whether they keep the last good data under the notice, and the server's memory.

``python tests/load/swap_memory.py DIR`` (DIR: a dataset from ``python -m geo synth``; run with
``PYTHONPATH=src:tests``). The server starts on a copy of the frozen sample, one reader opens the
map, DIR's tables replace the copy's, and the reader reruns until the new data is shown. Prints
JSON: the server's resident memory before, its peak (``VmHWM``) and after, the peak of the child
process that validates, the median and slowest rerun while loading, and the load's duration. A measurement, not a test (docs/downloads.md
states its figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from geo.bench.client import Session, run_async
from geo.bench.memory import status_mib

from server_support import Server
from testdata import SAMPLE, copy_dataset

LOADING = "An update to the data is being loaded"


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in task.read_text().split()]
    return found


class ChildPeak:
    """The largest resident memory any child of ``pid`` (the validation, :mod:`geo.data.background`)
    had when sampled, every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()
        threading.Thread(target=self.sample, daemon=True).start()

    def sample(self) -> None:
        while not self.done.wait(0.2):
            for child in children(self.pid):
                with contextlib.suppress(OSError, LookupError):
                    self.peak = max(self.peak, status_mib("VmRSS", child))


async def watch(url: str, pid: int, data: Path, big: Path, timeout: float = 1800) -> dict:
    session = Session(url, origin=url)
    await session.connect()
    first = await session.run(page_name="map")
    good = first.texts[0]
    before = status_mib("VmRSS", pid)
    for table in data.glob("*.csv"):
        if not (big / table.name).exists():
            table.unlink()
    for table in big.glob("*.csv"):
        shutil.copy(table, data / table.name)
    started = time.perf_counter()
    child = ChildPeak(pid)
    reruns, shown = [], good
    while shown == good and time.perf_counter() - started < timeout:
        run = await session.run(page_name="map", timeout=timeout)
        shown = run.texts[0]
        noticed = any(LOADING in m.body for m in run.of_type("alert"))
        reruns.append({"seconds": round(run.seconds, 2), "last_good": shown == good, "notice": noticed})
        await asyncio.sleep(1)  # a reader's pace between two reruns
    loaded = time.perf_counter() - started
    child.done.set()
    await session.close()
    during = [r["seconds"] for r in reruns[:-1]]
    return {
        "rss_before_mib": round(before),
        "peak_mib": round(status_mib("VmHWM", pid)),
        "rss_after_mib": round(status_mib("VmRSS", pid)),
        "load_seconds": round(loaded, 1),
        "reruns_while_loading": len(reruns) - 1,
        "median_rerun_while_loading_s": statistics.median(during) if during else None,
        "slowest_rerun_while_loading_s": max(during, default=None),
        "validating_child_peak_mib": round(child.peak),
        "all_last_good_with_notice": all(r["last_good"] and r["notice"] for r in reruns[:-1]),
    }


def main(big: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="swap-") as tmp:
        data = copy_dataset(SAMPLE, Path(tmp) / "data")
        with Server(data, env={"GEO_CACHE_DIR": str(Path(tmp) / "cache")}) as server:
            figures = run_async(lambda: watch(server.url, server.process.pid, data, big))
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
