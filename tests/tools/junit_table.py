"""The time of each test file, from pytest's JUnit XML, as the Markdown table of docs/testing.md.

    python tests/tools/junit_table.py BEFORE.xml… [--after AFTER.xml…]

Several files of one side are read as one run (files measured one at a time).

A test's time in the XML is its setup, call and teardown, so a module-scoped fixture (a served
dashboard, a browser) counts once, in the test that started it. The kind of a file is what
dominates its cost, read off its source (first match wins: a file under tests/e2e is "browser";
one that starts ``streamlit run`` or nginx is "served"; one that opens pages in AppTest is
"AppTest"; Hypothesis; child processes; else "in-process").

Under the table: the sum per kind, and the estimate of a run on two workers that finish together
but for the longest file (``sum / 2 + longest``), for the run each XML records.
"""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KINDS = [
    ("browser", lambda path, text: path.startswith("tests/e2e/")),
    ("served", lambda path, text: bool(re.search(r"\b(Server|ServedBehindProxy)\(", text))),
    ("AppTest", lambda path, text: bool(re.search(r"\b(open_page|new_app|AppTest\.from_file)\(", text))),
    ("Hypothesis", lambda path, text: "@given" in text),
    ("child processes", lambda path, text: "subprocess" in text),
]


def kind_of(path: str) -> str:
    source = ROOT / path
    text = source.read_text(encoding="utf-8") if source.exists() else ""
    return next((name for name, matches in KINDS if matches(path, text)), "in-process")


def file_of(classname: str) -> str:
    """``tests.e2e.test_x`` or ``tests.test_x.TestClass`` -> ``tests/e2e/test_x.py``."""
    parts = classname.split(".")
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end]) + ".py"
        if (ROOT / candidate).exists():
            return candidate
    return "/".join(parts) + ".py"


@dataclass
class Run:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cpu: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    tests: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    has_cpu: bool = False


def read(paths: list[Path]) -> Run:
    run = Run()
    cases = [case for path in paths for case in ET.parse(path).getroot().iter("testcase")]
    for case in cases:
        if case.find("skipped") is not None:
            continue
        name = file_of(case.get("classname", ""))
        run.seconds[name] += float(case.get("time") or 0)
        run.tests[name] += 1
        for prop in case.iter("property"):
            if prop.get("name") == "cpu_s":  # tests/tools/cpu_times.py
                run.cpu[name] += float(prop.get("value") or 0)
                run.has_cpu = True
    return run


def counted(seconds: dict[str, float], measure: str) -> dict[str, float]:
    """The browser files' CPU seconds are left out: chromium's helper processes leave the test's
    process tree (they are re-parented), so what they used is not counted, and may be subtracted."""
    return {f: s for f, s in seconds.items() if measure != "cpu" or kind_of(f) != "browser"}


def estimate(seconds: dict[str, float]) -> float:
    return sum(seconds.values()) / 2 + max(seconds.values(), default=0.0)


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def columns(runs: list[Run], labels: list[str]) -> list[tuple[str, str, Run]]:
    """(header, measure, run): each run's wall seconds, and its CPU seconds where it has them."""
    out = []
    for run, label in zip(runs, labels):
        out.append((f"wall s {label}", "seconds", run))
        if run.has_cpu:
            out.append((f"CPU s {label}", "cpu", run))
    return out


def table(runs: list[Run], labels: list[str]) -> str:
    cols = columns(runs, labels)
    files = sorted({f for run in runs for f in run.seconds}, key=lambda f: -max(r.seconds.get(f, 0.0) for r in runs))
    head = "| file | kind | " + " | ".join(f"tests {label}" for label in labels) + " | "
    head += " | ".join(h for h, _, _ in cols) + " |"
    lines = [head, "|" + " --- |" * (2 + len(runs) + len(cols))]
    for f in files:
        cells = [str(run.tests[f]) if f in run.tests else "–" for run in runs]
        cells += [
            "n/a"
            if measure == "cpu" and kind_of(f) == "browser"
            else f"{getattr(run, measure)[f]:.1f}"
            if f in run.seconds
            else "–"
            for _, measure, run in cols
        ]
        lines.append(f"| `{f}` | {kind_of(f)} | " + " | ".join(cells) + " |")
    lines += ["", "| kind | " + " | ".join(h for h, _, _ in cols) + " |", "|" + " --- |" * (1 + len(cols))]
    for kind in [name for name, _ in KINDS] + ["in-process"]:
        sums = [
            sum(s for f, s in counted(getattr(run, measure), measure).items() if kind_of(f) == kind)
            for _, measure, run in cols
        ]
        lines.append(f"| {kind} | " + " | ".join(f"{s:.0f}" for s in sums) + " |")
    lines.append(
        "| **all** | " + " | ".join(f"{sum(counted(getattr(r, m), m).values()):.0f}" for _, m, r in cols) + " |"
    )
    lines.append(
        "| **estimate on 2 workers** (sum / 2 + longest file) | "
        + " | ".join(minutes(estimate(counted(getattr(r, m), m))) for _, m, r in cols)
        + " |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xml", nargs="+", type=Path, help="JUnit XML of pytest runs (--junitxml)")
    parser.add_argument("--after", nargs="+", type=Path, help="JUnit XML of the runs to compare with")
    parser.add_argument("--labels", default="before,after", help="column labels, comma-separated")
    args = parser.parse_args(argv)
    runs = [read(args.xml)] + ([read(args.after)] if args.after else [])
    print(table(runs, args.labels.split(",")[: len(runs)]))


if __name__ == "__main__":
    main()
