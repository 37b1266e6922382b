"""Which pages chromium lets frame the dashboard as ``make run`` serves it (serve.py, :mod:`geo.framing`).

By default only the site itself: a page of the same origin shows the dashboard in an iframe, while
a page of another origin (another port of 127.0.0.1, served here by a small local server) gets
chromium's error page in its place. The same page may frame it once ``GEO_FRAME_ANCESTORS`` names
its origin. The embedding page holds nothing but the iframe.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geo import framing

from browser_support import wait_for_app_idle
from server_support import Server
from testdata import SAMPLE

EMBED = '<!doctype html><title>embed</title><iframe id="map" src="{src}" width="900" height="700"></iframe>'


class Embedding(BaseHTTPRequestHandler):
    def do_GET(self):
        src = parse_qs(urlsplit(self.path).query)["src"][0]
        body = EMBED.format(src=src).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_origin():
    """A page server on another port of 127.0.0.1: another origin, the same (loopback) network."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Embedding)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def framed(frame) -> bool:
    return frame.parent_frame is not None


def shows_the_dashboard(page, at: str, app: str) -> None:
    page.goto(at)
    frame = page.locator("iframe#map").element_handle().content_frame()
    assert frame is not None and frame.url == f"{app}/"
    wait_for_app_idle(frame)  # the dashboard ran inside the frame


def test_the_site_itself_may_frame_it(page, server):
    at = f"{server.url}/qantar-embed-test.html"  # answered here, as if the site served it
    page.route(at, lambda route: route.fulfill(status=200, content_type="text/html", body=EMBED.format(src=server.url)))
    shows_the_dashboard(page, at, server.url)


def test_another_origin_may_not(page, server, other_origin):
    with page.expect_event(
        "framenavigated", predicate=lambda f: framed(f) and f.url.startswith("chrome-error://")
    ) as refused:
        page.goto(f"{other_origin}/?src={server.url}/")
    assert refused.value.locator('[data-testid="stApp"]').count() == 0


def test_an_origin_on_the_allow_list_may(page, other_origin):
    with Server(SAMPLE, env={framing.ENV: other_origin}) as allowing:
        shows_the_dashboard(page, f"{other_origin}/?src={allowing.url}/", allowing.url)
