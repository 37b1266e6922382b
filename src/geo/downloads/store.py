"""Made files, kept until fetched, within :class:`~geo.downloads.limits.Limits`.

A download button is given a :class:`Recipe`: the file's maker and what tells it apart (filter,
language, format, order). :meth:`MadeFiles.get_or_make` applies the limits to a click and either
hands back the file (made now, or already made for that session under the same key) or says why
not (:class:`~geo.downloads.limits.Refusal`). Files are kept per session under a random token,
which the server's own route serves (:mod:`geo.dashboard.made_downloads`); they go when their
session ends, when the session or the process holds too many, and after a fixed lifetime.

Thread-safe: Streamlit makes deferred files in a pool of threads.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from geo.downloads.limits import LIMITS, Limits, Refusal

_LOG = logging.getLogger(__name__)
MINUTE = 60.0


@dataclass(frozen=True, eq=False)
class Recipe:
    """A download's file, made only when asked for. Calling it makes the bytes (what Streamlit does
    with a deferred download's callable where :mod:`geo.dashboard.made_downloads` is not installed)."""

    make: Callable[[], bytes | str]
    key: Hashable  # equal keys, the same file: what it holds, its language, format and order
    kind: str  # csv, xlsx, geojson, png, svg
    rows: int  # rows it holds (the limits bound some kinds by rows)
    file_name: str
    mime: str
    lang: str = "en"

    def __call__(self) -> bytes | str:
        return self.make()


@dataclass(frozen=True, eq=False)
class Made:
    token: str
    session: str
    key: Hashable
    data: bytes
    mime: str
    file_name: str
    lang: str
    made_at: float


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    limit: int | None = None  # TOO_MANY_ROWS: the row limit; BUDGET: the files a minute
    retry_after: float | None = None  # seconds until asking again can succeed, where known


@dataclass
class _Session:
    started: deque[float] = field(default_factory=deque)  # when its files began to be made, last minute
    making: bool = False


class MadeFiles:
    """One process's made files and the state the per-session limits need."""

    def __init__(self, limits: Limits = LIMITS, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._lock = threading.Lock()
        self._files: OrderedDict[str, Made] = OrderedDict()  # by token, oldest first
        self._by_key: dict[tuple[str, Hashable], str] = {}
        self._sessions: dict[str, _Session] = {}
        self._turns = threading.BoundedSemaphore(limits.making_at_once)
        self.held_bytes = 0
        self.made = 0  # files made since the start (a file handed out again is not counted)

    # --- asking for a file ---------------------------------------------------------------------

    def get_or_make(self, session: str, recipe: Recipe) -> Made | Refused:
        """The file ``recipe`` describes, for ``session``: the one already made under its key, a new
        one, or why there is none."""
        limit = self.limits.row_limit(recipe.kind, recipe.rows)
        if limit is not None:
            return Refused(Refusal.TOO_MANY_ROWS, limit=limit)
        now = self.clock()
        with self._lock:
            self._expire(now)
            token = self._by_key.get((session, recipe.key))
            if token is not None:
                return self._files[token]
            state = self._sessions.setdefault(session, _Session())
            if state.making:
                return Refused(Refusal.ONE_AT_A_TIME)
            while state.started and now - state.started[0] >= MINUTE:
                state.started.popleft()
            if len(state.started) >= self.limits.per_minute:
                wait = MINUTE - (now - state.started[0])
                return Refused(Refusal.BUDGET, limit=self.limits.per_minute, retry_after=max(1.0, wait))
            state.making = True
            state.started.append(now)
        try:
            return self._make(session, recipe, state)
        finally:
            with self._lock:
                state.making = False

    def _make(self, session: str, recipe: Recipe, state: _Session) -> Made | Refused:
        if not self._turns.acquire(timeout=self.limits.wait_for_turn_seconds):
            with self._lock:
                if state.started:
                    state.started.pop()  # not made: it does not count against the reader
            return Refused(Refusal.SERVER_BUSY, retry_after=self.limits.wait_for_turn_seconds)
        try:
            data = recipe.make()
        except Exception:
            _LOG.exception("a download could not be made (%s)", recipe.file_name)
            return Refused(Refusal.FAILED)
        finally:
            self._turns.release()
        body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(body) > self.limits.file_bytes:
            return Refused(Refusal.TOO_BIG, limit=self.limits.file_bytes)
        with self._lock:
            made = Made(
                secrets.token_urlsafe(24),
                session,
                recipe.key,
                body,
                recipe.mime,
                recipe.file_name,
                recipe.lang,
                self.clock(),
            )
            self._keep(made)
            self.made += 1
        return made

    # --- fetching and letting go ---------------------------------------------------------------

    def file(self, token: str) -> Made | None:
        """The made file ``token`` names, while it is kept."""
        with self._lock:
            self._expire(self.clock())
            return self._files.get(token)

    def sweep(self, alive: Callable[[str], bool] | None = None) -> int:
        """Drop expired files and, given ``alive`` (whether a session still runs), the files and
        counters of sessions that ended. Returns how many files went."""
        with self._lock:
            dropped = self._expire(self.clock())
            if alive is not None:
                ended = {m.session for m in self._files.values()} | set(self._sessions)
                ended = {s for s in ended if not alive(s)}
                for made in [m for m in self._files.values() if m.session in ended]:
                    self._drop(made)
                    dropped += 1
                for session in ended:
                    state = self._sessions.get(session)
                    if state is not None and not state.making:
                        del self._sessions[session]
            return dropped

    def __len__(self) -> int:
        with self._lock:
            return len(self._files)

    def _keep(self, made: Made) -> None:
        self._files[made.token] = made
        self._by_key[(made.session, made.key)] = made.token
        self.held_bytes += len(made.data)
        own = [m for m in self._files.values() if m.session == made.session]
        for old in own[: max(0, len(own) - self.limits.per_session_files)]:
            self._drop(old)
        while self.held_bytes > self.limits.total_bytes and len(self._files) > 1:
            self._drop(next(iter(self._files.values())))

    def _drop(self, made: Made) -> None:
        if self._files.pop(made.token, None) is not None:
            self.held_bytes -= len(made.data)
            if self._by_key.get((made.session, made.key)) == made.token:
                del self._by_key[(made.session, made.key)]

    def _expire(self, now: float) -> int:
        dropped = 0
        while self._files:
            oldest = next(iter(self._files.values()))
            if now - oldest.made_at < self.limits.lifetime_seconds:
                break
            self._drop(oldest)
            dropped += 1
        return dropped
