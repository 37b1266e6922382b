"""Never down for a bad row: while the data files on disk do not validate, every page shows the last
version that did, under a notice of fixed wording; the problems go to the server's log and to
``python -m geo validate``, never to readers; with no version that ever validated the page says the
data cannot be shown. Each test runs the dashboard on its own copy of the frozen sample."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st

from geo.data import cache
from geo.data.dataset import load_dataset
from geo.query.view import DatasetIndex
from geo.views import descriptions, formats, notes

from apptest_support import (  # noqa: F401 -- server_log is a fixture
    PAGES,
    data_unavailable,
    description,
    open_page,
    page_text,
    server_log,
    switch_page,
)
from testdata import KOSTANAY_PROBLEM as PROBLEM
from testdata import SAMPLE, copy_dataset, set_kostanay_defendants

GOOD, BROKEN, FIXED = 1, "one", 2  # the Kostanay verdict's defendants: as frozen, not valid, valid
PENDING = "An update to the data is pending"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    directory = copy_dataset(SAMPLE, tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    return directory


def notices(at) -> list[str]:
    return [i.value for i in at.info if PENDING in i.value]


def assert_private(at, directory: Path) -> None:
    """Nothing on the page names the server's paths, quotes the problem or shows a traceback (the
    pages name convictions.csv themselves, in help texts and on About)."""
    shown = page_text(at)
    assert str(directory) not in shown and str(directory.parent) not in shown
    assert "not a whole number" not in shown and "convictions.csv:2" not in shown and "Traceback" not in shown


def shown_descriptions(at) -> dict[str, str]:
    """Each page's line stating the filter and its result, in one session."""
    lines = {}
    for page in PAGES:
        switch_page(at, page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title, page
        lines[page] = description(at)
    return lines


def test_a_broken_row_leaves_every_page_on_the_last_good_data_until_it_is_fixed(data):
    at = open_page("pages/map.py")
    good = shown_descriptions(at)
    assert not notices(at)

    set_kostanay_defendants(data, GOOD, BROKEN)  # an edit on disk while the session is open
    for page in PAGES:
        switch_page(at, page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert description(at) == good[page], page  # the good data's numbers
        assert len(notices(at)) == 1, page
        assert not at.error
        assert_private(at, data)
    assert notices(at)[0].startswith(f"**{PENDING}:** it does not pass validation yet.")

    set_kostanay_defendants(data, BROKEN, FIXED)
    fixed = DatasetIndex.build(load_dataset(data, use_cache=False)).view()
    assert descriptions.description(fixed) != good["pages/map.py"]  # the fix changes the numbers
    switch_page(at, "pages/map.py").run()
    assert not at.exception
    assert description(at) == descriptions.description(fixed)
    assert not notices(at)


def test_the_notice_says_when_the_data_shown_validated(data):
    at = open_page("pages/map.py")
    validated = cache.read(data).validated_at
    set_kostanay_defendants(data, GOOD, BROKEN)
    at.run()
    assert notices(at) == [notes.pending_update_note(validated)]
    assert f"validated on {formats.day_text(validated)} at {validated:%H:%M} UTC." in notices(at)[0]


def test_a_restarted_server_serves_the_last_good_copy_from_disk(data):
    good = description(open_page("pages/cases.py"))
    set_kostanay_defendants(data, GOOD, BROKEN)
    st.cache_resource.clear()  # what a restart loses: every index in memory
    at = open_page("pages/cases.py")
    assert description(at) == good
    assert len(notices(at)) == 1
    assert_private(at, data)

    cache.discard(data)  # the copy on disk was what served it: without it there is nothing to show
    st.cache_resource.clear()
    at = open_page("pages/map.py")
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE


@pytest.mark.parametrize("page", ["pages/map.py", "pages/about.py"])
def test_a_first_start_with_no_good_version_says_the_data_cannot_be_shown(data, page):
    set_kostanay_defendants(data, GOOD, BROKEN)  # before the dashboard ever saw this directory
    at = open_page(page)
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE
    assert not notices(at)
    assert_private(at, data)


def test_the_problems_go_to_the_log_once_per_change_and_geo_validate_lists_them(data, server_log):
    at = open_page("pages/map.py")
    set_kostanay_defendants(data, GOOD, BROKEN)
    for _ in range(3):  # reruns on the same files: logged once
        at.run()
    logged = [message for message in server_log if PROBLEM in message]
    assert len(logged) == 1
    assert str(data) in logged[0]  # the operator learns which directory
    assert "readers see the version validated at" in logged[0]

    env = {k: v for k, v in os.environ.items() if k != "GEO_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert PROBLEM in result.stdout.splitlines()
