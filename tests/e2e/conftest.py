"""Real-browser fixtures: the dashboard served by `streamlit run` on 127.0.0.1, driven by
Debian's chromium through Playwright, with every request to another host blocked.

Outside CI a missing chromium skips these tests, loudly; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo.bench.browser import CHROMIUM as BROWSER_BIN
from geo.bench.browser import FLAGS

from browser_support import BROWSER_TIMEOUT_MS
from server_support import Server
from testdata import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(BROWSER_BIN)
CHROMIUM_FLAGS = FLAGS  # one list of chromium flags, the benchmark's and the tests'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: real-browser tests cannot run (make test installs Debian's chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    sys.stderr.write(f"\n!!! SKIPPING BROWSER TESTS: {message}\n")
    pytest.skip(message)


@pytest.fixture(scope="session")
def server():
    require_chromium()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    srv = Server(SAMPLE)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        # expect() has its own default (5 s), which neither the context's nor a page's setting changes
        expect.set_options(timeout=BROWSER_TIMEOUT_MS)
        yield b
        b.close()


class BlockedRequests(list):
    """URLs the page tried to reach on another host (all aborted)."""


@pytest.fixture
def context(browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(BROWSER_TIMEOUT_MS)  # every page of it, the ones a test opens itself too
    blocked = BlockedRequests()

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_local)
    ctx.blocked = blocked
    yield ctx
    ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def page(context, request):
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.js_errors = errors
    yield p
    if getattr(request.node, "call_failed", False):  # what the page showed when the test failed
        failed = ROOT / "artifacts" / "failed"
        failed.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        p.screenshot(path=str(failed / f"{name}.png"), full_page=True)
