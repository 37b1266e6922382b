"""In a real browser: time from a slider change to the map canvas having changed, and the
server memory a second browser session adds. Prints one JSON object.

    python -m geo.bench.browser DATA_DIR [--app APP] [--changes 5]

Starts ``streamlit run APP`` as a separate server process on 127.0.0.1 with
GEO_DATA_DIR=DATA_DIR (APP defaults to the source checkout's ``app.py``; the server runs in
APP's folder, so that its ``.streamlit/config.toml`` applies), drives Debian's chromium
through Playwright (every request to another host is blocked), drags the date slider's end
thumb, and reports when the map's WebGL context first draws after the change (an init script
timestamps every draw call); screenshots of the canvas, taken until they differ from the one
before, confirm that the drawing changed the map (their own slower timing is reported as an
upper bound). The memory figures are the server process's resident memory
(:func:`geo.bench.memory.steady_rss_mib`), in MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from geo.bench import checkout_app
from geo.bench.memory import steady_rss_mib

CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


#: Timestamps (performance.now()) of every WebGL draw call, in window.__draws.
DRAW_HOOK = """
(() => {
  window.__draws = [];
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced"]) {
      const original = proto[name];
      if (!original) continue;
      proto[name] = function (...args) { window.__draws.push(performance.now()); return original.apply(this, args); };
    }
  }
})();
"""


def start_server(data_dir: Path, app: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # as `make run` starts it: two malloc arenas, or each session's thread keeps its own (see Makefile)
    env = dict(os.environ, GEO_DATA_DIR=str(data_dir), MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=app.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("streamlit did not start")


def open_map(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=600_000)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    last, stable = None, 0
    while stable < 3:  # settled: three identical screenshots in a row
        shot = canvas.screenshot()
        stable = stable + 1 if shot == last else 0
        last = shot
        page.wait_for_timeout(300)
    return page, canvas


def drag_end_thumb(page, fraction: float) -> None:
    slider = page.get_by_role("group", name="Date range")
    track = slider.locator("div[data-orientation]").first.bounding_box()
    thumb = slider.locator('input[aria-label="Date range — end"]').locator("xpath=../..").bounding_box()
    y = thumb["y"] + thumb["height"] / 2
    page.mouse.move(thumb["x"] + thumb["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * fraction, y, steps=5)
    page.mouse.up()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the dataset the app shows (its GEO_DATA_DIR)")
    parser.add_argument("--app", type=Path, help="the dashboard's app.py (default: the source checkout's)")
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    process, url = start_server(args.data_dir.resolve(), (args.app or checkout_app()).resolve())
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

            def context():
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                ctx.add_init_script(DRAW_HOOK)
                ctx.route(
                    "**/*",
                    lambda r: r.continue_() if urlsplit(r.request.url).hostname in ("127.0.0.1", None) else r.abort(),
                )
                return ctx

            first_ctx = context()
            page, canvas = open_map(first_ctx, url)
            times, confirmed = [], []
            for i in range(args.changes):
                before = canvas.screenshot()
                drag_end_thumb(page, 0.25 + 0.5 * (i % 2))  # alternate: a quarter and three quarters
                released = page.evaluate("performance.now()")
                started = time.perf_counter()
                while canvas.screenshot() == before:
                    if time.perf_counter() - started > 120:
                        raise TimeoutError("the map never changed")
                confirmed.append(time.perf_counter() - started)
                # The canvas can change before the deck draws again (Streamlit fades a rerunning
                # page's elements): wait for the draw itself.
                page.wait_for_function("t => window.__draws.some(d => d > t)", arg=released, timeout=120_000)
                first_draw = page.evaluate("t => window.__draws.find(d => d > t)", released)
                times.append((first_draw - released) / 1000)
                page.wait_for_timeout(1500)  # let the rerun finish before the next change
            rss_one = steady_rss_mib(process.pid)  # one session, after its filter changes
            second_ctx = context()
            open_map(second_ctx, url)
            rss_two = steady_rss_mib(process.pid)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(
        json.dumps(
            {
                "slider_to_map_ms": statistics.median(times) * 1000,
                "slider_to_screenshot_ms": statistics.median(confirmed) * 1000,
                "changes": len(times),
                "server_rss_one_session_mib": rss_one,
                "second_session_mib": rss_two - rss_one,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
