"""Server CPU per filter change on a real Streamlit server, the dashboard's and a bare app's.

AppTest (:mod:`geo.bench.rerun`) runs the script in the benchmark's own process and never turns
its elements into messages or sends them. A served rerun does: it also serializes every element,
writes it to the websocket, and ends with Streamlit's garbage collection. Here each app runs as
``streamlit run`` on 127.0.0.1 (headless, no code watch, as a served worker runs), one headless
tab (:mod:`geo.bench.client`) moves the date slider ``count`` times, waiting for each rerun to
finish, and the server process's CPU time over those reruns (from ``/proc``, every thread) is
divided by their number. Both apps see the same changes: windows of a third of the period,
spread over it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Served:
    url: str
    pid: int


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """The user and system CPU time a process has used so far, every thread (``/proc``, Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Poll Streamlit's health endpoint until it answers 200, the process exits, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)  # between two polls, whatever the answer
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def served(script: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Iterator[Served]:
    """``streamlit run script`` on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=script.parent,
        env={**os.environ, "MALLOC_ARENA_MAX": "2", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout)
        yield Served(url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def _reruns(server: Served, slider_label: str, count: int) -> tuple[list[float], float, float]:
    from geo.bench.client import Session, day, micros

    session = Session(server.url, origin=server.url)
    await session.get("/")
    await session.connect()
    try:
        first = await session.run()
        if first.status != "finished" or first.exceptions:
            raise RuntimeError(f"the first run of {server.url}: {first.status}, {first.exceptions[:1]}")
        slider = first.widget("slider", slider_label)
        lo, hi = day(slider.min), day(slider.max)
        width = (hi - lo) // 3
        windows = [lo + (hi - lo - width) * i // max(1, count - 1) for i in range(count)]
        for start in windows[:2]:  # warm-up: a rerun's caches, as a served page has them
            session.set(slider.id, double_array_value=[micros(start), micros(start + width)])
            await session.run()
        wall = []
        # /proc counts CPU in ticks (10 ms here), as long as a rerun: the total over all of them
        # is divided, not each rerun's own count.
        cpu_started = cpu_seconds(server.pid)
        for start in windows:
            session.set(slider.id, double_array_value=[micros(start), micros(start + width)])
            run = await session.run()
            wall.append(run.seconds)
            if run.status != "finished" or run.exceptions:
                raise RuntimeError(f"a rerun of {server.url}: {run.status}")
        from geo.bench.memory import rss_mib

        # the worker's resident memory with the tables loaded and a session's reruns done
        return wall, (cpu_seconds(server.pid) - cpu_started) / count, rss_mib(server.pid)
    finally:
        await session.close()


def server_reruns(
    script: Path, slider_label: str, count: int, env: dict[str, str] | None = None
) -> tuple[list[float], float, float]:
    """The wall seconds of each of ``count`` reruns of ``script``'s first page after a change of
    its date slider (the one labelled ``slider_label``), the server's mean CPU seconds per rerun, and
    its resident memory (MiB) after them."""
    from geo.bench.client import run_async

    with served(script, env) as server:
        return run_async(lambda: _reruns(server, slider_label, count))
