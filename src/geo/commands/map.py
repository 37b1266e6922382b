"""``python -m geo map [--city NAME …] [--from DATE] [--to DATE] [--lang ru] --out map.png|map.svg``: the map
as an image."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

FORMATS = (".png", ".svg")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date of the form YYYY-MM-DD: {text!r}") from None


def register(sub, common) -> None:
    from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES
    from geo.views.marks import SIZE_BY

    p = sub.add_parser(
        "map",
        parents=[common],
        help="draw the map of a filter as a PNG (twice the screen size, for print) or an SVG",
        description="Draw the dashboard's map for a filter, offline: borders, a circle per court city, event "
        "rings, city names, a title stating the filter and its result, a key of circle sizes and a source line. "
        "The format follows the suffix of --out. Without --from, everything up to --to is counted.",
    )
    p.add_argument(
        "--city",
        action="append",
        default=[],
        metavar="ID_OR_NAME",
        help="a city by id or any name the data knows (Almaty, Алматы, Alma-Ata); repeat it or separate by commas",
    )
    p.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=iso_date, metavar="DATE", help="last day, YYYY-MM-DD")
    p.add_argument(
        "--size-by", choices=SIZE_BY, default=SIZE_BY[0], help="what the circles count (default: %(default)s)"
    )
    p.add_argument("--no-events", action="store_true", help="leave out the events' rings")
    p.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="the language of the title, names, key, legend and source line, as ?lang= gives it (default: %(default)s)",
    )
    p.add_argument(
        "--width",
        type=int,
        default=None,
        metavar="PX",
        help="the map's width in pixels, as a screen of that width shows it (default: the desktop's 940; a 390 px "
        "phone's map is 358); everything around the map flows to it",
    )
    p.add_argument("--out", type=Path, required=True, help="the file to write: .png or .svg")
    p.set_defaults(func=run)


def run(args) -> int:
    from geo.data.dataset import DataError, load_dataset
    from geo.data.paths import data_dir
    from geo.places.resolve import place_index, resolve_places
    from geo.query.filters import Filters
    from geo.query.view import DatasetIndex
    from geo.views import deck, descriptions, map_image, place_labels

    suffix = args.out.suffix.lower()
    if suffix not in FORMATS:
        print(f"error: --out must end in .png or .svg, not {args.out.name!r}", file=sys.stderr)
        return 2
    if args.start and args.end and args.start > args.end:
        print(f"error: --from {args.start} is after --to {args.end}", file=sys.stderr)
        return 2
    try:
        ds = load_dataset(data_dir(args.data_dir))
    except DataError as error:
        print(error.report, file=sys.stderr)
        return 1
    labels = place_labels.city_labels(ds.locations)
    places = resolve_places(args.city, place_index(ds.locations, labels), labels)
    for name in places.unknown:
        print(f'error: no place called "{name}" in the data (its cities are in locations.csv)', file=sys.stderr)
    for name in places.ambiguous:
        print(f'error: "{name}" names several places; give its id (see locations.csv)', file=sys.stderr)
    if places.unknown or places.ambiguous:
        return 2

    view = DatasetIndex.build(ds).view(Filters.of(args.start, args.end, places.ids), lang=args.lang)
    collection = deck.load_borders(deck.borders_path(ds.data_dir))
    borders = None if collection is None else deck.borders_for_map(collection)
    draw = map_image.map_png if suffix == ".png" else map_image.map_svg
    if args.width is not None and not 200 <= args.width <= 4000:
        print(f"error: --width must be between 200 and 4000 pixels, not {args.width}", file=sys.stderr)
        return 2
    width = {"width_px": args.width} if args.width else {}
    data = draw(view, size_by=args.size_by, events=not args.no_events, borders=borders, **width)
    try:
        args.out.write_bytes(data)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(data):,} bytes): {descriptions.description(view)}")
    return 0
