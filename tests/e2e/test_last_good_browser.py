"""Never down for a bad row, served for real (``serve.py``, chromium): a row broken on disk under a
running server, then a restart with the files still broken, then the fix. The reader sees the last
good numbers under the notice, never a path or the problem; the server's log has the problem."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from geo.data.dataset import load_dataset
from geo.query.view import DatasetIndex
from geo.views import descriptions

from browser_support import screenshot, wait_for_app_idle
from server_support import Server
from testdata import KOSTANAY_PROBLEM, SAMPLE, copy_dataset, set_kostanay_defendants

PENDING = "An update to the data is pending"
LINE = re.compile(r"court decisions?, [\d,]+ (?:person|people)")


def description(page) -> str:
    locator = page.locator('[data-testid="stText"]').filter(has_text=LINE).first
    locator.wait_for()
    return locator.inner_text().strip()


def expected_line(directory) -> str:
    return descriptions.description(DatasetIndex.build(load_dataset(directory, use_cache=False)).view())


def open_map(page, url: str) -> None:
    page.goto(url)
    wait_for_app_idle(page)
    page.locator('[data-testid="stHeading"]').first.wait_for()


def assert_private(page, directory) -> None:
    html = page.content()
    assert str(directory) not in html and "not a whole number" not in html and "Traceback" not in html


def test_a_broken_row_keeps_readers_on_the_last_good_data_across_a_restart(tmp_path, page):
    data = copy_dataset(SAMPLE, tmp_path / "data")
    env = {"GEO_CACHE_DIR": str(tmp_path / "cache")}  # this test's own cache: the restart must find it
    good = expected_line(data)

    with Server(data, env=env) as server:
        open_map(page, server.url)
        assert description(page) == good
        expect(page.get_by_text(PENDING)).to_have_count(0)

        set_kostanay_defendants(data, 1, "one")
        open_map(page, server.url)
        expect(page.get_by_text(PENDING)).to_have_count(1)
        assert description(page) == good
        assert_private(page, data)
        screenshot(page, "last-good-pending")
        assert KOSTANAY_PROBLEM in server.log_text()

    with Server(data, env=env) as server:  # a fresh process, the files still broken
        open_map(page, server.url)
        expect(page.get_by_text(PENDING)).to_have_count(1)
        assert description(page) == good
        assert_private(page, data)
        screenshot(page, "last-good-restarted")

        set_kostanay_defendants(data, "one", 2)
        fixed = expected_line(data)
        assert fixed != good
        open_map(page, server.url)
        expect(page.get_by_text(PENDING)).to_have_count(0)
        assert description(page) == fixed


def test_a_first_start_with_no_good_version_says_the_data_cannot_be_shown(tmp_path, page):
    data = copy_dataset(SAMPLE, tmp_path / "data")
    set_kostanay_defendants(data, 1, "one")
    with Server(data, env={"GEO_CACHE_DIR": str(tmp_path / "cache")}) as server:
        page.goto(server.url)
        wait_for_app_idle(page)
        expect(page.get_by_text("The data cannot be shown right now.")).to_have_count(1)
        expect(page.locator('[data-testid="stHeading"]')).to_have_count(0)
        assert_private(page, data)
        screenshot(page, "last-good-none")
        assert KOSTANAY_PROBLEM in server.log_text()
