"""``python -m geo bench``: how the dashboard's work scales, fast path against the straightforward way.

Each size runs in its own process (so its memory is its own) on a synthetic dataset from
:mod:`geo.bench.synth`. Every figure is a median over repeated runs in that one process; the
straightforward way is measured beside the fast one in the same run and shown as a ratio,
because timings on a shared machine are noisy and only comparisons within a run mean much.

- ``cold_load_s``: a fresh process loading the typed tables from the columnar cache;
  ``csv_load_s``: the same from the CSV files (read, validate, type), as on a first start.
- ``filter_ms``: one filter change (date range + cities + sentence type) through the
  :class:`~geo.query.index.CaseIndex`: counts, per-city map totals, unplaced counts, the first
  table page; ``naive_filter_ms``: the same with pandas masks on the frame.
- ``map_json_bytes``: the map's deck as sent to the browser (one point per city);
  ``naive_map_json_bytes``: a point per verdict, as the usual pydeck demo does.
- ``rerun_ms``: a full rerun of the map page in Streamlit's AppTest after a slider change
  (:mod:`geo.bench.rerun`, in a process of its own); ``rerun_cpu_ms`` its CPU time, beside a bare
  app's (one slider, one pydeck map: ``bare_rerun_cpu_ms``) and their ratio. ``served_…``: the
  same on real servers driven over their websocket (:mod:`geo.bench.served`), where Streamlit
  also serializes, sends and collects garbage; ``bare_frozen_…``: the bare app with its loaded
  objects left out of that collection, as the dashboard's are.
- ``table_ms``: the Cases table page (1,000 rows) of the largest city; ``export_ms``: the CSV
  download of the filtered rows; ``rss_mib``: the process's resident memory (VmRSS, MiB) after
  all that (the CSV read, the naive filters and the export included); ``served_rss_mib``: the
  served dashboard's, after its reruns: what a worker holds.
- ``downloads`` (``--downloads N``, 200,000 by default, in a process of its own): the CSV and Excel
  downloads of every decision of an N-decision dataset, as the Cases page makes them
  (``csv_s``, ``xlsx_s``, median of three), against the straightforward way measured once in the
  same run: the same rows and readable columns (:func:`geo.views.export.download_rows`), every
  cell neutralised with ``DataFrame.map``, written by ``DataFrame.to_csv`` and by
  ``DataFrame.to_excel`` with the openpyxl engine (``naive_csv_s``, ``naive_xlsx_s``).
- with ``--browser`` (:mod:`geo.bench.browser`, against a separate ``streamlit run`` server):
  ``slider_to_map_ms``, from releasing the slider in Debian's chromium to the map's first
  redraw, and ``second_session_mib``, the server memory a second browser adds.

The rerun and browser figures run the dashboard's ``app.py``, which is not part of the package:
``app`` (``--app``) names it, by default :func:`geo.bench.checkout_app`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from geo.bench import checkout_app
from geo.bench.memory import rss_mib

PAGE_ROWS = 1000
#: The figures of :mod:`geo.bench.rerun`, by their names' beginnings.
RERUN_FIELDS = ("rerun_", "bare_", "served_")
FIELDS = [
    "cold_load_s",
    "csv_load_s",
    "filter_ms",
    "naive_filter_ms",
    "map_json_bytes",
    "naive_map_json_bytes",
    "rerun_ms",
    "rerun_cpu_ms",
    "bare_rerun_cpu_ms",
    "rerun_cpu_ratio",
    "served_rerun_cpu_ms",
    "bare_served_rerun_cpu_ms",
    "served_rerun_cpu_ratio",
    "bare_frozen_served_rerun_cpu_ms",
    "served_rerun_cpu_ratio_to_frozen",
    "served_rss_mib",
    "table_ms",
    "export_ms",
    "rss_mib",
]


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def filter_changes(ds, count: int, seed: int = 1):
    """Filter changes a user might make: a window of one to six months, one to three of the
    busiest cities, sometimes a sentence type."""
    from geo.query.filters import Filters

    rng = np.random.default_rng(seed)
    first, last = ds.span
    busiest = list(ds.convictions["location_id"].value_counts().index[:12])
    changes = []
    for _ in range(count):
        width = int(rng.integers(30, 183))
        start = first + timedelta(days=int(rng.integers(0, max(1, (last - first).days - width))))
        cities = list(rng.choice(busiest, size=int(rng.integers(1, 4)), replace=False))
        sentences = ["imprisonment"] if rng.random() < 0.3 else []
        changes.append(Filters.of(start, start + timedelta(days=width), cities, sentences))
    return changes


def cold_load_seconds(data_dir: Path, repeats: int) -> float:
    code = (
        "import time; from geo.data.dataset import load_dataset; t = time.perf_counter(); "
        f"load_dataset({str(data_dir)!r}); print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def rerun_figures(data_dir: Path, app: Path, label: str = "") -> dict:
    """:mod:`geo.bench.rerun` in a fresh process: the median map-page rerun after a slider change,
    its CPU time and the bare app's (one slider, one pydeck map) from the same run, and their ratio.
    Their lines go to stderr, after ``label`` (what the data is)."""
    result = subprocess.run(
        [sys.executable, "-m", "geo.bench.rerun", str(data_dir), "--app", str(app)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    # the one line a reader of the run wants: ours, the bare app's and the ratio
    sys.stderr.writelines(
        f"{label}: {line}\n" if label else line + "\n"
        for line in result.stderr.splitlines()
        if line.startswith("CPU per filter change")
    )
    try:
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        return {key: figures[key] for key in FIELDS if key.startswith(RERUN_FIELDS)}
    except (IndexError, KeyError, ValueError):
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
        return {"rerun_ms": None}


def browser_figures(data_dir: Path, app: Path) -> dict:
    """:mod:`geo.bench.browser`: slider change to map redraw, and a second session's memory."""
    result = subprocess.run(
        [sys.executable, "-m", "geo.bench.browser", str(data_dir), "--app", str(app)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
        return {}


def measure(
    n: int, workdir: Path, repeats: int = 7, rerun: bool = True, browser: bool = False, app: Path | None = None
) -> dict:
    """All figures for one size, in this process (the rerun and browser ones in their own)."""
    import pandas as pd
    import pydeck as pdk

    from geo.bench import checkout_reference
    from geo.bench.synth import synthesize
    from geo.data.dataset import load_dataset
    from geo.data.paths import SHIPPED_DATA_DIR
    from geo.query.filters import Filters
    from geo.query.view import DatasetIndex
    from geo.views import case_tables, deck, export

    data_dir = workdir / f"synth-{n}"
    if not (data_dir / "convictions.csv").exists():
        synthesize(n, data_dir)
    out: dict = {"cases": n}
    started = time.perf_counter()
    load_dataset(data_dir, use_cache=False)
    out["csv_load_s"] = time.perf_counter() - started
    load_dataset(data_dir)  # builds the cache if needed
    out["cold_load_s"] = cold_load_seconds(data_dir, 3)

    ds = load_dataset(data_dir)
    started = time.perf_counter()
    dataset_index = DatasetIndex.build(ds)
    index = dataset_index.cases
    out["index_build_s"] = time.perf_counter() - started
    changes = filter_changes(ds, repeats)

    def fast(f):
        view = dataset_index.view(f)
        return (
            (int(view.selected.sum()), view.people["total"]),
            view.city_totals(),
            index.unplaced(view.selected),
            view.rows(limit=PAGE_ROWS),
        )

    out["filter_ms"] = statistics.median(median_seconds(lambda f=f: fast(f), 3) for f in changes) * 1000
    ref = checkout_reference()  # the pandas reference, in a source checkout only
    if ref is not None:

        def naive(f):
            rows = ref.filter_convictions(ds.convictions, f)
            unplaced = ref.without_place(rows, ds.locations)
            return (
                (len(rows), ref.people_counts(ds.people, rows["case_id"], ds.convictions)["total"]),
                ref.city_totals(rows, ds.locations, ds.people),
                (len(unplaced), ref.people_counts(ds.people, unplaced["case_id"], ds.convictions)["total"]),
                case_tables.by_date(rows, "case_id").head(PAGE_ROWS),
            )

        agree = True
        for f in changes:  # the two ways must give the same numbers before their speed means anything
            a, b = fast(f), naive(f)
            agree &= a[0] == b[0] and a[2] == b[2] and list(a[3]["case_id"]) == list(b[3]["case_id"])
            columns = ["location_id", "decisions", "people", "convicted", "acquitted", "posthumous"]
            agree &= a[1][columns].values.tolist() == b[1][columns].values.tolist()
        out["agree"] = bool(agree)
        out["naive_filter_ms"] = statistics.median(median_seconds(lambda f=f: naive(f), 3) for f in changes) * 1000

    everything = index.select(Filters.of())
    shipped_borders = deck.load_borders(SHIPPED_DATA_DIR / "borders.geojson")
    assert shipped_borders is not None, "the shipped borders.geojson is missing"
    borders = deck.borders_for_map(shipped_borders)
    whole = dataset_index.view()
    the_map = deck.deck_for(whole.city_totals(), events=whole.event_totals(), borders=borders)
    out["map_json_bytes"] = len(the_map.to_json().encode("utf-8"))
    out["map_points"] = sum(len(layer.data) for layer in the_map.layers if layer.id in ("cities", "events"))
    out["map_badges"] = sum(len(layer.data) for layer in the_map.layers if layer.id == "outcomes")

    totals = index.city_totals(everything, ds.locations)
    largest = totals["location_id"].iloc[0]
    in_largest = everything & index.of_city(largest)
    out["table_ms"] = (
        median_seconds(
            lambda: case_tables.cases_table(whole.rows(in_largest, limit=PAGE_ROWS), ds.locations, ds.sources), repeats
        )
        * 1000
    )
    exported = changes[0]
    rows = dataset_index.view(exported).rows()
    out["export_rows"] = len(rows)
    out["export_ms"] = (
        median_seconds(lambda: export.convictions_file("csv", rows, ds.locations, ds.sources), 3 if n < 500_000 else 1)
        * 1000
    )
    out["rss_mib"] = rss_mib()

    # Last, because it is large: a point per verdict, as pydeck's usual examples send it.
    points = ds.convictions[["location_id", "defendants"]].merge(  # a point per decision
        ds.locations[["location_id", "latitude", "longitude"]], on="location_id", how="inner"
    )
    naive_map = pdk.Deck(
        layers=[
            pdk.Layer(
                "ScatterplotLayer",
                data=pd.DataFrame(points),
                get_position=["longitude", "latitude"],
                get_radius="defendants",
            )
        ]
    )
    out["naive_map_json_bytes"] = len(naive_map.to_json().encode("utf-8"))
    if rerun:
        out.update(rerun_figures(data_dir, app or checkout_app(), f"{n:,} verdicts"))
    if browser:
        out.update(browser_figures(data_dir, app or checkout_app()))
    return out


def download_figures(n: int, workdir: Path, repeats: int = 3) -> dict:
    """The downloads of all ``n`` decisions, ours against ``DataFrame.to_csv`` / ``to_excel``
    (openpyxl) of the same cells, in this process."""
    import io

    from geo.bench.synth import synthesize
    from geo.data.dataset import load_dataset
    from geo.query.view import DatasetIndex
    from geo.views import export

    data_dir = workdir / f"synth-{n}"
    if not (data_dir / "convictions.csv").exists():
        synthesize(n, data_dir)
    ds = load_dataset(data_dir)
    view = DatasetIndex.build(ds).view()
    about = export.about_for(view)

    def ours(kind: str) -> bytes:  # what the Cases page's button does on a click
        return export.convictions_file(kind, view.rows(), ds.locations, ds.sources, about)

    def naive(kind: str) -> bytes:
        frame = export.download_rows(view.rows(), ds.locations, ds.sources).map(export.neutralise)
        buffer = io.BytesIO()
        if kind == "csv":
            frame.to_csv(buffer, index=False)
        else:
            frame.to_excel(buffer, index=False, engine="openpyxl")
        return buffer.getvalue()

    for kind in ("csv", "xlsx"):  # imports and first-use costs out of the way
        export.convictions_file(kind, view.rows()[:100], ds.locations, ds.sources, about)
    out: dict = {"rows": int(view.selected.sum())}
    for kind in ("csv", "xlsx"):
        out[f"{kind}_s"] = median_seconds(lambda kind=kind: ours(kind), repeats)
        out[f"{kind}_bytes"] = len(ours(kind))
        started = time.perf_counter()
        out[f"naive_{kind}_bytes"] = len(naive(kind))
        out[f"naive_{kind}_s"] = time.perf_counter() - started
    out["rss_mib"] = rss_mib()
    return out


def downloads_table(figures: dict) -> str:
    """A Markdown table of :func:`download_figures`, with the naive/ours ratios."""
    lines = [
        f"| download of all {figures['rows']:,} decisions | ours | naive (DataFrame.to_csv / .to_excel, openpyxl) "
        "| naive / ours |",
        "|---|---|---|---|",
    ]
    for kind, name in (("csv", "CSV"), ("xlsx", "Excel")):
        ours, naive = figures[f"{kind}_s"], figures[f"naive_{kind}_s"]
        lines.append(
            f"| {name} | {ours:.1f} s ({figures[f'{kind}_bytes'] / 1e6:.0f} MB) "
            f"| {naive:.1f} s ({figures[f'naive_{kind}_bytes'] / 1e6:.0f} MB) | {naive / ours:.1f}× |"
        )
    return "\n".join(lines)


def run_downloads(n: int, workdir: Path, repeats: int = 3) -> dict:
    """:func:`download_figures` in a fresh process (its memory its own)."""
    done = subprocess.run(
        [sys.executable, "-m", "geo", "bench", "--downloads-worker", str(n), "--workdir", str(workdir)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(
    sizes: list[int],
    workdir: Path,
    repeats: int = 7,
    rerun: bool = True,
    browser: bool = False,
    app: Path | None = None,
) -> dict:
    """Each size in a fresh process; returns ``{"sizes": {"<N>": {...}}, "machine": {...}}``."""
    if rerun or browser:  # before any size runs: without a dashboard those figures cannot be made
        app = (app or checkout_app()).resolve()
        if not app.is_file():
            raise FileNotFoundError(f"no dashboard at {app}")
    results = {}
    for n in sizes:
        args = (
            [
                sys.executable,
                "-m",
                "geo",
                "bench",
                "--one",
                str(n),
                "--workdir",
                str(workdir),
                "--repeats",
                str(repeats),
            ]
            + ([] if rerun else ["--no-rerun"])
            + (["--browser"] if browser else [])
            + ([] if app is None else ["--app", str(app)])
        )
        # the worker's stderr passes through: a rerun or browser figure that failed says why there
        done = subprocess.run(args, stdout=subprocess.PIPE, text=True, check=True)
        results[str(n)] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"sizes": results, "machine": machine()}


def machine() -> dict:
    import platform

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": date.today().isoformat(),
    }


def table(results: dict) -> str:
    """A Markdown table of the results, with the fast/naive ratios."""
    sizes = results["sizes"]
    head = ["figure", *[f"{int(n):,}" for n in sizes]]
    rows = []

    def fmt(value, digits=1):
        return "–" if value is None else (f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.{digits}f}")

    for name in FIELDS + ["index_build_s", "slider_to_map_ms", "second_session_mib"]:
        rows.append([name, *[fmt(sizes[n].get(name), 2) for n in sizes]])
    rows.append(
        [
            "filter speed-up (naive / fast)",
            *[
                fmt(sizes[n]["naive_filter_ms"] / sizes[n]["filter_ms"]) + "×" if "naive_filter_ms" in sizes[n] else "–"
                for n in sizes
            ],
        ]
    )
    rows.append(
        [
            "map payload ratio (naive / fast)",
            *[fmt(sizes[n]["naive_map_json_bytes"] / sizes[n]["map_json_bytes"]) + "×" for n in sizes],
        ]
    )
    rows.append(["fast = naive numbers", *[{True: "yes", False: "NO"}.get(sizes[n].get("agree"), "–") for n in sizes]])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
