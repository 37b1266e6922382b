"""A pytest plugin that records each test's CPU seconds, its own process's and its children's (a
served dashboard, chromium, a command run as a child), as the JUnit property ``cpu_s``.

    PYTHONPATH=src:tests/tools python -m pytest -p cpu_times --junitxml=run.xml tests/test_x.py

Wall times on a shared machine grow with its load; CPU seconds much less, so that two runs made
at different loads can be compared, and their sum over two cores estimates a run on a quiet machine
(``tests/tools/junit_table.py`` reads both). Linux only: the times are read from ``/proc``.
"""

from __future__ import annotations

import os

import pytest

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # the fields after the command's name, from the state on


def tree_cpu_seconds(root: int | None = None) -> float:
    """CPU seconds of ``root`` and of every descendant alive now, each with the children it has reaped."""
    root = os.getpid() if root is None else root
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat(entry)
        if fields is None:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])  # ppid
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 here
        times[pid] = sum(int(f) for f in fields[11:15]) / TICK
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item._cpu_started = tree_cpu_seconds()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    if call.when == "teardown" and hasattr(item, "_cpu_started"):
        item.user_properties.append(("cpu_s", round(tree_cpu_seconds() - item._cpu_started, 2)))
    return (yield)
