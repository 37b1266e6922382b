"""Helpers for the real-browser tests (kept apart from conftest.py so tests can import them)."""

from __future__ import annotations

import math
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
#: How long any browser wait (an action, a ``wait_for``, an ``expect``) may take before it fails:
#: generous, because the suite must pass on a loaded machine (a load average of 10 on two cores).
#: Set once on each browser context and on ``expect`` (tests/e2e/conftest.py), not per call.
BROWSER_TIMEOUT_MS = 60_000
#: Streamlit's root element says on itself whether the websocket is up and whether the script
#: runs: ``data-test-script-state`` is ``initial`` until the first run starts, ``running`` (or
#: ``rerunRequested``) during a run, then ``notRunning``.
APP_IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
#: Resolves once every image has loaded or failed (an ``onerror`` handler runs in the same task
#: as the failure), after one more frame and one more task: whatever those events queued has run.
PAGE_SETTLED = """() => new Promise(resolve => {
  const pending = [...document.images].filter(i => !i.complete).map(i => new Promise(r => {
    i.addEventListener('load', r, {once: true});
    i.addEventListener('error', r, {once: true});
  }));
  Promise.all(pending).then(() => requestAnimationFrame(() => setTimeout(() => resolve(true), 0)));
})"""


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app_idle(page, timeout_ms: float = BROWSER_TIMEOUT_MS) -> None:
    """Until the app has finished running its script: connected, not running, no "Running…"
    icon in the status widget and no loading skeleton left. (The status widget itself may stay,
    to offer a rerun when a source file changed: that is not a run.)

    After a page load this waits for the first run (the state reads ``initial`` before it).
    After an interaction the rerun may not have started yet: wait first for what it changes.
    """
    page.locator(APP_IDLE).wait_for(state="attached", timeout=timeout_ms)
    expect(page.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(0, timeout=timeout_ms)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout_ms)


def next_frame(page) -> None:
    """Until the page has drawn one more frame (deck.gl and Vega draw on animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")


def wait_until_settled(page) -> None:
    """Until the app is idle and, in the page and each of its frames, the document has loaded
    and its own events (image loads and failures, a frame, a task) have run: a payload that
    would fire has fired by then, and any dialog it opened has reached the test's handler (an
    open dialog blocks the page's script, so this returns only once the handler dismissed it)."""
    wait_for_app_idle(page)
    for frame in page.frames:  # the page and any iframe in it (an iframe's payload runs in there)
        frame.wait_for_load_state("load")
        frame.evaluate(PAGE_SETTLED)


def wait_for_page_drawn(page) -> None:
    """Until the app is idle and what draws after the run has drawn: every chart its canvas (or
    svg), every table its header row, and one more frame."""
    wait_for_app_idle(page)
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        chart.locator("canvas, svg").first.wait_for()
    for grid in page.locator('[data-testid="stDataFrame"]').all():
        grid.locator('[role="row"]').first.wait_for(state="attached")
    next_frame(page)


def shown_view(data_dir: Path, width: float, cities: tuple[str, ...] = ()) -> dict:
    """The view the Map page fits a map ``width`` pixels wide to, for a filter of ``cities``
    (``geo.views.deck.fitted_view``: the browser reports the width, the server fits the view)."""
    from geo.data.dataset import load_dataset
    from geo.query.filters import Filters
    from geo.query.view import DatasetIndex
    from geo.views.deck import fitted_view

    return fitted_view(DatasetIndex.build(load_dataset(data_dir)).view(Filters.of(cities=cities)), width)


def pixel_of(lat: float, lon: float, view: dict, width: float, height: float) -> tuple[float, float]:
    """Where a point lies on a canvas of that size in ``view`` (Web Mercator, as deck.gl projects)."""
    world = 512 * 2 ** view["zoom"]

    def project(la, lo):
        x = (lo + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * world
        return x, y

    cx, cy = project(view["latitude"], view["longitude"])
    x, y = project(lat, lon)
    return width / 2 + (x - cx), height / 2 + (y - cy)


def click_until_chosen(page, canvas, where, chosen, value: str, tries: int = 5) -> None:
    """Click the map at ``where()`` (pixel x, y on ``canvas``) until the box ``chosen`` reads
    ``value``: the page may still be settling, so measure again and click again, as a person would."""
    from playwright.sync_api import expect

    for _ in range(tries):
        x, y = where()
        canvas.click(position={"x": x, "y": y})
        try:
            expect(chosen).to_have_value(value, timeout=5000)
            return
        except AssertionError:
            continue
