"""The map as one interactive HTML file (:mod:`geo.views.map_html`): self-contained (no address
to fetch, deck.gl inlined from the installed pydeck), the page's deck, and the image's title, keys,
notes, source line and the citation around it; data text stays text. Opened offline in chromium:
tests/e2e/test_embed_browser.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import citation, deck, descriptions, legend, map_html, map_image, marks

from apptest_support import downloads, open_page, sample_env  # noqa: F401
from testdata import FIXTURES, SAMPLE, copy_dataset


class Parsed(HTMLParser):
    """Every start tag with its attributes, the text of each script element, and the page's text."""

    def __init__(self, page: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(page.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif data.strip():
            self.text.append(data.strip())

    @property
    def page_text(self) -> str:
        return " ".join(self.text)

    def deck_data(self) -> dict:
        [(_, text)] = [(a, t) for a, t in self.scripts if a.get("id") == "qantar-deck"]
        return json.loads(text)


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SAMPLE))


@pytest.fixture(scope="module")
def borders():
    return deck.borders_for_map(deck.load_borders(deck.borders_path(SAMPLE)))


@pytest.fixture(scope="module")
def files(index, borders):
    """The file of every decision, in each language."""
    return {lang: map_html.map_html(index.view(Filters(), lang), borders=borders) for lang in ("en", "ru", "kk")}


def test_nothing_in_the_file_names_an_address_to_fetch(files):
    page = Parsed(files["en"])
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base"), tag
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), (tag, name, value)
    styles = re.findall(rb"<style>(.*?)</style>", files["en"], re.S)
    assert styles and not any(re.search(rb"url\(|@import", s) for s in styles)
    [csp] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src" not in csp and "http" not in csp


def test_deckgl_is_the_installed_pydecks_bundle_inlined(files):
    page = Parsed(files["en"])
    bundle = (resources.files("pydeck") / "nbextension" / "static" / "index.js").read_text(encoding="utf-8")
    scripts = [text for attrs, text in page.scripts if not attrs]
    assert len(page.scripts) == 3 and all("src" not in attrs for attrs, _ in page.scripts)
    assert scripts[0] == bundle.replace("</script", "<\\/script")
    assert "createDeck(" in scripts[1]


def test_the_deck_is_the_pages_deck(index, borders, files):
    """The same layers, view, pick areas and tooltips as the Map page draws at the default width."""
    view = index.view(Filters())
    width = marks.DEFAULT_WIDTH_PX
    page_deck = deck.deck_for(
        view.city_totals(),
        events=view.event_totals(),
        borders=borders,
        largest=index.largest,
        view=deck.fitted_view(view, width),
        width_px=width,
        circle_scale=marks.mark_scale(width),
    )
    expected = json.loads(page_deck.to_json())
    expected.pop("mapStyle")
    data = Parsed(files["en"]).deck_data()
    assert data["deck"] == expected
    assert data["tooltip"] == {"text": "{tooltip}", "style": deck.TOOLTIP_STYLE}
    places = next(layer for layer in data["deck"]["layers"] if layer["id"] == "places")
    assert any(row["tooltip"].startswith("Almaty") for row in places["data"])


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_file_carries_what_the_image_carries(index, files, lang):
    view = index.view(Filters(), lang)
    page = Parsed(files[lang])
    text = page.page_text
    drawn = map_image.drawn(view, "convicted", True, None, marks.DEFAULT_WIDTH_PX)
    assert ("html", {"lang": lang}) in page.tags
    assert legend.title(view) in text
    assert descriptions.window_stamp(view.filters, view.bounds, lang) in text
    for note in legend.map_notes(view, True, drawn.marks.unnamed(), drawn.marks.without_note()):
        assert note in text
    assert citation.source_line(index.provenance, lang) in text
    assert citation.citation_text(index.provenance) in text
    for entry in legend.legend("convicted", events=True, mentions=False, lang=lang):
        assert entry["label"] in text and entry["meaning"] in text
    keys = [a["alt"] for t, a in page.tags if t == "img"]
    assert [k.split(" ")[0] for k in keys] == [
        descriptions.size_key_title("convicted", lang).split(" ")[0],
        descriptions.size_key_title("events", lang).split(" ")[0],
    ]
    assert keys[0].startswith(descriptions.size_key_title("convicted", lang))


def test_mentions_get_their_layer_and_key(index, borders):
    view = index.view(Filters())
    mentions = view.mention_totals
    if mentions is None or not len(mentions):
        pytest.skip("the sample has no mentions table")
    page = Parsed(map_html.map_html(view, mentions=mentions, borders=borders))
    assert "mentions" in [layer["id"] for layer in page.deck_data()["deck"]["layers"]]
    assert any(a["alt"].startswith("Disc size, article mentions:") for t, a in page.tags if t == "img")


def test_data_text_cannot_leave_its_element(tmp_path, borders):
    """A city named ``</script><script>…</script><!--Almaty`` (tests/fixtures/map_html/) is text in
    the title, and a string in the deck's JSON and its tooltips: no element is made of it."""
    directory = copy_dataset(SAMPLE, tmp_path / "data", FIXTURES / "map_html" / "script_in_city_name")
    view = DatasetIndex.build(load_dataset(directory)).view(Filters.of(cities=["almaty"]))
    file = map_html.map_html(view, borders=borders)
    page = Parsed(file)
    name = "</script><script>window.__xss=1</script><!--Almaty"
    assert len(page.scripts) == 3
    assert name in page.page_text  # the title states the filter with the name as typed
    assert b"<script>window.__xss" not in file and b"<!--Almaty" not in file
    places = next(layer for layer in page.deck_data()["deck"]["layers"] if layer["id"] == "places")
    assert any(row["tooltip"].startswith(name) for row in places["data"])


def test_script_json_escapes_what_could_close_the_script():
    text = map_html.script_json({"a": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


@pytest.mark.usefixtures("sample_env")
def test_the_map_page_downloads_the_file_of_the_view_shown(downloads, index, borders):
    at = open_page("pages/map.py", {"city": ["almaty"], "lang": ["ru"]})
    html = downloads.of(at.download_button(key="download_map_html"))
    assert html.mime == "text/html"
    assert html.file_name.startswith("map_almaty_") and html.file_name.endswith(".html")
    assert html.data == map_html.map_html(index.view(Filters.of(cities=["almaty"]), "ru"), borders=borders)
