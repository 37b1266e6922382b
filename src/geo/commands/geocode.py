"""``python -m geo geocode``: resolve place names, or fill missing coordinates in locations.csv.

Exit status: 0 everything resolved; 1 some name/row stayed unresolved (not found or ambiguous);
2 usage or set-up error; 3 the geocoding service failed (one line on stderr, data unchanged).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys

from geo.data.paths import data_dir
from geo.places import gazetteer
from geo.places.geocode import (
    DEFAULT_MIN_DELAY,
    DEFAULT_PROVIDER,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Gazetteer,
    GeocodeError,
    GeocoderConfigError,
    OnlineGeocoder,
    ProjectLocations,
    Resolution,
    Resolver,
    default_cache_path,
)
from geo.places.locations_file import FILENAME, Fill, fill_coordinates, read_locations

EXIT_UNRESOLVED, EXIT_USAGE, EXIT_FAILURE = 1, 2, 3


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "geocode",
        parents=[common],
        help="resolve place names; --update fills locations.csv",
        description="Resolve place names (any script or spelling) through locations.csv, then the offline "
        "GeoNames gazetteer, then -- only with --online -- a geocoding service.",
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="place names to resolve")
    p.add_argument(
        "--update",
        action="store_true",
        help="fill missing latitude/longitude in locations.csv (atomically), recording the source in 'geocoder'",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per name instead of text")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    g = p.add_argument_group("offline gazetteer")
    g.add_argument(
        "--country",
        default=gazetteer.DEFAULT_COUNTRY,
        help="ISO country code the gazetteer and online search are limited to; 'any' for none (default: %(default)s)",
    )
    g.add_argument(
        "--min-population",
        type=int,
        choices=gazetteer.POPULATION_THRESHOLDS,
        default=gazetteer.DEFAULT_MIN_POPULATION,
        help="smallest gazetteer city (default: %(default)s)",
    )
    o = p.add_argument_group("online geocoder (used only with --online)")
    o.add_argument("--online", action="store_true", help="ask a geocoding service for names found offline nowhere")
    o.add_argument("--provider", default=DEFAULT_PROVIDER, help="geopy service name (default: %(default)s)")
    o.add_argument("--domain", help="service host[:port], e.g. a private Nominatim")
    o.add_argument("--scheme", choices=("https", "http"), help="default: https")
    o.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request (default: %(default)s)")
    o.add_argument("--user-agent", default=USER_AGENT, help="default: %(default)s")
    o.add_argument("--contact", help="e-mail or URL appended to the user agent, as Nominatim's policy asks")
    o.add_argument("--api-key", help="for providers that need one")
    o.add_argument(
        "--min-delay",
        type=float,
        default=DEFAULT_MIN_DELAY,
        help="seconds between requests (default: %(default)s, Nominatim's limit)",
    )
    o.add_argument("--retries", type=int, default=2, help="retries after a service error (default: %(default)s)")
    o.add_argument("--cache", help="JSON cache of online answers (default: DATA_DIR/.cache/geocode-PROVIDER.json)")
    p.set_defaults(func=run)


def _country(value: str) -> str | None:
    return None if value.strip().lower() in ("", "any", "*") else value.strip().upper()


def _online(args) -> OnlineGeocoder:
    return OnlineGeocoder.for_service(
        args.provider,
        user_agent=args.user_agent,
        contact=args.contact,
        domain=args.domain,
        scheme=args.scheme,
        timeout=args.timeout,
        api_key=args.api_key,
        cache_path=args.cache or default_cache_path(args.provider, args.data_dir),
        country=_country(args.country),
        min_delay=args.min_delay,
        max_retries=args.retries,
    )


def _point(lat: float | None, lon: float | None) -> str:
    return "no coordinates yet (run geocode --update)" if lat is None or lon is None else f"{lat:.5f}, {lon:.5f}"


def describe(r: Resolution) -> str:
    """One line for a person."""
    if r.status == "found":
        return f"{r.query} -> {r.id} ({r.name}) {_point(r.latitude, r.longitude)} [{r.backend}]"
    if r.status == "ambiguous":
        options = "; ".join(
            f"{c.id} ({c.name}) {_point(c.latitude, c.longitude)}" + (f" pop. {c.population}" if c.population else "")
            for c in r.candidates
        )
        return f"{r.query} -> ambiguous [{r.backend}]: {options}"
    return f"{r.query} -> not found"


def _bar(items, args, desc):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="place", file=sys.stderr, disable=True if args.quiet else None, leave=False)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run(args) -> int:
    if bool(args.names) == bool(args.update):
        return _fail("give place names, or --update (not both)", EXIT_USAGE)
    country = _country(args.country)
    try:
        online = _online(args) if args.online else None
        if args.update:
            return _update(args, country, online)
        return _resolve_names(args, country, online)
    except BrokenPipeError:  # stdout closed early (| head): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except GeocoderConfigError as e:
        return _fail(str(e), EXIT_USAGE)
    except GeocodeError as e:
        return _fail(f"{e}" + (f"; {FILENAME} left unchanged" if args.update else ""), EXIT_FAILURE)
    except OSError as e:
        return _fail(f"{e.filename or ''}: {e.strerror or e}", EXIT_FAILURE)


def _resolve_names(args, country, online) -> int:
    from tqdm import tqdm

    backends = [ProjectLocations.from_data_dir(args.data_dir), Gazetteer(country, args.min_population)]
    resolver = Resolver(backends + ([online] if online else []))
    unresolved = 0
    for name in _bar(args.names, args, "geocoding"):
        r = resolver.resolve(name)
        unresolved += not r.found
        tqdm.write(json.dumps(dataclasses.asdict(r), ensure_ascii=False) if args.json else describe(r), file=sys.stdout)
    return EXIT_UNRESOLVED if unresolved else 0


def _update(args, country, online) -> int:
    path = data_dir(args.data_dir) / FILENAME
    todo = [loc for loc in read_locations(path) if not loc.has_coordinates]
    if not todo:
        print(f"{path}: every location has coordinates; nothing to fill")
        return 0
    offline = Resolver([Gazetteer(country, args.min_population)])
    fills: dict[str, Fill] = {}
    unresolved: list[str] = []
    for loc in _bar(todo, args, "geocoding"):
        # offline: every spelling, primary names first; online: the primary name only (one request)
        tries = [offline.resolve(name) for name in loc.names()]
        r = next((t for t in tries if t.found), None)
        if r is None and online is not None and loc.name:
            r = Resolver([online]).resolve(loc.name)  # a failure raises before anything is written
            tries.append(r)
        if r is not None and r.found and r.latitude is not None and r.longitude is not None and r.id is not None:
            fills[loc.location_id] = Fill(r.latitude, r.longitude, r.id)
        else:
            ambiguous = next((t for t in tries if t.status == "ambiguous"), None)
            unresolved.append(describe(ambiguous) if ambiguous else f"{loc.location_id}: not found")
    changed = fill_coordinates(path, fills)
    for location_id, f in fills.items():
        print(f"filled {location_id}: {f.latitude:.5f}, {f.longitude:.5f} [{f.geocoder}]")
    for line in unresolved:
        print(f"unresolved {line}", file=sys.stderr)
    print(f"{path}: {changed} row(s) filled, {len(unresolved)} left without coordinates", file=sys.stderr)
    return EXIT_UNRESOLVED if unresolved else 0
