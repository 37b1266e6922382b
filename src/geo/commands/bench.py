"""``python -m geo bench --sizes 10000,100000,1000000 [--json FILE]``: the scaling benchmark.

With the reruns (the default), the data served (``--data-dir``, else ``$GEO_DATA_DIR``, else the
shipped data) is measured first, then each synthetic size: the CPU per filter change of the
dashboard and of a bare app, in AppTest and on real servers (:mod:`geo.bench.rerun`)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("bench", parents=[common], help="measure load, filter, map, rerun, table and export times")
    p.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of verdicts")
    p.add_argument("--json", type=Path, help="also write the results to this file")
    p.add_argument("--workdir", type=Path, help="where the synthetic datasets go (kept between runs)")
    p.add_argument("--repeats", type=int, default=7, help="filter changes and repeats per figure")
    p.add_argument("--no-rerun", action="store_true", help="skip the AppTest page rerun")
    p.add_argument("--browser", action="store_true", help="also time the map in Debian's chromium (needs it)")
    p.add_argument(
        "--app",
        type=Path,
        help="the dashboard's app.py, for the rerun and browser figures (default: the source checkout's)",
    )
    p.add_argument(
        "--downloads",
        type=int,
        default=200_000,
        help="also time the CSV and Excel downloads of this many decisions against pandas' writers (0: skip)",
    )
    p.add_argument("--one", type=int, help=argparse_hidden())
    p.add_argument("--downloads-worker", type=int, help=argparse_hidden())
    p.set_defaults(func=run)


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def run(args) -> int:
    from geo.bench import scaling as bench

    workdir = args.workdir or Path(tempfile.gettempdir()) / "qantar-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    if args.one:  # a worker: one size, in this process, JSON on stdout
        print(
            json.dumps(
                bench.measure(
                    args.one, workdir, args.repeats, rerun=not args.no_rerun, browser=args.browser, app=args.app
                )
            )
        )
        return 0
    if args.downloads_worker:  # a worker: the downloads figure, JSON on stdout
        print(json.dumps(bench.download_figures(args.downloads_worker, workdir)))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = {"sizes": {}, "machine": bench.machine()}
    if sizes and not args.no_rerun:  # the reruns of the data served (the shipped data by default) first
        from geo.bench import checkout_app
        from geo.data.paths import data_dir

        served = data_dir(args.data_dir)
        results["dataset"] = {
            "data_dir": str(served),
            **bench.rerun_figures(served, args.app or checkout_app(), str(served)),
        }
    if sizes:  # --sizes "" measures only the downloads
        results = {
            **results,
            **bench.run(sizes, workdir, args.repeats, rerun=not args.no_rerun, browser=args.browser, app=args.app),
        }
        print(bench.table(results))
    if args.downloads:
        results["downloads"] = bench.run_downloads(args.downloads, workdir)
        print(
            "\n" + bench.downloads_table(results["downloads"]) if sizes else bench.downloads_table(results["downloads"])
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0
