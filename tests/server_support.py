"""The dashboard served for real, by `streamlit run` on 127.0.0.1, for the browser and load tests.

The server runs from the repository root, so it reads the project's ``.streamlit/config.toml``
exactly as ``make run`` does; its output goes to ``artifacts/streamlit-<port>.log``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from geo.bench import memory
from geo.bench.served import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


def active_sessions(url: str) -> int:
    """The server's own count of its connected sessions (its metrics endpoint; a proxy hides it)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics?families=active_sessions", timeout=10) as r:
        text = r.read().decode()
    return int(re.search(r"^active_sessions(?:\{[^}]*\})?\s+(\d+)", text, re.M)[1])


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


def find_nginx() -> str | None:
    """nginx on PATH or where Debian puts it (``make nginx`` installs Debian's package)."""
    import shutil

    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def require_nginx() -> str:
    """The nginx binary with its stream module (``make serve``'s front, :mod:`geo.serving`), or a loud
    skip (a fail in CI, where ``make test`` installs both first)."""
    import pytest

    from geo.serving import STREAM_MODULE

    nginx = find_nginx()
    if nginx is not None and Path(STREAM_MODULE).exists():
        return nginx
    if nginx is None:
        message = "nginx not found: the proxy tests cannot run (make test installs Debian's nginx)"
    else:
        message = f"{STREAM_MODULE} not found: the proxy tests cannot run (make test installs libnginx-mod-stream)"
    if os.environ.get("CI"):
        pytest.fail(message)
    sys.stderr.write(f"\n!!! SKIPPING PROXY TESTS: {message}\n")
    pytest.skip(message)


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports of 127.0.0.1 that are free now."""
    import random

    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20000, 60000 - count)
        sockets = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no {count} consecutive free ports")


class ServedBehindProxy:
    """What ``make serve`` starts, on free ports of 127.0.0.1: ``workers`` Streamlit processes
    (serve.py) under supervisord, nginx in front (the configuration ``python -m geo serve-config``
    renders). Logs and sockets go to ``run_dir`` (default: a folder under artifacts/)."""

    def __init__(self, workers: int = 2, data_dir: Path | None = None, run_dir: Path | None = None, nginx=None):
        from geo import serving

        self.nginx = nginx or find_nginx()
        if self.nginx is None:
            raise RuntimeError("nginx is not installed")
        first = free_ports(workers + 1)
        self.pool = serving.workers(workers, first + 1)
        self.port = first
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.run_dir = (run_dir or ARTIFACTS / f"serve-{self.port}").resolve()
        environment = dict(os.environ)
        environment.pop("GEO_DATA_DIR", None)
        environment.pop("COVERAGE_PROCESS_CONFIG", None)  # unmeasured, as Server's (see there)
        if data_dir is not None:
            environment["GEO_DATA_DIR"] = str(Path(data_dir).resolve())
        self.environment = environment
        subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "serve-config",
                "--workers",
                str(workers),
                "--first-port",
                str(first + 1),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--run-dir",
                str(self.run_dir),
                "--root",
                str(ROOT),
                "--python",
                sys.executable,
                "--nginx",
                self.nginx,
            ],
            env=environment,
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.conf = self.run_dir / "supervisord.conf"
        self.log = open(self.run_dir / "supervisord.out", "wb")  # noqa: SIM115 -- closed by stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(self.conf)],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            for w in self.pool:
                self.wait_worker(w)
            wait_healthy(self.url, self.process)
        except BaseException:
            self.stop()
            raise

    def rpc(self):
        """supervisord's XML-RPC interface, over its socket in the run directory."""
        import xmlrpc.client

        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(None, None, f"unix://{self.run_dir / 'supervisor.sock'}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def pid(self, program: str) -> int:
        """The pid of a program supervisord runs (``worker-1`` … or ``nginx``); 0 when it does not run."""
        return int(self.rpc().getProcessInfo(program)["pid"])

    def worker_url(self, worker) -> str:
        return f"http://{worker.address}"

    def wait_worker(self, worker, timeout: float = 90, not_pid: int = 0) -> int:
        """Until the worker runs (another pid than ``not_pid``) and answers its health check; its pid."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"supervisord exited with {self.process.returncode}")
            try:
                pid = self.pid(worker.program)
            except OSError:
                pid = 0  # supervisord's socket is not there yet
            if pid and pid != not_pid:
                wait_healthy(self.worker_url(worker), self.process, timeout=max(1.0, deadline - time.monotonic()))
                return pid
            time.sleep(0.3)  # between two polls of supervisord
        raise TimeoutError(f"{worker.program} did not start within {timeout} s")

    def kill(self, worker) -> int:
        """SIGKILL a worker, as a crash or the kernel's OOM killer would; supervisord starts it again."""
        import signal

        pid = self.pid(worker.program)
        os.kill(pid, signal.SIGKILL)
        return pid

    def log_text(self, worker) -> str:
        return (self.run_dir / f"{worker.program}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.rpc().shutdown()
            except OSError:
                self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()  # its children are reaped by init
                self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> ServedBehindProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def request(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    """``(status, headers, body)`` of one HTTP request, an error status included (no exception)."""
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
