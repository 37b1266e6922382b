"""``python -m geo validate``: check the dataset and list every problem as file:line:column."""

from __future__ import annotations

import sys

from geo.data.paths import data_dir
from geo.data.validate import validate_dir


def register(sub, common) -> None:
    p = sub.add_parser("validate", parents=[common], help="check the data files against data/datapackage.json")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")
    p.set_defaults(func=run)


def run(args) -> int:
    directory = data_dir(args.data_dir)
    report = validate_dir(directory)
    if not args.quiet and report.problems:
        print(report)
    stream = sys.stdout if report.ok else sys.stderr
    print(f"{directory}: {report.summary()}", file=stream)
    return 0 if report.ok else 1
