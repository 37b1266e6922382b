"""Corpus inputs too large or too random to commit, made at test time: a 50 MB table with one
error near its end, a quote that never closes in a 1 MB table, and random bytes; and the data
directory as untrusted input: links out of it, devices, named pipes, files over their size limit,
descriptors whose paths leave the directory or carry Markdown, patterns that backtrack, borders
that are not outlines, invisible characters in front of formulas.

The validator reads every byte of a 50 MB file (tables may be up to 512 MiB: the synthetic
benchmark data is larger than 50 MB); this test measures what that costs and shows that the error is
still reported at its exact line, in the dashboard's server log too (readers are told only that the
data cannot be shown). The figures go to
``artifacts/robustness-report.json``.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.data.dataset import load_or_last_good
from geo.data.validate import MAX_CELL, validate_dir
from geo.views import notes

from apptest_support import data_unavailable, glue_log, new_app, page_text
from reference import city_totals_of
from robustness_report import record, record_input
from testdata import MINIMAL, copy_dataset, tree_digest

TARGET_BYTES = 50 * 2**20
ROW = "cv-{i},2022-07-15,day,shymkent,city,,first,,convicted,unknown,3,Public disorder,,imprisonment,43,,ev-a,{summary},,,src-a,,\n"
SUMMARY = "Three people were jailed for taking part in the riots of January 2022 in the city."


def big_convictions(path: Path, target: int = TARGET_BYTES) -> tuple[int, int]:
    """A convictions.csv of about ``target`` bytes; the fifth row from the end has an impossible
    date. Returns (rows, line of the bad row)."""
    header = (MINIMAL / "convictions.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
    per_row = len(ROW.format(i=10**6, summary=SUMMARY).encode())
    n = target // per_row
    bad = n - 5
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        chunk = []
        for i in range(n):
            row = ROW.format(i=i, summary=SUMMARY)
            if i == bad:
                row = row.replace("2022-07-15", "2022-02-30")
            chunk.append(row)
            if len(chunk) == 10_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))
    return n, bad + 2  # line 1 is the header


def validate_in_child(directory: Path) -> dict:
    """Validate in a fresh process: its time and peak memory are the validator's alone."""
    code = (
        "import json, resource, sys, time\n"
        "from geo.data.validate import validate_dir\n"
        "t = time.perf_counter(); report = validate_dir(sys.argv[1]); t = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': t, 'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " 'problems': [str(p) for p in report.sorted()]}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(directory)], capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.slow
def test_a_50_mb_table_is_checked_to_its_last_line_and_the_dashboard_names_it(tmp_path, monkeypatch):
    directory = copy_dataset(MINIMAL, tmp_path / "data")
    rows, bad_line = big_convictions(directory / "convictions.csv")
    size = (directory / "convictions.csv").stat().st_size
    assert size >= TARGET_BYTES * 0.99
    before = tree_digest(directory)

    measured = validate_in_child(directory)
    assert measured["problems"] == [f"convictions.csv:{bad_line}:verdict_date: impossible date '2022-02-30'"]
    assert tree_digest(directory) == before

    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    started = time.perf_counter()
    at = new_app()
    at.default_timeout = 240
    with glue_log() as logged:
        at.run()
    dashboard_seconds = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE
    assert measured["problems"][0] in "\n".join(logged)
    assert tree_digest(directory) == before

    record_input(
        "generated_50_mb_table",
        "error",
        errors=1,
        warnings=0,
        bytes=size,
        rows=rows,
        first=measured["problems"][0],
        dashboard=f"st.error of fixed wording; the log names convictions.csv:{bad_line}",
        data_dir_unchanged=True,
    )
    record(
        "large_file",
        bytes=size,
        mib=round(size / 2**20, 1),
        rows=rows,
        validate_seconds=round(measured["seconds"], 2),
        validate_peak_rss_mib=round(measured["peak_rss_mib"]),
        dashboard_first_run_seconds=round(dashboard_seconds, 2),
        note="validated in a fresh process; tables may be up to 512 MiB (geo.data.safe_files.MAX_TABLE_BYTES)",
    )


