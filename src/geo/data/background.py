"""A data directory's version as served, and the loading of a changed one off the readers' path.

Readers' reruns ask :meth:`Latest.current` for the data with the files' stamp
(:func:`geo.data.cache.stat_stamp`). While the stamp is the one served, that is the answer. When it
changes, one thread of this process reads and validates the new files; meanwhile every rerun is
answered with the version served before, marked as loading, so a reader keeps the last good data
(and the dashboard's pending notice) instead of waiting for the load. Small directories (up to
``wait_bytes`` of files) are waited for, so an edit shows on the next rerun as before; the first
load of a process is always waited for, as there is nothing else to show.

At most one load runs at a time: a stamp that changes again during a load (a copy still being
written) is loaded once the running load ends, and only then. So the memory a change costs is the
version served plus one being loaded, however often the files change.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

_LOG = logging.getLogger(__name__)
T = TypeVar("T")


#: Seconds a validation in a child process may take before it is given up (the files then count
#: as not validating until they change again).
CHILD_TIMEOUT = 3600


def validate_in_child(directory: str, timeout: float = CHILD_TIMEOUT) -> tuple[bool | None, str]:
    """``python -m geo validate --warm-cache`` on ``directory`` in a child process: True when the
    files validated and their columnar cache was stored, False when the child said they do not
    validate, None when it could not tell (it could not start, crashed or ran out of time: the
    caller then loads in process); and what the child printed. Reading and validating a large
    table takes seconds of CPU and several times the table's size in memory; in a child neither
    competes with readers' reruns for the server's interpreter, and the memory is the kernel's
    again when the child exits. The server then reads the stored cache."""
    command = [sys.executable, "-m", "geo", "validate", "--warm-cache", "--data-dir", directory]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"the validation could not run: {error}"
    said = (done.stdout + done.stderr).strip()
    if done.returncode == 0:
        return True, said
    # geo validate ends with "<directory>: <summary>" when it has judged the files
    lines = said.splitlines()
    judged = done.returncode == 1 and bool(lines) and lines[-1].startswith(f"{Path(directory)}: ")
    return (False if judged else None), said


def stamp_bytes(stamp: tuple) -> int:
    """The files' total size, from a :func:`geo.data.cache.stat_stamp` stamp."""
    return sum(int(entry[1]) for entry in stamp)


@dataclass(frozen=True)
class Answer(Generic[T]):
    value: T | None  # None only before the first load has ended
    stale: bool  # the files on disk are not (yet) this version: a load runs, or the last one failed
    loading: bool = False  # a load of the files on disk runs


class Latest(Generic[T]):
    """The served version of one data directory. ``load(stamp, served)`` makes a version of the
    files (``served``: the version served now, None at first)."""

    def __init__(self, load: Callable[[tuple, T | None], T], wait_bytes: int, name: str = "data") -> None:
        self._load = load
        self.wait_bytes = wait_bytes
        self.name = name
        self._lock = threading.Lock()
        self._served: T | None = None
        self._served_stamp: tuple | None = None
        self._loading: tuple | None = None  # the stamp being loaded
        self._wanted: tuple | None = None  # the newest stamp asked for
        self._failed: tuple | None = None  # a stamp whose load raised: not tried again until it changes
        self._done = threading.Condition(self._lock)
        self.loads = 0  # loads finished (for tests and the log)

    def current(self, stamp: tuple) -> Answer[T]:
        with self._lock:
            self._wanted = stamp
            if stamp == self._served_stamp and self._loading is None:
                return Answer(self._served, False)
            if self._loading is None and stamp not in (self._served_stamp, self._failed):
                self._start(stamp)
            wait = self._served is None or stamp_bytes(stamp) <= self.wait_bytes
            while wait and self._loading is not None:
                self._done.wait()
            loading = self._loading is not None
            return Answer(self._served, loading or self._served_stamp != stamp, loading)

    def serves(self, stamp: tuple) -> bool:
        """Whether :meth:`current` answers ``stamp`` at once with the version it is (the usual rerun)."""
        with self._lock:
            return stamp == self._served_stamp and self._loading is None

    def wait(self, timeout: float) -> bool:
        """Wait until no load runs (tests, tools); returns whether none does."""
        with self._lock:
            return self._done.wait_for(lambda: self._loading is None, timeout)

    def _start(self, stamp: tuple) -> None:
        self._loading = stamp
        threading.Thread(target=self._run, args=(stamp,), name=f"load-{self.name}", daemon=True).start()

    def _run(self, stamp: tuple) -> None:
        try:
            loaded: T | None = self._load(stamp, self._served)
        except Exception:  # a load that fails keeps the served version
            _LOG.exception("loading %s failed; the version served before stays", self.name)
            loaded = None
        with self._lock:
            if loaded is not None:
                self._served, self._served_stamp = loaded, stamp
            else:
                self._failed = stamp
            self.loads += 1
            self._loading = None
            if self._wanted is not None and self._wanted not in (self._served_stamp, stamp):
                self._start(self._wanted)  # the files changed during the load: load them as they are now
            self._done.notify_all()
