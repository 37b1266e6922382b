"""``python -m geo coverage``: what the dataset holds against the official totals, by year."""

from __future__ import annotations

from geo.data.dataset import DataError, load_dataset
from geo.data.paths import data_dir
from geo.query.aggregates import coverage_by_year
from geo.query.view import DatasetIndex
from geo.views import present


def register(sub, common) -> None:
    p = sub.add_parser(
        "coverage",
        parents=[common],
        help="decisions, people, cities and sources per year, beside the official count (Markdown)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        ds = load_dataset(data_dir(args.data_dir))
    except DataError as error:
        print(error.report)
        return 1
    frame = coverage_by_year(DatasetIndex.build(ds))
    print(present.markdown_table(present.coverage_table(frame)))
    return 0
