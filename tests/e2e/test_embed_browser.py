"""The map in another site's article, and the map as a file opened offline, in chromium.

The snippet: the Map page's "Embed" gives an ``<iframe>``; pasted into a page of another origin
(another port of 127.0.0.1, served here) it shows the embedded view, whose map draws and whose
"Open the full view" link opens the same view without ``embed`` in a new tab, when the dashboard
allows that origin (``GEO_FRAME_ANCESTORS``); by default chromium refuses to show it there.

The file: ``geo.views.map_html`` opened from ``file://`` with every request that is not for a
``file://`` address aborted and recorded (none may be attempted), and the browser's Content
Security Policy reports recorded too (none may be refused): deck.gl draws, a place's tooltip
shows on hover, and the title, keys, notes and citation are on the page.

Screenshots (artifacts/screenshots/embed-*, map-html-*) are there to be looked at.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from test_map_view_browser import TOOLTIP

from geo import framing
from geo.data.dataset import load_dataset
from geo.i18n import translation
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import citation, deck, descriptions, embed_snippet, legend, map_html, marks

from browser_support import pixel_of, screenshot, wait_for_app_idle
from server_support import Server
from test_dashboard_browser import wait_for_map
from testdata import SAMPLE

ARTICLE = "<!doctype html><html lang=en><title>article</title><p>An article about the trials.</p>{snippet}</html>"
PHONE_WIDTH = 390


class Article(BaseHTTPRequestHandler):
    """A newspaper's page: some text and the snippet it was given (``server.snippet``)."""

    def do_GET(self):
        body = ARTICLE.format(snippet=self.server.snippet).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def newspaper():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    httpd.snippet = ""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def allowing(newspaper):
    """The dashboard as served, with the newspaper's origin on its allow-list."""
    with Server(SAMPLE, env={framing.ENV: newspaper.url}) as served:
        yield served


def snippet_of(page, url: str, lang: str = "en") -> str:
    """What the Map page's "Embed" gives, at ``url``."""
    page.goto(url)
    wait_for_app_idle(page)
    page.get_by_role("button", name=translation(lang).gettext("Embed")).click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code')
    expect(code).to_contain_text("<iframe")
    return code.inner_text()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_snippet_shows_the_view_on_another_origin(page, allowing, newspaper, lang):
    snippet = snippet_of(page, f"{allowing.url}/?city=almaty&lang={lang}", lang)
    query = urlsplit(page.url).query  # the view's link (English, the default, leaves lang out)
    assert "city=almaty" in query and (f"lang={lang}" in query) == (lang != "en")
    assert f'src="{allowing.url}/?{query.replace("&", "&amp;")}&amp;embed=true"' in snippet
    assert embed_snippet.framing_sentence((framing.SELF, newspaper.url), lang) in snippet
    newspaper.snippet = snippet
    for width in (1000, PHONE_WIDTH) if lang == "en" else (1000,):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(newspaper.url)
        iframe = page.locator("iframe")
        assert iframe.get_attribute("title") == translation(lang).gettext(embed_snippet.FRAME_TITLE)
        frame = iframe.element_handle().content_frame()
        frame.wait_for_url(f"{allowing.url}/?{query}&embed=true", timeout=60_000)  # lazy: loads when near
        wait_for_map(frame)  # the deck drew inside the frame: borders, circles, labels
        expect(frame.locator('[data-testid="stSidebar"]')).to_be_hidden()
        expect(frame.locator('[data-testid="stHeader"]')).to_be_hidden()
        full = frame.get_by_role("link", name=translation(lang).gettext("Open the full view"))
        assert full.get_attribute("href") == f"{allowing.url}/?{query}"
        assert full.get_attribute("target") == "_blank"
        frame.locator('[data-testid="stMainBlockContainer"]').scroll_into_view_if_needed()
        screenshot(page, f"embed-{lang}-{width}")
    with page.context.expect_page(timeout=60_000) as opened:
        full.click()
    wait_for_app_idle(opened.value)
    assert opened.value.url == f"{allowing.url}/?{query}"
    expect(opened.value.locator('[data-testid="stSidebar"]')).to_be_attached()
    assert page.js_errors == []


def test_by_default_another_origin_may_not_show_it(page, server, newspaper):
    """The dashboard as served without an allow-list: the Embed control says so, and chromium
    refuses to show the snippet on the newspaper's page."""
    snippet = snippet_of(page, f"{server.url}/?city=almaty")
    assert embed_snippet.framing_sentence((framing.SELF,)) in snippet
    newspaper.snippet = snippet
    with page.expect_event(
        "framenavigated",
        predicate=lambda f: f.parent_frame is not None and f.url.startswith("chrome-error://"),
        timeout=60_000,
    ) as refused:
        page.goto(newspaper.url)
    assert refused.value.locator('[data-testid="stApp"]').count() == 0


# --- the HTML file, offline ------------------------------------------------------------------

#: Every Content Security Policy refusal of the page, kept where the test can read it.
CSP_REPORTS = """
window.__refused = [];
document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(e.blockedURI + ' ' + e.violatedDirective));
"""


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SAMPLE))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_html_map_opens_offline_from_disk(browser, index, tmp_path, lang):
    view = index.view(Filters(), lang)
    borders = deck.borders_for_map(deck.load_borders(deck.borders_path(SAMPLE)))
    path = tmp_path / f"map-{lang}.html"
    path.write_bytes(map_html.map_html(view, borders=borders))
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    attempted, requested = [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    context.add_init_script(CSP_REPORTS)
    page = context.new_page()
    page.on("request", lambda r: requested.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.qantarDeck && window.qantarDeck.isInitialized", timeout=60_000)
        layers = page.evaluate("() => window.qantarDeck.props.layers.map((l) => l.id)")
        assert {"borders", "cities", "events", "labels", "places"} <= set(layers)
        canvas = page.locator("#map canvas")
        expect(canvas).to_have_count(1)
        box = page.locator("#map").bounding_box()
        place = index.data.locations.set_index("location_id").loc["almaty"]
        state = deck.fitted_view(view, marks.DEFAULT_WIDTH_PX)
        x, y = pixel_of(place["latitude"], place["longitude"], state, box["width"], box["height"])
        tip = None
        for nudge in (0, 1, -1, 2):  # deck.gl picks on pointer moves: move again if one went unseen
            page.mouse.move(box["x"] + x + nudge, box["y"] + y)
            try:
                page.wait_for_function(TOOLTIP, timeout=5000)
            except PlaywrightTimeoutError:  # no tooltip yet: move again
                continue
            tip = page.evaluate(TOOLTIP)
            break
        almaty = {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}[lang]
        assert tip is not None and tip["first"].startswith(almaty), tip
        text = page.locator("main").inner_text()
        for shown in (
            legend.title(view),
            descriptions.window_stamp(view.filters, view.bounds, lang),
            citation.source_line(index.provenance, lang),
            citation.citation_text(index.provenance),
            *legend.map_notes(view, True),
        ):
            assert " ".join(shown.split()) in " ".join(text.split())
        expect(page.locator("img[alt^='" + descriptions.size_key_title("convicted", lang) + "']")).to_have_count(1)
        screenshot(page, f"map-html-{lang}")
        assert attempted == [], attempted
        assert [u for u in requested if not u.startswith(("file://", "data:"))] == []
        assert page.evaluate("() => window.__refused") == []
        assert errors == []
    finally:
        context.close()
