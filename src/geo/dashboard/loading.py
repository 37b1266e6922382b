"""The data a rerun shows: the data directory's dataset and its indexes, loaded once per process
and data version (a large change in the background, while readers keep the version before), and
the map's borders. Everything here is a process-wide cache (``st.cache_resource``): see
docs/architecture.md for what is cached where.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from dataclasses import dataclass

import streamlit as st
from streamlit.logger import get_logger

from geo.data import cache
from geo.data.background import Latest, stamp_bytes, validate_in_child
from geo.data.dataset import Dataset, load_or_last_good
from geo.data.paths import data_dir
from geo.data.validate import Report
from geo.i18n import translation
from geo.query.view import DatasetIndex
from geo.views import deck

#: Problems the server's log lists when the data does not validate (``geo validate`` lists them all).
LOGGED_PROBLEMS = 1000

_LOG = get_logger(__name__)


@dataclass(frozen=True, eq=False)
class Current:
    """The data this rerun shows."""

    index: DatasetIndex | None  # None: no version of the data directory has ever validated
    pending: bool = False  # the files on disk do not validate yet; ``index`` is the last version that did
    loading: bool = False  # the files on disk changed and are being read; ``index`` is the version before


#: A data directory of up to this many bytes of files is read on the rerun that sees it change (a
#: moment); a larger one in the background, while readers keep the version served before.
WAIT_BYTES = 4 * 2**20


@st.cache_resource(show_spinner=False)
def _loaders() -> dict[str, Latest[Current]]:
    """This process's served version of each data directory (cleared with the other caches)."""
    return {}


_LOADERS_LOCK = threading.Lock()


def _log_problems(directory: str, report: Report, shown: Dataset | None) -> None:
    problems = report.sorted()
    listed = [str(p) for p in problems[:LOGGED_PROBLEMS]]
    if len(problems) > LOGGED_PROBLEMS:
        listed.append(f"… and {len(problems) - LOGGED_PROBLEMS} more; `python -m geo validate` lists them all")
    if shown is None:
        _LOG.error(
            "data in %s does not validate (%s) and no earlier version of it did: readers are told that the "
            "data cannot be shown. The problems:\n%s",
            directory,
            report.summary(),
            "\n".join(listed),
        )
    else:
        _LOG.warning(
            "data in %s does not validate (%s): readers see the version validated at %s until it does. "
            "The problems:\n%s",
            directory,
            report.summary(),
            shown.validated_at.isoformat(timespec="seconds") if shown.validated_at else "an unknown time",
            "\n".join(listed),
        )


def _freeze_long_lived_objects() -> None:
    """Leave the loaded modules and data out of every later garbage collection.

    Streamlit collects all generations after every script run (``runner.postScriptGC``), which
    keeps a session's temporaries from piling up but walks every live object each time: with the
    libraries and the dataset loaded, that walk was the largest single cost of a rerun. What lives
    now lives as long as the process (or this data version), so it is frozen: the collections
    after each run see only what runs allocate. Unfreezing first lets a replaced data version's
    cycles be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _load(directory: str, stamp: tuple, served: Current | None) -> Current:
    """The version of ``directory``'s files (``stamp``), run by :class:`geo.data.background.Latest`
    once per change: one immutable index per process and data version. While the files do not
    validate, the last good index (``served``'s, else the copy on disk) with ``pending`` set."""
    started = time.perf_counter()
    kept = served.index if served is not None else None
    if kept is not None and stamp_bytes(stamp) > WAIT_BYTES:
        validated, said = validate_in_child(directory)
        if validated is None:  # the child could not tell: loaded here instead
            _LOG.warning("validating %s in a child process failed; loading it in the server:\n%s", directory, said)
        elif not validated:  # the child listed the problems; the last good index stays
            listed = said.splitlines()
            if len(listed) > LOGGED_PROBLEMS:
                listed = [*listed[:LOGGED_PROBLEMS], "… `python -m geo validate` lists them all"]
            _LOG.warning(
                "data in %s does not validate: readers see the version validated at %s until it does:\n%s",
                directory,
                kept.data.validated_at.isoformat(timespec="seconds") if kept.data.validated_at else "an unknown time",
                "\n".join(listed),
            )
            return Current(kept, pending=True)
    loaded = load_or_last_good(directory, kept=None if kept is None else kept.data)
    if loaded.problems is not None:
        _log_problems(directory, loaded.problems, loaded.dataset)
    if loaded.dataset is None:
        return Current(None)
    if kept is not None and loaded.dataset is kept.data:
        return Current(kept, pending=True)
    index, pending = DatasetIndex.build(loaded.dataset), loaded.pending
    _freeze_long_lived_objects()
    if not pending:  # one line per actual load, for operators and for the load test's count
        _LOG.info(
            "dataset loaded from %s in %.2f s (%s)",
            directory,
            time.perf_counter() - started,
            index.data.report.summary(),
        )
    return Current(index, pending=pending)


def _loader(directory: str) -> Latest[Current]:
    loaders = _loaders()
    with _LOADERS_LOCK:
        if directory not in loaders:
            loaders[directory] = Latest(functools.partial(_load, directory), WAIT_BYTES, name=directory)
        return loaders[directory]


def current_data(lang: str = "en") -> Current:
    """The dataset of ``$GEO_DATA_DIR`` (else ``data/``) and its indexes, built once per process
    and data version; while the files do not validate, the last version that did; while a large
    change is being read (:mod:`geo.data.background`), the version served before it. Both with
    ``pending`` set."""
    directory = data_dir()
    loader, stamp = _loader(str(directory)), cache.stat_stamp(directory)
    if loader.serves(stamp):
        answer = loader.current(stamp)
    else:  # a load may be waited for: said, if it lasts
        with st.spinner(translation(lang).gettext("Loading the data…")):
            answer = loader.current(stamp)
    if answer.value is None or answer.value.index is None:
        return Current(None)
    if answer.stale:  # being read, or its load failed (the log says why)
        return Current(answer.value.index, pending=answer.value.pending or not answer.loading, loading=answer.loading)
    return answer.value


@st.cache_resource(show_spinner=False, max_entries=4)
def _borders(path: str, stamp: tuple) -> dict | None:
    collection = deck.load_borders(path)
    return None if collection is None else deck.borders_for_map(collection)


def borders(ds: Dataset) -> dict | None:
    """Outlines from the data directory's ``borders.geojson``, else the shipped one."""
    path = deck.borders_path(ds.data_dir)
    return _borders(str(path), cache.stat_stamp(path.parent))
