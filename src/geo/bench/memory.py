"""A process's memory as the kernel reports it in ``/proc/<pid>/status``, in MiB (Linux only).

The kernel's "kB" there are KiB, so dividing by 1024 gives MiB. ``VmRSS`` is what is resident
now; ``VmHWM`` is the peak of the process's life. The peak is read here rather than from
``getrusage``'s ``ru_maxrss`` because Linux carries ``ru_maxrss`` over an exec, so a child
started by a big process would report its parent's peak.
"""

from __future__ import annotations

import statistics
import time


def status_mib(field: str, pid: int | None = None) -> float:
    """The ``field`` line (``"VmRSS"``, ``"VmHWM"`` …) of ``/proc/<pid>/status``, in MiB; ``pid``
    ``None`` is this process."""
    path = f"/proc/{'self' if pid is None else pid}/status"
    with open(path, encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(f"no {field} line in {path}")


def rss_mib(pid: int | None = None) -> float:
    """Resident memory now (``VmRSS``), in MiB."""
    return status_mib("VmRSS", pid)


def peak_mib(pid: int | None = None) -> float:
    """The highest resident memory so far (``VmHWM``), in MiB."""
    return status_mib("VmHWM", pid)


def steady_rss_mib(pid: int | None = None, samples: int = 6, interval_s: float = 0.5) -> float:
    """Median of a few ``rss_mib`` readings ``interval_s`` apart: one reading may catch the
    garbage collector or the allocator mid-way."""
    readings = []
    for _ in range(samples):
        readings.append(rss_mib(pid))
        time.sleep(interval_s)
    return statistics.median(readings)
