"""``python -m geo mentions PATH…``: which known places each article names.

Without ``--output`` the table (with a context column) goes to stdout as CSV. With ``--output`` it
goes to that file *without* article text unless ``--with-context``: that is how the shipped
``data/mentions.csv`` is made. Candidates (unknown places after cues) go to stderr, or to
``--candidates FILE``.
"""

from __future__ import annotations

import os
import sys

from geo.places import gazetteer
from geo.places.mentions import (
    CANDIDATE_COLUMNS,
    COLUMNS,
    CONTEXT_COLUMN,
    DEFAULT_CONTEXT_CHARS,
    MentionsError,
    find_mentions,
    write_csv,
    write_mentions,
    write_table,
)


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "mentions",
        parents=[common],
        help="find mentions of known places in article text files",
        description="Scan UTF-8 .txt articles (folders are walked) for whole-word mentions of the places in "
        "locations.csv, in any spelling the geocoder knows.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article .txt files or folders")
    p.add_argument("-o", "--output", help="write the mentions table here (atomically) instead of stdout")
    p.add_argument(
        "--with-context",
        action="store_true",
        help="keep the context column in --output (article text: never for the shipped data)",
    )
    p.add_argument(
        "--context-chars",
        type=int,
        default=DEFAULT_CONTEXT_CHARS,
        help="context characters either side of a mention (default: %(default)s)",
    )
    p.add_argument("--candidates", metavar="FILE", help="write candidate places to this CSV instead of stderr")
    p.add_argument(
        "--gazetteer",
        action="store_true",
        help="also count gazetteer names (ids geonames:N); off by default: many also name other things "
        "(Oral, Lenin, Abay the poet, the Aral sea)",
    )
    p.add_argument("--country", default=gazetteer.DEFAULT_COUNTRY, help="gazetteer country (default: %(default)s)")
    p.add_argument(
        "--min-population",
        type=int,
        choices=gazetteer.POPULATION_THRESHOLDS,
        default=gazetteer.DEFAULT_MIN_POPULATION,
        help="smallest gazetteer city (default: %(default)s)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def run(args) -> int:
    country = None if args.country.strip().lower() in ("", "any", "*") else args.country
    try:
        scan = find_mentions(
            args.paths,
            data_dir=args.data_dir,
            gazetteer=args.gazetteer,
            country=country,
            min_population=args.min_population,
            context_chars=args.context_chars,
            progress=False if args.quiet else None,
        )
        if args.output:
            write_mentions(scan.mentions, args.output, with_context=args.with_context)
        else:
            write_table(sys.stdout, scan.mentions, (*COLUMNS, CONTEXT_COLUMN))
        if args.candidates:
            write_csv(scan.candidates, CANDIDATE_COLUMNS, args.candidates)
    except BrokenPipeError:  # stdout closed early (| head): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except MentionsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    for label, why in scan.skipped:
        print(f"skipped: {label}: {why}", file=sys.stderr)
    if not args.candidates:
        for c in scan.candidates:
            hint = f" -> {c.suggestion}" if c.suggestion else ""
            print(f"candidate: {c.candidate!r} in {c.file} at {c.first_offset} ({c.cue}){hint}", file=sys.stderr)
    if not args.quiet:
        named = len({m.file for m in scan.mentions})
        print(
            f"{len(scan.files)} article(s), {named} naming a known place, {len(scan.mentions)} mention row(s), "
            f"{len(scan.candidates)} candidate(s)"
            + (f", {len(scan.skipped)} skipped" if scan.skipped else "")
            + (f"; wrote {args.output}" if args.output else ""),
            file=sys.stderr,
        )
    return 0