def test_a_quote_that_never_closes_is_named_at_its_row_not_at_the_end_of_the_file(tmp_path, monkeypatch):
    directory = copy_dataset(MINIMAL, tmp_path / "data")
    path = directory / "convictions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    runaway = lines[2].replace("One person jailed.", '"One person jailed.')  # the quote never closes
    filler = [ROW.format(i=i, summary=SUMMARY) for i in range(MAX_CELL // len(SUMMARY) + 10)]
    path.write_text("".join(lines[:2] + [runaway] + filler), encoding="utf-8")
    before = tree_digest(directory)

    report = validate_dir(directory)
    assert [str(p) for p in report.sorted()] == [
        f"convictions.csv:3: a cell runs past {MAX_CELL:,} characters; check this row for a quote that is never closed"
    ]
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    with glue_log() as logged:
        at = new_app().run()
    assert not at.exception and data_unavailable(at) == notes.DATA_UNAVAILABLE
    assert str(report.errors[0]) in "\n".join(logged)
    assert tree_digest(directory) == before
    record_input(
        "generated_runaway_quote",
        "error",
        errors=1,
        warnings=0,
        bytes=path.stat().st_size,
        first=str(report.errors[0]),
        dashboard="st.error of fixed wording; the log names convictions.csv:3",
        data_dir_unchanged=True,
    )


@pytest.mark.parametrize("seed, nul", [(1, True), (2, True), (3, False), (4, False)])
def test_random_bytes_are_rejected_with_a_place(tmp_path, monkeypatch, seed, nul):
    directory = copy_dataset(MINIMAL, tmp_path / "data")
    noise = random.Random(seed).randbytes(64 * 1024)
    (directory / "events.csv").write_bytes(noise if nul else noise.replace(b"\x00", b" "))
    before = tree_digest(directory)

    report = validate_dir(directory)
    assert not report.ok
    first = report.errors[0]
    assert first.file == "events.csv" and first.line
    loaded = load_or_last_good(directory)  # what the dashboard's loader gets: nothing to show, the same problems
    assert loaded.dataset is None and [str(p) for p in loaded.problems.sorted()] == [str(p) for p in report.sorted()]
    if seed == 1:  # drawn once
        monkeypatch.setenv("GEO_DATA_DIR", str(directory))
        with glue_log() as logged:
            at = new_app().run()
        assert not at.exception and data_unavailable(at) == notes.DATA_UNAVAILABLE
        assert f"events.csv:{first.line}:" in "\n".join(logged)
    assert tree_digest(directory) == before
    record_input(
        f"generated_random_bytes_{seed}",
        "error",
        errors=len(report.errors),
        warnings=len(report.warnings),
        first=str(first),
        dashboard=f"st.error of fixed wording; the log names events.csv:{first.line}",
        data_dir_unchanged=True,
    )


# --- the data directory as untrusted input -------------------------------------------------------

SECRET = "root:x:0:0:SECRET-LINE-FROM-OUTSIDE"
SHIPPED_DESCRIPTOR = json.loads((Path(__file__).resolve().parents[1] / "data" / "datapackage.json").read_text("utf-8"))


def own_descriptor(directory: Path, change) -> tuple[str, dict]:
    """Write the shipped descriptor, changed by ``change(descriptor)``, into ``directory``."""
    descriptor = json.loads(json.dumps(SHIPPED_DESCRIPTOR))
    change(descriptor)
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (directory / "datapackage.json").write_text(text, encoding="utf-8")
    return text, descriptor


def place_of(text: str, needle: str, after: str = "") -> str:
    """``line:column`` of the first ``needle`` in ``text`` (after the first ``after``)."""
    i = text.index(needle, text.index(after) if after else 0)
    return f"{text.count(chr(10), 0, i) + 1}:{i - (text.rfind(chr(10), 0, i) + 1) + 1}"


def resource_index(name: str) -> int:
    return [r["name"] for r in SHIPPED_DESCRIPTOR["resources"]].index(name)


def validate_cli(directory: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in __import__("os").environ.items() if k != "GEO_DATA_DIR"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--data-dir", str(directory)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    return result, time.perf_counter() - started


#: How long checking one of these small directories may take before it counts as hung: generous,
#: because the suite must pass on a loaded machine.
HANG_SECONDS = 120


def within(seconds: float, call, *args):
    """``call(*args)`` in a thread of its own: a regression that hangs (a read of a named pipe, of
    /dev/zero) fails the test after ``seconds`` instead of stalling the run."""
    import threading

    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call(*args)
        except BaseException as error:  # raised again in the test's own thread
            out["error"] = error

    thread = threading.Thread(target=run, daemon=True)  # a hung one does not keep the run from ending
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{call.__name__} did not return within {seconds} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


def assert_rejected(
    name: str, directory: Path, expected: list[str], monkeypatch, secret: str | None = None, drawn: bool = False
) -> None:
    """``geo validate``'s check names each expected problem (file:line:column), the dashboard's
    loader gives no dataset and the same problems (so every page says the data cannot be shown:
    app.py stops before any page, tests/test_app_errors.py draws all five), and nothing changed.
    Both in a thread with a time-out (:func:`within`). ``drawn``: the dashboard runs on it too, and
    shows no traceback, path, secret or image from elsewhere, and its log names each problem."""
    before = tree_digest(directory)
    started = time.perf_counter()
    report = within(HANG_SECONDS, validate_dir, directory)
    seconds = time.perf_counter() - started  # recorded for the robustness report, not asserted
    lines = str(report).splitlines()
    assert not report.ok
    for want in expected:
        assert any(line.startswith(want) for line in lines), f"{want!r} not in:\n{report}"
    first = sorted(report.errors, key=lambda p: (p.file, p.line or 0, p.column or "", p.message))[0]
    loaded = within(HANG_SECONDS, load_or_last_good, directory)
    assert loaded.dataset is None and loaded.problems is not None
    assert [str(p) for p in loaded.problems.sorted()] == [str(p) for p in report.sorted()]
    if drawn:
        monkeypatch.setenv("GEO_DATA_DIR", str(directory))
        with glue_log() as logged:
            at = new_app().run()
        assert not at.exception, [e.value for e in at.exception]
        assert data_unavailable(at) == notes.DATA_UNAVAILABLE  # and no page content
        screen = page_text(at)
        assert "Traceback" not in screen and str(directory) not in screen
        if secret:
            assert secret not in screen
        assert not any("evil.example" in m.value for m in at.markdown)  # nothing fetched from elsewhere
        log = "\n".join(logged).splitlines()
        for want in expected:
            assert any(line.startswith(want) for line in log), f"{want!r} not in the server's log"
    assert tree_digest(directory) == before, "the data directory must stay byte-identical"
    record_input(
        name,
        "error",
        errors=len(report.errors),
        warnings=len(report.warnings),
        first=str(first),
        validate_seconds=round(seconds, 3),
        dashboard="st.error of fixed wording; the problems in the server's log",
        data_dir_unchanged=True,
    )


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / "data")


@pytest.fixture
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def test_a_table_linked_to_a_file_outside_is_refused_unread(data, outside, monkeypatch):
    (data / "convictions.csv").unlink()
    (data / "convictions.csv").symlink_to(outside)
    assert_rejected(
        "generated_symlink_out_of_the_data_dir",
        data,
        ["convictions.csv: is a symbolic link to a file outside the data directory"],
        monkeypatch,
        secret=SECRET,
        drawn=True,
    )


def test_a_link_to_dev_zero_is_refused(data, monkeypatch):
    (data / "events.csv").unlink()
    (data / "events.csv").symlink_to("/dev/zero")
    assert_rejected(
        "generated_symlink_to_dev_zero",
        data,
        ["events.csv: is a symbolic link to a file outside the data directory"],
        monkeypatch,
    )


def test_a_link_inside_the_data_dir_is_followed(data):
    (data / "tables").mkdir()
    (data / "sources.csv").rename(data / "tables" / "sources.csv")
    (data / "sources.csv").symlink_to(Path("tables") / "sources.csv")
    assert validate_dir(data).ok


def test_a_device_inside_the_data_dir_is_refused(data, monkeypatch):
    import os
    import stat

    (data / "events.csv").unlink()
    try:
        os.mknod(data / "events.csv", stat.S_IFCHR | 0o444, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("making a device node needs root")
    assert_rejected("generated_device_node", data, ["events.csv: is a device, not a file"], monkeypatch)


@pytest.mark.parametrize(
    "name, where",
    [("events.csv", "events.csv"), ("datapackage.json", "datapackage.json"), ("borders.geojson", "borders.geojson")],
)
def test_a_named_pipe_never_hangs_the_validator_or_the_dashboard(data, monkeypatch, name, where):
    import os

    (data / name).unlink(missing_ok=True)
    os.mkfifo(data / name)  # reading it would wait for a writer that never comes
    assert_rejected(
        f"generated_fifo_{name}",
        data,
        [f"{where}: is a named pipe (FIFO), not a file"],
        monkeypatch,
        drawn=name == "events.csv",  # the dashboard's loader is checked on each; drawn on one
    )


def test_a_folder_where_a_table_should_be(data, monkeypatch):
    (data / "sources.csv").unlink()
    (data / "sources.csv").mkdir()
    assert_rejected("generated_folder_as_table", data, ["sources.csv: is a folder, not a file"], monkeypatch)


def test_a_link_to_nothing(data, monkeypatch):
    (data / "sources.csv").unlink()
    (data / "sources.csv").symlink_to(data / "gone.csv")
    assert_rejected("generated_dangling_link", data, ["sources.csv: is a symbolic link to nothing"], monkeypatch)


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(data, monkeypatch):
    from geo.data.safe_files import MAX_TABLE_BYTES

    with open(data / "convictions.csv", "r+b") as fh:
        fh.truncate(MAX_TABLE_BYTES + 2**20)  # sparse: no disk is used, no byte is read
    assert_rejected(
        "generated_table_over_size_limit", data, ["convictions.csv: is 513.0 MiB; the limit is 512.0 MiB"], monkeypatch
    )


@pytest.mark.parametrize(
    "path",
    [
        "../outside/secret.csv",
        "/etc/passwd",
        "/dev/zero",
        "![x](http://evil.example/x.png).csv",
        "https://evil.example/x.csv",
        "tables/../../outside/secret.csv",
    ],
)
def test_a_resource_path_must_be_a_plain_name_inside_the_data_dir(data, outside, monkeypatch, path):
    i = resource_index("convictions")
    text, _ = own_descriptor(data, lambda d: d["resources"][i].update(path=path))
    at = place_of(text, json.dumps(path))
    assert_rejected(
        f"generated_descriptor_path_{path}",
        data,
        [f"datapackage.json:{at}: resources[{i}].path: {path!r} is not a plain .csv file name"],
        monkeypatch,
        secret=SECRET,
        drawn="evil.example" in path and path.startswith("!"),  # the one whose problem line holds Markdown
    )


def test_a_lookahead_pattern_is_a_descriptor_error_at_once(data, monkeypatch):
    i = resource_index("convictions")
    text, _ = own_descriptor(
        data, lambda d: d["resources"][i]["schema"]["fields"][0]["constraints"].update(pattern="^(?=(a+)+$)[a-z0-9-]+$")
    )
    at = place_of(text, '"^(?=')
    assert_rejected(
        "generated_lookahead_pattern",
        data,
        [f"datapackage.json:{at}: resources[{i}].schema.fields[0].constraints.pattern: pattern "],
        monkeypatch,
    )


def test_a_backtracking_pattern_checks_in_linear_time(data, monkeypatch):
    """``^(a+)+$`` takes Python's re 2**n steps on 'aaa…a!'; RE2 takes n."""
    i = resource_index("convictions")
    fields = [f["name"] for f in SHIPPED_DESCRIPTOR["resources"][i]["schema"]["fields"]]
    court = fields.index("court")
    own_descriptor(
        data,
        lambda d: d["resources"][i]["schema"]["fields"][court].setdefault("constraints", {}).update(pattern="^(a+)+$"),
    )
    path = data / "convictions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("shymkent,city,,", "shymkent,city," + "a" * 40 + "!,"),
        encoding="utf-8",
    )
    # In a child with a time-out: Python's re would take hours here, so a regression fails, not stalls.
    result, seconds = validate_cli(data, timeout=120)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("convictions.csv:")] == [
        f"convictions.csv:2:court: {'a' * 40 + '!'!r} does not match the pattern ^(a+)+$"
    ]
    record(
        "backtracking_pattern",
        pattern="^(a+)+$",
        value="'a' * 40 + '!'",
        validate_seconds=round(seconds, 3),
        engine="RE2 (pyarrow.compute.match_substring_regex)",
        note="Python's re needs about 2**40 steps for this cell",
    )


def test_a_descriptor_must_keep_the_tables_and_types_the_dashboard_reads(data, monkeypatch):
    i = resource_index("convictions")
    names = [f["name"] for f in SHIPPED_DESCRIPTOR["resources"][i]["schema"]["fields"]]
    j = names.index("court")
    text, _ = own_descriptor(data, lambda d: d["resources"][i]["schema"]["fields"][j].update(type="integer"))
    at = place_of(text, '"integer"', after='"name": "court"')
    assert_rejected(
        "generated_descriptor_changes_a_type",
        data,
        [
            f"datapackage.json:{at}: resources[{i}].schema.fields[{j}].type: the dashboard reads 'court' as string, "
            "not integer"
        ],
        monkeypatch,
    )


def test_the_shipped_descriptor_and_borders_pass_their_own_checks():
    from geo.data import borders_file, descriptor
    from geo.data.paths import SHIPPED_DATA_DIR
    from geo.data.validate import Report

    report = Report()
    assert descriptor.check((SHIPPED_DATA_DIR / "datapackage.json").read_bytes(), report) is not None
    assert borders_file.read(SHIPPED_DATA_DIR / "borders.geojson", report) is not None
    assert not report.problems, str(report)


@pytest.mark.parametrize("case", ["random_bytes", "deep_nesting", "over_size_limit", "not_a_collection"])
def test_borders_that_are_not_outlines_are_named_within_seconds(data, monkeypatch, case):
    from geo.data.safe_files import MAX_BORDERS_BYTES

    path = data / "borders.geojson"
    if case == "random_bytes":
        path.write_bytes(random.Random(7).randbytes(256 * 1024))
        expected = ["borders.geojson:1:"]
    elif case == "deep_nesting":
        path.write_text('{"type": "FeatureCollection", "features": [], "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
        expected = ["borders.geojson:1:", "nested too deeply"]
    elif case == "over_size_limit":
        with open(path, "wb") as fh:
            fh.truncate(MAX_BORDERS_BYTES + 2**20)
        expected = ["borders.geojson: is 21.0 MiB; the limit is 20.0 MiB"]
    else:
        path.write_text('{"type": "Feature"}')
        expected = ["borders.geojson:1:1: (the whole file): is not a GeoJSON FeatureCollection"]
    report = validate_dir(data)
    assert any(all(e in str(p) for e in expected[1:]) and str(p).startswith(expected[0]) for p in report.errors), str(
        report
    )
    assert_rejected(f"generated_borders_{case}", data, expected[:1], monkeypatch)


def test_large_borders_validate_and_name_their_one_problem(data):
    """A FeatureCollection near the size limit, its one problem near the end. The time it takes is
    recorded for the robustness report, not asserted: timings here are noisy."""
    ring = [[50 + i / 1e4, 45.0] for i in range(200_000)] + [[60.0, 50.0], [50.0, 45.0]]
    features = [
        {"type": "Feature", "properties": {"name": f"c{k}"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for k in range(4)
    ]
    features[-1]["geometry"]["coordinates"][0] = ring[:-1]  # not closed
    (data / "borders.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    size = (data / "borders.geojson").stat().st_size
    started = time.perf_counter()
    report = validate_dir(data)
    seconds = time.perf_counter() - started
    [problem] = report.errors
    assert str(problem).startswith(
        "borders.geojson:1:"
    ) and "features[3].geometry.coordinates[0]: is not closed" in str(problem)
    record(
        "large_borders",
        bytes=size,
        positions=len(ring) * 4,
        validate_seconds=round(seconds, 2),
        first=str(problem)[:120],
    )


INVISIBLE_CHARACTERS = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u061c": "ARABIC LETTER MARK",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u00ad": "SOFT HYPHEN",
    "\U000e0041": "TAG LATIN CAPITAL LETTER A",
    "\u2060": "WORD JOINER",
}


@pytest.mark.parametrize("char", list(INVISIBLE_CHARACTERS), ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_are_flagged_and_formulas_behind_them_neutralised(data, char):
    """An invisible character anywhere is a warning; in front of a formula it hides the formula
    from the reader, and every download neutralises it."""
    import csv
    import io
    from datetime import UTC, datetime

    import openpyxl

    from geo.data.dataset import load_dataset
    from geo.data.provenance import provenance
    from geo.views import export

    path = data / "convictions.csv"
    formula = char + '=HYPERLINK("http://evil.example","x")'
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "shymkent,city,,", 'shymkent,city,"' + formula.replace('"', '""') + '",'
        ),
        encoding="utf-8",
    )
    locations = data / "locations.csv"
    locations.write_text(
        locations.read_text(encoding="utf-8").replace(
            "shymkent,Shymkent,", 'shymkent,"' + formula.replace('"', '""') + '",'
        ),
        encoding="utf-8",
    )
    report = validate_dir(data)
    assert report.ok, str(report)
    lines = str(report).splitlines()
    code = f"U+{ord(char):04X} ({INVISIBLE_CHARACTERS[char]})"
    assert any(
        line.startswith(f"convictions.csv:2:court: warning: contains the invisible control character {code}")
        for line in lines
    ), lines
    assert any(line.startswith(f"convictions.csv:2:court: warning: starts with {formula[:2]!r}") for line in lines), (
        lines
    )
    ds = load_dataset(data, use_cache=False)
    made = export.convictions_file("csv", ds.convictions, ds.locations, ds.sources)
    rows = {r["case_id"]: r for r in csv.DictReader(io.StringIO(made.decode()))}
    loaded = formula.strip()  # the loader strips spaces (U+2028/9 are spaces to str.strip)
    assert rows["cv-a"]["court"] == "'" + loaded
    about = export.About("all", provenance(ds.data_dir, len(ds.sources)), datetime(2031, 1, 1, tzinfo=UTC))
    excel = export.convictions_file("xlsx", ds.convictions, ds.locations, ds.sources, about)
    sheet = openpyxl.load_workbook(io.BytesIO(excel))["Decisions"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("court") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'")
    collection = json.loads(export.geojson_bytes(city_totals_of(ds, ds.convictions)))
    names = [f["properties"]["name"] for f in collection["features"]]
    assert "'" + loaded in names


def test_a_descriptor_may_not_add_enum_values_the_pages_would_print(data, monkeypatch):
    i = resource_index("official_stats")
    names = [f["name"] for f in SHIPPED_DESCRIPTOR["resources"][i]["schema"]["fields"]]
    j = names.index("qualifier")
    text, _ = own_descriptor(
        data,
        lambda d: d["resources"][i]["schema"]["fields"][j]["constraints"]["enum"].append(
            "![x](http://evil.example/x.png)"
        ),
    )
    brace = text.rfind("{", 0, text.index('"name": "qualifier"'))  # the field's own object
    at = f"{text.count(chr(10), 0, brace) + 1}:{brace - (text.rfind(chr(10), 0, brace) + 1) + 1}"
    assert_rejected(
        "generated_descriptor_markdown_enum",
        data,
        [f"datapackage.json:{at}: resources[{i}].schema.fields[{j}]: 'qualifier' may only take the dashboard's values"],
        monkeypatch,
        drawn=True,
    )
