"""The browser benchmark's way of driving the dashboard (:mod:`geo.bench.browser`), on the shared
served dashboard: its draw hook sees the map's WebGL draws, and its drag of the date slider's end
thumb changes the period and draws the map again. Its full run (its own server and chromium, the
timings and the memory a second session adds) is long: tests/test_bench.py, make robustness."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from geo.bench.browser import DRAW_HOOK, drag_end_thumb

from browser_support import wait_for_app_idle

DRAWS = "() => window.__draws.length"


def test_the_benchmarks_slider_drag_redraws_the_map(server, page):
    page.add_init_script(DRAW_HOOK)
    page.goto(server.url)
    wait_for_app_idle(page)
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for()
    page.wait_for_function(f"() => ({DRAWS})() > 0")  # the hook counts the map's draws
    assert "period" not in parse_qs(urlsplit(page.url).query)

    drag_end_thumb(page, 0.25)
    released = page.evaluate("performance.now()")
    page.wait_for_function("t => window.__draws.some(d => d > t)", arg=released)  # drawn again after the drag
    page.wait_for_url(lambda url: "period" in parse_qs(urlsplit(url).query))  # the drag changed the period
    wait_for_app_idle(page)
    assert not page.js_errors, page.js_errors
