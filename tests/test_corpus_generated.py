"""Corpus inputs too large or too random to commit, made at test time: a 50 MB table with one
error near its end, a quote that never closes in a 1 MB table, and random bytes.

The validator reads every byte of a 50 MB file (there is no size limit: the synthetic
benchmark data is larger); this test measures what that costs and shows that the error is
still reported at its exact line, on the dashboard too. The figures go to
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

from apptest_support import new_app
from geo.validate import MAX_CELL, validate_dir
from robustness_report import record, record_input
from testdata import MINIMAL, copy_dataset, tree_digest

TARGET_BYTES = 50 * 2**20
ROW = "cv-{i},2022-07-15,day,shymkent,city,,3,A;B;C,Public disorder,,imprisonment,43,,ev-a,{summary},src-a,\n"
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
        "from geo.validate import validate_dir\n"
        "t = time.perf_counter(); report = validate_dir(sys.argv[1]); t = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': t, 'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " 'problems': [str(p) for p in report.sorted()]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(directory)], capture_output=True, text=True, timeout=300,
                         check=True)
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
    at.run()
    dashboard_seconds = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    assert f"convictions.csv, line {bad_line:}" in at.error[0].value
    assert tree_digest(directory) == before

    record_input("generated_50_mb_table", "error", errors=1, warnings=0, bytes=size, rows=rows,
                 first=measured["problems"][0], dashboard=f"st.error naming convictions.csv, line {bad_line}",
                 data_dir_unchanged=True)
    record("large_file", bytes=size, mib=round(size / 2**20, 1), rows=rows,
           validate_seconds=round(measured["seconds"], 2), validate_peak_rss_mib=round(measured["peak_rss_mib"]),
           dashboard_first_run_seconds=round(dashboard_seconds, 2),
           note="validated in a fresh process; no size limit is enforced")


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
        f"convictions.csv:3: a cell runs past {MAX_CELL:,} characters; check this row for a quote that is never closed"]
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = new_app().run()
    assert not at.exception and "convictions.csv, line 3" in at.error[0].value
    assert tree_digest(directory) == before
    record_input("generated_runaway_quote", "error", errors=1, warnings=0, bytes=path.stat().st_size,
                 first=str(report.errors[0]), dashboard="st.error naming convictions.csv, line 3",
                 data_dir_unchanged=True)


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
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = new_app().run()
    assert not at.exception and f"events.csv, line {first.line}" in at.error[0].value
    assert tree_digest(directory) == before
    record_input(f"generated_random_bytes_{seed}", "error", errors=len(report.errors), warnings=len(report.warnings),
                 first=str(first), dashboard=f"st.error naming events.csv, line {first.line}", data_dir_unchanged=True)
