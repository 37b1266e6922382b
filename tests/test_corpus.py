"""The corpus of broken and hostile inputs, end to end: validator, loader and dashboard.

Every case is a copy of ``tests/fixtures/minimal`` with the files of one case folder laid over
it (an ``NAME.csv.absent`` file removes ``NAME.csv``), and an ``expected.txt`` of lines the
validator must print:

- ``fixtures/broken/<case>``: **errors**. ``geo validate`` rejects the data at file:line:column,
  and the dashboard's loader gets no dataset and the same problems, which the dashboard writes to
  the server's log while every page says the data cannot be shown (fixed wording: never a
  traceback, a path or the problem list). A few cases are drawn to check that last part.
- ``fixtures/hostile/<case>``: **warnings**. The data loads; the pages that show the flagged
  files (one case: all five) say so above their content, name the files and lines, and the
  tables mark the flagged rows with ⚠.

For every case the data directory is byte-identical (and has no new file) after validating and
after the dashboard ran on it. Large and generated inputs are in ``test_corpus_generated.py``.
Each case's outcome goes to ``artifacts/robustness-report.json``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.data import dataset
from geo.data.dataset import load_dataset, load_or_last_good
from geo.data.validate import Report, validate_dir
from geo.views import case_tables, notes

from apptest_support import PAGES, data_unavailable, glue_log, open_page, page_text, table
from robustness_report import record_input
from testdata import BROKEN, HOSTILE, MINIMAL, copy_dataset, tree_digest

ERRORS = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
WARNINGS = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())


def expected_lines(folder: Path) -> list[str]:
    lines = [line for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    assert lines, f"{folder.name}/expected.txt lists nothing to check"
    return lines


def case_dir(base: Path, case: str, tmp_path: Path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / "data", overlay=base / case)


def assert_reported(report: Report, folder: Path) -> None:
    lines = str(report).splitlines()
    for expected in expected_lines(folder):
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{report}"


def test_the_corpus_has_at_least_forty_inputs():
    # + the generated ones (50 MB file, runaway quote, random bytes) in test_corpus_generated.py
    assert len(ERRORS) + len(WARNINGS) >= 40
    assert len(WARNINGS) >= 10


def test_error_and_warning_cases_are_apart():
    assert not set(ERRORS) & set(WARNINGS)
    assert set(DRAWN) <= set(ERRORS) and EVERY_PAGE in WARNINGS


@pytest.mark.parametrize("case", ERRORS)
def test_each_broken_input_is_rejected_at_its_place_and_never_loaded(case, tmp_path):
    """What the dashboard's loader (loading.current_data) gets on a first run: nothing to show, so
    every page says the data is unavailable, and the problems it writes to the server's log.
    (``geo validate`` gives the same report: tests/test_validate.py runs every case through both;
    drawing the pages is left to the few cases of test_the_dashboard_shows_none_of_a_broken_input.)"""
    directory = case_dir(BROKEN, case, tmp_path)
    before = tree_digest(directory)

    loaded = load_or_last_good(directory)
    assert loaded.dataset is None
    report = loaded.problems
    assert report is not None and not report.ok
    assert_reported(report, BROKEN / case)
    assert tree_digest(directory) == before, "validating and loading must not touch the data directory"
    first = sorted(report.errors, key=lambda p: (p.file, p.line or 0, p.column or "", p.message))[0]
    record_input(
        case,
        "error",
        errors=len(report.errors),
        warnings=len(report.warnings),
        first=str(first),
        dashboard="st.error of fixed wording; the problems in the server's log",
        data_dir_unchanged=True,
    )


#: Broken inputs the dashboard is drawn on, each on one page (app.py stops before any page on data
#: errors; tests/test_app_errors.py opens all five on one case): an unreadable file, a bad cell, a
#: broken cross-table rule.
DRAWN = {"utf16": "pages/map.py", "impossible_date": "pages/cases.py", "appeal_before_decision": "pages/timeline.py"}


@pytest.mark.parametrize("case", DRAWN)
def test_the_dashboard_shows_none_of_a_broken_input(case, tmp_path, monkeypatch):
    directory = case_dir(BROKEN, case, tmp_path)
    before = tree_digest(directory)
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    with glue_log() as logged:
        at = open_page(DRAWN[case])  # asserts the page raised nothing, whatever the data
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE  # and no page content
    shown = page_text(at)
    assert str(directory) not in shown and "Traceback" not in shown
    log = "\n".join(logged)
    for expected in expected_lines(BROKEN / case):  # every problem, as file:line:column: message
        assert expected in log
    assert tree_digest(directory) == before, "the dashboard must not touch the data directory"


def flagged_ids(frame, file: str, report: Report, id_column: str) -> set[str]:
    """The rows of ``file`` a warning names by line (line 1 is the header), read off the report
    itself: with dataset.row_warnings as the oracle, no ⚠ anywhere would pass too."""
    lines = {p.line for p in report.warnings if p.file == file and p.line and p.line > 1}
    return {str(i) for i, n in zip(frame[id_column], frame["line"]) if int(n) in lines}


def marked(shown, id_column: str) -> set[str]:
    if case_tables.MARKER not in shown:
        return set()
    return {str(i) for i, m in zip(shown[id_column], shown[case_tables.MARKER]) if m}


#: The page whose tables show each file's rows; a file no table shows is named on every page.
PAGE_OF_FILE = {
    "convictions.csv": "pages/cases.py",
    "defendants.csv": "pages/cases.py",
    "sources.csv": "pages/sources.py",
    "events.csv": "pages/timeline.py",
    "official_stats.csv": "pages/timeline.py",
}
#: The hostile case drawn on all five pages: a city's name, which every page shows.
EVERY_PAGE = "script_in_city_name"


def pages_for(report: Report, every_page: bool = False) -> list[str]:
    """The pages whose tables show the flagged files (the Map when none does): every page states the
    same warning, so one suffices for it; a table with no flagged row would mark none."""
    if every_page:
        return list(PAGES)
    wanted = {PAGE_OF_FILE.get(p.file, "pages/map.py") for p in report.warnings}
    return [page for page in PAGES if page in wanted]


@pytest.mark.parametrize("case", WARNINGS)
def test_each_hostile_input_loads_and_every_page_flags_it(case, tmp_path, monkeypatch):
    directory = case_dir(HOSTILE, case, tmp_path)
    before = tree_digest(directory)

    report = validate_dir(directory)
    assert report.ok, str(report)
    assert report.warnings
    assert_reported(report, HOSTILE / case)
    ds = load_dataset(directory)
    assert [str(p) for p in ds.report.sorted()] == [str(p) for p in report.sorted()]
    note = notes.warnings_note(report)
    places = notes.warnings_places(report)
    for expected in expected_lines(HOSTILE / case):
        file, line = expected.split(":")[:2]
        assert file in places and line in places

    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    rows = {"convictions": set(), "defendants": set(), "sources": set(), "events": set(), "official_stats": set()}
    for page in pages_for(report, every_page=case == EVERY_PAGE):
        at = open_page(page)  # asserts the page raised nothing, whatever the data
        assert at.title, page  # the page's content is there
        assert [w.value for w in at.warning] == [note], page
        assert places in [t.value for t in at.main.text], page  # file names in a text element, not Markdown
        assert at.expander and "warning" in at.expander[0].label
        shown = "\n".join(c.value for c in at.code)
        assert all(str(p) in shown for p in report.warnings)
        if page == "pages/cases.py":
            rows["convictions"] = marked(table(at), "Case")
            rows["defendants"] = marked(table(at, 1), "Person")  # the people table, under the decisions
        elif page == "pages/sources.py":
            rows["sources"] = marked(table(at), "Source")
        elif page == "pages/timeline.py":
            rows["events"] = marked(table(at, 0), "Event")
            rows["official_stats"] = marked(table(at, 1), "Figure")
    assert rows["convictions"] == flagged_ids(ds.convictions, "convictions.csv", report, "case_id")
    assert rows["sources"] == flagged_ids(ds.sources, "sources.csv", report, "source_id")
    assert rows["events"] == flagged_ids(ds.events, "events.csv", report, "event_id")
    assert rows["official_stats"] == flagged_ids(ds.official_stats, "official_stats.csv", report, "stat_id")
    assert rows["defendants"] == flagged_ids(ds.defendants, "defendants.csv", report, "person_id")
    assert tree_digest(directory) == before, "the dashboard must not touch the data directory"
    flagged = sum(len(dataset.row_warnings(report, f)) for f in {p.file for p in report.warnings})
    record_input(
        case,
        "warning",
        errors=0,
        warnings=len(report.warnings),
        rows_flagged=flagged,
        dashboard="loads; st.warning naming file and line on every page; ⚠ on flagged rows",
        data_dir_unchanged=True,
    )


def test_the_command_line_prints_the_warnings_and_passes(tmp_path):
    """A hostile input through ``python -m geo validate``: its warnings, and exit status 0. (A broken
    one's lines and exit status 1: tests/test_validate.py; every case in-process above.)"""
    import os
    import subprocess
    import sys

    base, case = HOSTILE, "bidi_override"
    directory = case_dir(base, case, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "GEO_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--data-dir", str(directory)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0
    for expected in expected_lines(base / case):
        assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
