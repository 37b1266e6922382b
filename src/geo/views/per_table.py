"""Results made from a whole table (or a dataset's index), made once per object.

A loaded dataset's tables are never changed (``Dataset`` hands out the same frames to every
rerun), and the labels made from them (a city's, a source's, a person's) do not depend on the
filter. Made again on every rerun, they were a good part of a Cases page rerun. Kept here by the
identity of the table (checked through a weak reference, so a table's id reused after it is gone
never hits, and a replaced data version is not kept alive by it) and the other arguments; the
result is shared by every caller, who must not change it. The map's fitted view is kept the same
way, per :class:`~geo.query.view.DatasetIndex`.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

R = TypeVar("R")

#: Tables × languages kept per function; past it the memo starts again (a few datasets, 3 languages).
ENTRIES = 32


def per_table(fn: Callable[..., R], entries: int = ENTRIES) -> Callable[..., R]:
    """``fn(table, *args)``, remembered per table object and ``args`` (hashable); at most
    ``entries`` results, past which the memo starts again."""
    memo: dict[tuple[Hashable, ...], tuple[weakref.ref[Any], R]] = {}
    lock = threading.Lock()

    @functools.wraps(fn)
    def remembered(table: Any, *args: Any) -> R:
        key = (id(table), *args)
        found = memo.get(key)
        if found is not None and found[0]() is table:
            return found[1]
        result = fn(table, *args)
        with lock:
            if len(memo) >= entries:
                memo.clear()
            memo[key] = (weakref.ref(table), result)
        return result

    remembered.memo = memo  # type: ignore[attr-defined]  # for tests and for a look from a debugger
    return remembered
