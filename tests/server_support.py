"""The dashboard served for real, by `streamlit run` on 127.0.0.1, for the browser and load tests.

The server runs from the repository root, so it reads the project's ``.streamlit/config.toml``
exactly as ``make run`` does; its output goes to ``artifacts/streamlit-<port>.log``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from geo.bench import memory

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Poll the health endpoint until it answers 200, the process exits, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass  # not listening yet
        time.sleep(0.3)  # between two polls, whatever the answer
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


#: What ``make run`` serves: app.py behind the upload guard (see serve.py).
SERVE = ROOT / "serve.py"


class Server:
    """``streamlit run SCRIPT`` (default: the dashboard as ``make run`` serves it, ``serve.py``)
    on a free port of 127.0.0.1."""

    def __init__(self, data_dir: Path | None = None, script: Path | None = None, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = dict(os.environ)
        environment.pop("GEO_DATA_DIR", None)
        # Served dashboards run unmeasured: coverage's tracing would slow the latencies that the
        # load and browser tests record (the AppTests measure the same code in process).
        environment.pop("COVERAGE_PROCESS_CONFIG", None)
        if data_dir is not None:
            environment["GEO_DATA_DIR"] = str(data_dir)
        environment.setdefault("MALLOC_ARENA_MAX", "2")  # as `make run` serves it (see the Makefile)
        environment.update(env or {})
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"streamlit-{self.port}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 -- the server's stdout until stop() closes it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script or SERVE),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(self.url, self.process)
        except BaseException:
            self.stop()
            raise

    def rss_mib(self) -> float:
        """The server process's resident memory now (VmRSS), in MiB."""
        return memory.rss_mib(self.process.pid)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
