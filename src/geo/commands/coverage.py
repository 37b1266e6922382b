"""``python -m geo coverage``: how people are counted, each official count of people convicted beside
the record, and the record by year (Markdown); ``--readme`` writes the same into README.md."""

from __future__ import annotations

from pathlib import Path

from geo.data.dataset import DataError, load_dataset
from geo.data.paths import data_dir
from geo.i18n import LANGUAGES
from geo.query.view import DatasetIndex
from geo.views import official

#: The README's block that this command writes, between these two lines.
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def register(sub, common) -> None:
    p = sub.add_parser(
        "coverage",
        parents=[common],
        help="how people are counted, the official counts beside the record, the record by year (Markdown)",
    )
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="the language of the text (default: en)")
    p.add_argument(
        "--readme",
        type=Path,
        metavar="FILE",
        help=f"write the text into FILE between the lines {START} and {END} instead of printing it",
    )
    p.add_argument("--check", action="store_true", help="with --readme: exit 1 if FILE is not current, write nothing")
    p.set_defaults(func=run)


def with_block(text: str, block: str) -> str:
    """``text`` with what stands between :data:`START` and :data:`END` replaced by ``block``."""
    head, found, rest = text.partition(START)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"the file has no {START} … {END} block")
    return f"{head}{START}\n{block}\n{END}{tail}"


def run(args) -> int:
    try:
        ds = load_dataset(data_dir(args.data_dir))
    except DataError as error:
        print(error.report)
        return 1
    index = DatasetIndex.build(ds)
    block = official.coverage_markdown(index.official_comparison, index.coverage, args.lang)
    if args.readme is None:
        print(block)
        return 0
    current = args.readme.read_text(encoding="utf-8")
    try:
        wanted = with_block(current, block)
    except ValueError as error:
        print(f"{args.readme}: {error}")
        return 1
    if args.check:
        if wanted != current:
            print(f"{args.readme} is not current: run `make docs`")
            return 1
        return 0
    if wanted != current:
        args.readme.write_text(wanted, encoding="utf-8")
    return 0
