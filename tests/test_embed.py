"""The embed snippet and its addresses (:mod:`geo.views.embed_snippet`): ``embed=true`` added to
the view's own link and taken off for the full view; the snippet's title, size and the sentence on
where it may be shown, from the framing allow-list (:mod:`geo.framing`). In chromium, from another
origin: tests/e2e/test_embed_browser.py."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from geo import framing
from geo.i18n import translation
from geo.views import embed_snippet as es

VIEW = "https://qantar.example/cases?city=almaty&sentence=fine&sentence=imprisonment&lang=ru"
NEWS = "https://news.example"


def test_embed_is_added_to_the_views_own_link_and_taken_off_again():
    embedded = es.with_embed(VIEW, True)
    assert embedded == VIEW + "&embed=true"
    assert es.with_embed(embedded, False) == VIEW
    assert es.with_embed(VIEW + "&embed=true&EMBED=x#top", True) == VIEW + "&embed=true"
    assert es.with_embed("http://127.0.0.1:8501", True) == "http://127.0.0.1:8501/?embed=true"
    assert es.with_embed("http://127.0.0.1:8501/", False) == "http://127.0.0.1:8501/"


@pytest.mark.parametrize(
    ("query", "embedded"),
    [("embed=true", True), ("city=almaty&Embed=TRUE", True), ("embed=false", False), ("", False), ("embed", False)],
)
def test_which_links_ask_for_the_embedded_view(query, embedded):
    assert es.is_embedded(query) is embedded


def test_by_default_the_snippet_says_only_the_site_may_show_it():
    for lang in ("en", "ru", "kk"):
        sentence = es.framing_sentence(framing.parse(None), lang)
        assert sentence == translation(lang).gettext(es.ONLY_THIS_SITE) and "GEO_FRAME_ANCESTORS" in sentence
    assert "docs/embed.md" in es.framing_sentence(framing.parse(None))


def test_the_snippet_names_the_sites_of_the_allow_list():
    allowed = framing.parse(f"{NEWS} https://*.partner.example")
    sentence = es.framing_sentence(allowed)
    assert sentence.startswith(f"Where it may be shown: on pages of {NEWS} and https://*.partner.example,")
    for lang in ("ru", "kk"):
        translated = es.framing_sentence(allowed, lang)
        assert NEWS in translated and "https://*.partner.example" in translated and "GEO_FRAME_ANCESTORS" in translated


class Tags(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_snippet_is_one_titled_iframe_of_the_embedded_view(lang):
    snippet = es.iframe_snippet(VIEW, lang, framing.parse(NEWS))
    parsed = Tags(snippet)
    [(tag, attrs)] = parsed.tags
    assert tag == "iframe"
    assert attrs["src"] == VIEW + "&embed=true"
    assert attrs["title"] == translation(lang).gettext(es.FRAME_TITLE)
    assert (attrs["width"], attrs["height"]) == (str(es.FRAME_MAX_WIDTH_PX), str(es.FRAME_HEIGHT_PX))
    assert "width: 100%" in attrs["style"] and "border: 0" in attrs["style"]
    assert parsed.comments == [f" {es.framing_sentence(framing.parse(NEWS), lang)} "]


def test_a_quote_in_the_link_stays_in_the_attribute():
    link = 'https://qantar.example/"><script>x</script>?q="><b>'
    snippet = es.iframe_snippet(link)
    [(tag, attrs)] = Tags(snippet).tags
    assert tag == "iframe" and "<script>" not in snippet
    assert attrs["src"] == 'https://qantar.example/"><script>x</script>?q=%22%3E%3Cb%3E&embed=true'
