"""The report of ``make loadtest`` (tests/load/proxy_load.py): its targets, its Markdown table (one
column per run, each run on one page), the readers one worker can hold, and the block of
docs/serving.md that the command rewrites, so that the table there is the command's own output."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from geo.serving import WORKER_CPU_SHARE

#: A worker is kept below this share of a core: past it, its reruns start to queue.
CPU_SHARE = WORKER_CPU_SHARE
#: docs/serving.md holds the last table between these two lines; ``--doc`` rewrites what is between.
BEGIN, END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"


def readers_per_worker(run: dict, share: float = CPU_SHARE) -> int | None:
    """How many readers of ``run``'s kind one worker serves at ``share`` of a core: each asks for a
    rerun every mean think time and each rerun costs the workers' measured CPU per rerun."""
    cpu_ms = run.get("worker_cpu_ms_per_rerun") or 0
    if cpu_ms <= 0:
        return None
    reruns_per_second = 2 / (run["think_s"][0] + run["think_s"][1])
    return int(share / (cpu_ms / 1000 * reruns_per_second))


def label(run: dict) -> str:
    workers = f"{run['workers']} worker{'s' if run['workers'] > 1 else ''}"
    killed = ", one killed half-way" if "kill" in run else ""
    return (
        f"{run['page'].capitalize()} page, {workers}{killed}, {run['sessions']} readers within {run['arrival_s']:.3g} s"
    )


def targets(runs: list[dict], p95_ms: int) -> list[str]:
    """What failed, in words (nothing: the run passed). Every run: no error, no failed download.
    With 2 workers or more and no kill: p95 within the target, on either page; in the kill run: every
    reader of the killed worker got its view back from the URL, and no other reader noticed."""
    failures = []
    for p in runs:
        name = label(p)
        if p["errors"]:
            failures.append(f"{name}: {p['errors']} errors, e.g. {p['error_examples'][:3]}")
        if p["downloads_failed"]:
            failures.append(f"{name}: {p['downloads_failed']} failed downloads")
        if "kill" in p:
            k = p["kill"]
            if not k["readers_lost_connection"]:
                failures.append(f"{name}: no reader lost its connection: the kill reached no one")
            if k["readers_restored_from_url"] != k["readers_lost_connection"]:
                failures.append(
                    f"{name}: {k['readers_restored_from_url']} of {k['readers_lost_connection']} views came back"
                )
            if k["other_readers_with_errors"] or k["other_readers_lost_connection"]:
                failures.append(f"{name}: readers of the other workers noticed the kill")
        elif p["workers"] >= 2 and (p["latency_p95_ms"] or 0) > p95_ms:
            failures.append(f"{name}: p95 {p['latency_p95_ms']} ms over the target of {p95_ms} ms")
    return failures


def _process(name: str):
    def cell(p: dict) -> str:
        f = p["processes"].get(name)
        return f"{f['cpu_percent']} %, {f['rss_mib']:.0f} MiB ({f['rss_mib_max']:.0f})" if f else "—"

    return cell


def markdown(runs: list[dict]) -> str:
    """One column per run: what the readers saw and what it cost the machine."""
    names = sorted({w for p in runs for w in p["processes"] if w != "nginx"})

    def cases_only(f):
        return lambda p: f(p) if p["page"] == "cases" else "—"

    rows = [
        (
            "readers; seconds; a change every",
            lambda p: f"{p['sessions']}; {p['seconds']:.0f} s; {p['think_s'][0]:g}–{p['think_s'][1]:g} s",
        ),
        ("reruns", lambda p: p["reruns"]),
        (
            "rerun p50 / p95 / p99",
            lambda p: f"{p['latency_p50_ms']} / {p['latency_p95_ms']} / {p['latency_p99_ms']} ms",
        ),
        ("slowest rerun", lambda p: f"{p['latency_max_ms']} ms"),
        ("first view p50 / p95", lambda p: f"{p['first_view_p50_ms']} / {p['first_view_p95_ms']} ms"),
        ("errors", lambda p: p["errors"]),
        ("CSV downloads (failed)", cases_only(lambda p: f"{p['downloads']} ({p['downloads_failed']})")),
        (
            "failed: asked of the wrong worker / removed by Streamlit before fetched",
            cases_only(lambda p: f"{p['downloads_misrouted']} / {p['downloads_removed_before_fetched']}"),
        ),
        ("readers per worker", lambda p: ", ".join(f"{k} {v}" for k, v in sorted(p["readers_per_worker"].items()))),
    ]
    rows += [(f"{name}: CPU, RSS at the end (peak)", _process(name)) for name in names]
    rows += [
        ("workers' CPU per rerun (downloads included)", lambda p: f"{p['worker_cpu_ms_per_rerun']} ms"),
        (
            f"readers one worker serves at {round(CPU_SHARE * 100)} % of a core",
            lambda p: "—" if "kill" in p else readers_per_worker(p),
        ),
        ("nginx CPU", lambda p: f"{p['processes']['nginx']['cpu_percent']} %"),
        (
            "load generator CPU: of a core; of the machine",
            lambda p: f"{p['load_generator_cpu_percent']} %; {p['load_generator_machine_percent']} %",
        ),
        ("load average at the end (1, 5, 15 min)", lambda p: ", ".join(f"{x:g}" for x in p["load_average_at_end"])),
    ]
    out = ["| | " + " | ".join(label(p) for p in runs) + " |", "| --- |" + " --- |" * len(runs)]
    out += [f"| {name} | " + " | ".join(str(f(p)) for p in runs) + " |" for name, f in rows]
    for p in runs:
        if "kill" in p:
            k = p["kill"]
            out += [
                "",
                f"Kill: {k['worker']} SIGKILLed at {k['at_s']} s holding {k['readers_on_it']} readers, answering "
                f"again {k['back_after_s']} s later (supervisord); {k['readers_lost_connection']} readers lost "
                f"their websocket and reconnected to {', '.join(k['moved_to']) or '—'}, "
                f"{k['readers_restored_from_url']} views restored from the URL (p50 {k['restored_p50_ms']} ms), "
                f"{k['downloads_after_the_move']} downloads of theirs after it; the other {k['other_readers']} "
                f"readers: {k['other_readers_with_errors']} with errors, {k['other_readers_lost_connection']} "
                "lost connections.",
            ]
    return "\n".join(out) + "\n"


def write(path_json: Path, path_md: Path, settings: dict, runs: list[dict], failures: list[str], p95_ms: int) -> str:
    """The runs so far into ``path_json`` and ``path_md``; the Markdown table."""
    report = {
        "settings": settings,
        "targets": {"p95_ms_with_2_workers": p95_ms, "errors": 0, "failed_downloads": 0},
        "passed": not failures,
        "failures": failures,
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "runs": runs,
    }
    path_json.parent.mkdir(parents=True, exist_ok=True)
    path_json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown(runs)
    path_md.write_text(table, encoding="utf-8")
    return table


def into_doc(doc: Path, table: str, heading: str) -> None:
    """Put ``heading`` and ``table`` between :data:`BEGIN` and :data:`END` in ``doc``."""
    text = doc.read_text(encoding="utf-8")
    block = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not block.search(text):
        raise ValueError(f"{doc} has no {BEGIN} … {END} block")
    text = block.sub(lambda _: f"{BEGIN}\n{heading}\n\n{table}{END}", text, count=1)
    doc.write_text(text, encoding="utf-8")
