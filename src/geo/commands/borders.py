"""``python -m geo borders SOURCE [--check] [--out PATH]``: rebuild borders.geojson from world-atlas."""

from __future__ import annotations

import sys
from pathlib import Path

from geo.data.paths import data_dir


def register(sub, common) -> None:
    p = sub.add_parser(
        "borders",
        parents=[common],
        help="build borders.geojson from Natural Earth (world-atlas 2.0.2); needs shapely, the `borders` extra",
        description="Select Kazakhstan, its neighbours and the other countries in the map's box from the "
        "world-atlas TopoJSON, clip them to the box, simplify them as one coverage (shared borders stay "
        "shared), round and write one feature per line. Never touches the network.",
    )
    p.add_argument(
        "source",
        type=Path,
        metavar="SOURCE",
        help="world-atlas-2.0.2.tgz as `npm pack world-atlas@2.0.2` fetches it, or an extracted countries-50m.json",
    )
    p.add_argument("--out", type=Path, help="where to write (default: DATA_DIR/borders.geojson)")
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if --out differs from what would be written"
    )
    p.add_argument(
        "--tolerance",
        type=float,
        help="coverage_simplify tolerance in degrees, 0 for none (default: the shipped file's)",
    )
    p.add_argument("--precision", type=int, help="decimal places kept (default: the shipped file's)")
    p.set_defaults(func=run)


def run(args) -> int:
    from geo.places import borders_build as bb

    out = args.out or data_dir(args.data_dir) / "borders.geojson"
    tolerance = bb.DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance
    precision = bb.DEFAULT_PRECISION if args.precision is None else args.precision
    try:
        data, stats = bb.build(args.source, tolerance=tolerance, precision=precision)
    except ImportError as error:
        print(f"error: {error}; install the `borders` extra: pip install -e '.[borders]'", file=sys.stderr)
        return 2
    except (OSError, ValueError, bb.BuildError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    summary = (
        f"{len(data):,} bytes, {stats.features} features, {stats.vertices:,} vertices "
        f"({stats.clipped_vertices:,} before simplifying; tolerance {tolerance:g}, {precision} decimals, "
        f"largest shift {stats.max_shift:.4f} degrees)"
    )
    if args.check:
        current = out.read_bytes() if out.is_file() else b""
        if current != data:
            print(f"{out} is out of date: a rebuild gives {summary}", file=sys.stderr)
            return 1
        print(f"{out} is up to date: {summary}")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {out}: {summary}")
    return 0
