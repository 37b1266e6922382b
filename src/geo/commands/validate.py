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
    if args.warm_cache:
        return warm_cache(directory, args.quiet)
    report = validate_dir(directory)
    _print(directory, report, args.quiet)
    return 0 if report.ok else 1


def _print(directory, report, quiet: bool) -> None:
    if not quiet and report.problems:
        print(report)
    print(f"{directory}: {report.summary()}", file=sys.stdout if report.ok else sys.stderr)


def warm_cache(directory, quiet: bool) -> int:
    """Validate by loading, as the dashboard does: one pass over the tables, which stores the cache
    when they validate (the dashboard validates a large change this way, in a child process)."""
    # commands load pandas and pyarrow only when they run (per-file ignore of PLC0415)
    from geo.data import cache
    from geo.data.dataset import DataError, load_dataset

    try:
        report = load_dataset(directory).report
    except DataError as error:
        _print(directory, error.report, quiet)
        return 1
    _print(directory, report, quiet)
    stored = cache.read(directory, cache.current_fingerprint(directory)) is not None
    print(f"{cache.slot(directory)}: {'cache stored' if stored else 'the cache could not be written'}")
    return 0 if stored else 1
