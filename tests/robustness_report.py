"""The robustness figures the tests measure, gathered in ``artifacts/robustness-report.json``.

Each test writes its own section (the corpus writes one entry per input); a run of the whole
suite refreshes every section, a run of one test refreshes its own and keeps the others, each
with the time it was measured. The README's *Robustness* section summarises the latest figures.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "artifacts" / "robustness-report.json"


def machine() -> dict[str, Any]:
    import streamlit

    total_kb = (
        next(
            (
                int(line.split()[1])
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")
            ),
            0,
        )
        if Path("/proc/meminfo").exists()
        else 0
    )
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(total_kb / 2**20, 1),
        "python": sys.version.split()[0],
        "streamlit": streamlit.__version__,
        "platform": platform.platform(terse=True),
    }


def _read() -> dict[str, Any]:
    try:
        return json.loads(REPORT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write(report: dict[str, Any]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report["machine"] = machine()
    corpus = report.get("corpus", {}).get("inputs", {})
    if corpus:
        kinds = [entry["kind"] for entry in corpus.values()]
        report["corpus"].update(
            tried=len(kinds),
            rejected=kinds.count("error"),
            flagged=kinds.count("warning"),
            data_dir_changed=sum(not entry.get("data_dir_unchanged", True) for entry in corpus.values()),
        )
    tmp = REPORT.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, REPORT)


def stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@contextmanager
def _updating() -> Iterator[dict[str, Any]]:
    """The report, read and written back under a lock: the test workers (xdist) share one file."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with open(REPORT.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        report = _read()
        yield report
        _write(report)


def record(section: str, **figures: Any) -> None:
    """Set ``section`` to ``figures`` (with the time they were measured)."""
    with _updating() as report:
        report[section] = {**figures, "measured": stamp()}


def record_input(name: str, kind: str, **outcome: Any) -> None:
    """One corpus input: ``kind`` is ``error`` (rejected) or ``warning`` (loads, rows flagged)."""
    with _updating() as report:
        corpus = report.setdefault("corpus", {})
        corpus.setdefault("inputs", {})[name] = {"kind": kind, **outcome, "measured": stamp()}
