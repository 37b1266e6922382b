"""A reader in chromium through ``make serve``'s nginx (two workers under supervisord) whose worker
is SIGKILLed: the tab reconnects by itself, through the proxy, to a live worker; the page shows the
same filter again, with no error; and a CSV download works there, so the tab's websocket and its
``/media`` request reach one process."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

from playwright.sync_api import expect

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.serving import COOKIE

from browser_support import screenshot, wait_for_app_idle
from reference import filter_convictions
from server_support import ServedBehindProxy, active_sessions, require_nginx
from testdata import SAMPLE

LINE = re.compile(r"court decisions?, [\d,]+ (?:person|people)")


def description(page) -> str:
    locator = page.locator('[data-testid="stText"]').filter(has_text=LINE).first
    locator.wait_for()
    return locator.inner_text().strip()


def routing_cookie(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def sessions_held(served) -> int:
    return sum(active_sessions(served.worker_url(w)) for w in served.pool)


def test_a_reader_whose_worker_is_killed_keeps_reading(page, context):
    nginx = require_nginx()
    with ServedBehindProxy(2, data_dir=SAMPLE, nginx=nginx) as served:
        page.goto(f"{served.url}/cases?city=shymkent")
        wait_for_app_idle(page)
        before = description(page)
        assert before.startswith("Shymkent,")
        first = routing_cookie(context)
        [victim] = [w for w in served.pool if w.name == first]
        old_pid = served.kill(victim)

        # The tab's session died with the process: once a worker holds a session again, the tab
        # has reconnected (bounded wait: 60 s). Waiting goes through Playwright, which meanwhile
        # serves the page's requests (the context's route handler runs in this thread).
        page.locator('[data-testid="stApp"]:not([data-test-connection-state="CONNECTED"])').wait_for(state="attached")
        served.wait_worker(victim, 120, old_pid)
        deadline = time.monotonic() + 60
        while sessions_held(served) != 1:
            assert time.monotonic() < deadline, "the tab did not reconnect"
            page.wait_for_timeout(500)  # between two reads of the workers' own counts
        # and the page ran again there: the worker it reached loaded the dataset for it (the page
        # on screen is no stale copy of the dead session's)
        while sum(served.log_text(w).count("dataset loaded from") for w in served.pool) < 2:
            assert time.monotonic() < deadline, "the tab reconnected but did not run the page again"
            page.wait_for_timeout(500)  # between two reads of the workers' logs
        wait_for_app_idle(page)
        expect(page.locator('[data-testid="stText"]').filter(has_text=LINE).first).to_have_text(before)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
        screenshot(page, "proxy-after-a-worker-was-killed")

        with page.expect_download() as info:
            page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").first.click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
        assert len(rows) == len(filter_convictions(load_dataset(SAMPLE).convictions, Filters.of(cities=["shymkent"])))
