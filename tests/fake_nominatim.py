"""A fake Nominatim on 127.0.0.1 for tests: geopy's real client talks HTTP to it, nothing leaves the machine.

``server.mode`` picks the answer: ``answer`` (one realistic result), ``empty`` (no result), ``429``,
``503``, ``slow`` (answers only when the test ends, after any client time-out), ``garbage`` (not JSON), ``wrong_shape``
(JSON, but not Nominatim's). Also: a refused port, a no-network guard, and a CLI runner. Every request is recorded (path with query string, User-Agent, time).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

#: shaped like https://nominatim.openstreetmap.org/search?format=json output; values are made up
ANSWER = {
    "place_id": 123456,
    "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
    "osm_type": "relation",
    "osm_id": 987654,
    "lat": "43.2003",
    "lon": "76.6250",
    "class": "boundary",
    "type": "administrative",
    "place_rank": 16,
    "importance": 0.52,
    "addresstype": "town",
    "name": "Kaskelen",
    "display_name": "Kaskelen, Karasay District, Almaty Region, Kazakhstan",
    "boundingbox": ["43.1600", "43.2400", "76.5700", "76.6800"],
}
#: The client's time-out, generous so that a loaded machine still answers in time; the ``slow``
#: mode holds its answer until the server stops, so it is always late, however long this is.
CLIENT_TIMEOUT = 3.0


@dataclass
class Request:
    path: str
    user_agent: str
    at: float

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)


class _Handler(BaseHTTPRequestHandler):
    server: FakeNominatim

    def do_GET(self):
        srv = self.server
        with srv.lock:
            srv.requests.append(Request(self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        mode = srv.mode
        if mode == "slow":
            srv.stopping.wait(timeout=60)  # later than any client time-out: until the test ends
            return self._send(200, json.dumps([ANSWER]).encode())
        if mode in ("429", "503"):
            return self._send(
                int(mode),
                b"<html><body>go away</body></html>",
                "text/html",
                {"Retry-After": "7"} if mode == "429" else None,
            )
        body = {
            "answer": json.dumps([ANSWER]).encode(),
            "empty": b"[]",
            "garbage": b"<html>\x00this is not json",
            "wrong_shape": b'[{"unexpected": true}]',
        }[mode]
        self._send(200, body)

    def _send(self, status, body, ctype="application/json; charset=utf-8", headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args):  # keep pytest output clean
        pass


class FakeNominatim(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "answer"
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def searches(self) -> list[Request]:
        return [r for r in self.requests if urlsplit(r.path).path == "/search"]


@pytest.fixture
def fake_nominatim():
    server = FakeNominatim()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def refused_domain() -> str:
    """``127.0.0.1:PORT`` where nothing listens: bind a port, then free it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"127.0.0.1:{port}"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: offline paths must not try. Each attempt
    is also recorded and checked after the test, so code that catches the error still fails it."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
    assert attempts == [], f"network access attempted (and the error caught): {attempts[:3]}"


REPO = Path(__file__).resolve().parents[1]


#: ``python -m geo`` with every outgoing connection made to fail loudly
_OFFLINE = """
import socket, sys
def refuse(*a, **k):
    raise SystemExit(f"TEST FAILURE: network access attempted: {a!r}")
socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse
from geo.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def run_geo(*args: str, offline: bool = False, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m geo ARGS`` in a subprocess, as a user runs it (no proxies, UTF-8).

    ``offline=True`` runs the same entry point with sockets disabled. The data directory is the
    frozen sample (tests/fixtures/sample) unless ``--data-dir`` says otherwise: the shipped
    places grow with the record, and a test of the geocoder must not change its answer then.
    """
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(PYTHONUTF8="1", PYTHONPATH=str(REPO / "src"))
    env["GEO_DATA_DIR"] = str(REPO / "tests" / "fixtures" / "sample")  # frozen places; --data-dir overrides
    entry = ["-c", _OFFLINE] if offline else ["-m", "geo"]
    return subprocess.run(
        [sys.executable, *entry, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=timeout,
        check=False,
    )
