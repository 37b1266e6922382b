"""``python -m geo validate``: check the dataset and list every problem as file:line:column."""

from __future__ import annotations

import sys

from geo.data.paths import data_dir
from geo.data.validate import validate_dir


def register(sub, common) -> None:
    p = sub.add_parser("validate", parents=[common], help="check the data files against data/datapackage.json")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")
    p.add_argument(
        "--warm-cache",
        action="store_true",
        help="when the data validates, also store its columnar cache, as the dashboard's first load would "
        "(a container or a new worker starts from it)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    directory = data_dir(args.data_dir)
    report = validate_dir(directory)
    if not args.quiet and report.problems:
        print(report)
    stream = sys.stdout if report.ok else sys.stderr
    print(f"{directory}: {report.summary()}", file=stream)
    if report.ok and args.warm_cache:
        # commands load pandas and pyarrow only when they run (per-file ignore of PLC0415)
        from geo.data import cache
        from geo.data.dataset import load_dataset

        load_dataset(directory)
        stored = cache.read(directory, cache.current_fingerprint(directory)) is not None
        print(f"{cache.slot(directory)}: {'cache stored' if stored else 'the cache could not be written'}", file=stream)
        return 0 if stored else 1
    return 0 if report.ok else 1
