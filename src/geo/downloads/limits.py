"""The limits on making files for readers, as data (``docs/downloads.md`` states them for readers).

A download is made on the server when its button is clicked. Without limits one websocket could
ask for the same file again and again, each time costing seconds of CPU and, held until fetched,
a file's size in memory. The limits below bound what one session may ask for and what all of them
may hold together; :class:`~geo.downloads.store.MadeFiles` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

MiB = 2**20


def _rows() -> Mapping[str, int]:
    # Kinds not named here are bounded by the number of places (the map, the per-city totals).
    # A hundred thousand decisions make a CSV of about 30 MB, and an Excel file in a few seconds.
    return MappingProxyType({"csv": 100_000, "xlsx": 100_000})


@dataclass(frozen=True)
class Limits:
    #: Most rows one file of a kind may hold; past it the button is disabled and says why.
    max_rows: Mapping[str, int] = field(default_factory=_rows)
    #: Files one session may have made in any minute (a file already made and asked for again is free).
    per_minute: int = 10
    #: Files being made at once in one server process, whatever the session (each session: one at a time).
    making_at_once: int = 1
    #: How long a request waits for its turn behind other sessions' files before it is refused.
    wait_for_turn_seconds: float = 20.0
    #: Bytes of made files one process keeps, all sessions together; the oldest go first.
    total_bytes: int = 192 * MiB
    #: Most bytes one made file may hold (a file past it is refused, not kept).
    file_bytes: int = 64 * MiB
    #: Made files one session keeps (its oldest goes first).
    per_session_files: int = 4
    #: Seconds a made file is kept at most, from when it was made; it goes earlier when its session ends.
    lifetime_seconds: float = 600.0
    #: How often expired files and those of ended sessions are looked for.
    sweep_seconds: float = 5.0

    def row_limit(self, kind: str, rows: int) -> int | None:
        """The row limit ``rows`` of ``kind`` exceeds, else None."""
        limit = self.max_rows.get(kind)
        return limit if limit is not None and rows > limit else None


#: The limits the dashboard runs with.
LIMITS = Limits()


class Refusal(Enum):
    """Why a file was not made (each has its message for readers: :mod:`geo.views.download_notes`)."""

    TOO_MANY_ROWS = "too_many_rows"
    ONE_AT_A_TIME = "one_at_a_time"
    BUDGET = "budget"
    SERVER_BUSY = "server_busy"
    TOO_BIG = "too_big"
    FAILED = "failed"
