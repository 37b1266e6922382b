"""Every page in Russian and Kazakh, in a real browser: its title and its sidebar in the language,
and no English on it, each page with a link value that names nothing; a search that finds nothing
(Streamlit's own "No results") and a page path the app does not have (Streamlit's own "Page not
found"). One browser session for all of it; each page in each language is opened once.

What counts as English: a word of two or more Latin letters in the text a reader is shown (the
page's ``innerText``, icons left out, and the names its controls give screen readers: ``aria-label``,
``title``, ``placeholder``), outside the data (tables, code blocks, the map's canvas, the
description line) and outside :data:`PROPER_NAMES`. Not checked: the descriptions Vega writes on
the marks of a chart's SVG (they name the chart's fields, in English).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from geo import i18n

from browser_support import screenshot, wait_for_page_drawn

#: Names and codes that stay as they are in every language.
PROPER_NAMES = set(
    # the project, the licence; file formats; services and a data source as they name themselves;
    # licences and a chart format; commands and file names the text quotes
    [
        "Qantar",
        "CC",
        "BY",
        "CSV",
        "Excel",
        "GeoJSON",
        "PNG",
        "SVG",
        "BibTeX",
        "Carto",
        "CARTO",
        "GeoNames",
        "OpenStreetMap",
        "Nominatim",
        "ODbL",
        "Natural",
        "Earth",
        "MIT",
        "ISC",
        "Vega",
        "Lite",
        "CHANGELOG",
        "md",
        "python",
        "geo",
        "validate",
        "mentions",
        "convictions",
        "csv",
    ]
)
#: Each page with a link value that names nothing there.
PAGES = [
    ("", {"map_city": "atlantis"}),
    ("cases", {"sort": "bogus", "page": "²", "person": "nobody"}),
    ("timeline", {"period": "yesterday"}),
    ("sources", {"city": "atlantis"}),
    ("about", {"period": "2030-01-01"}),
]
#: The text a reader sees, without the data: tables (canvas and their hidden copy), code blocks,
#: the map, and the description line (city names from the data), each taken out of a copy.
SHOWN_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  for (const el of copy.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stCode"], code, canvas, '
      + '[data-testid="stText"], [data-testid="stDeckGlJsonChart"], [aria-hidden="true"], script, style, noscript'))
    el.remove();
  document.body.append(copy);
  copy.style.position = 'absolute';
  const text = copy.innerText;
  copy.remove();
  const names = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
    .filter(e => !e.closest('svg'))
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')].join(' '));
  return text + '\\n' + names.join('\\n');
}"""


def renamed(page) -> None:
    """Until the page's script has given Streamlit's controls their names in the reader's language
    (the main menu's button is on every page)."""
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stMainMenuButton"]')
             && !document.querySelector('[aria-label="Main menu"]')"""
    )


def english_words(text: str, quoted: tuple[str, ...] = ()) -> set[str]:
    """The English words of ``text``, but for proper names and the link's own values, which the
    sentences about them quote."""
    for value in quoted:
        text = text.replace(value, " ")
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in PROPER_NAMES}


def test_no_english_on_russian_and_kazakh_pages(server, page):
    seen = {}
    for lang in ("ru", "kk"):
        tr = i18n.translation(lang)
        for path, bad in PAGES:
            query = "&".join(f"{k}={v}" for k, v in {**bad, "lang": lang}.items())
            page.goto(f"{server.url}/{path}?{query}")
            expect(page.locator("h1").first).to_have_text(tr.gettext(dict(MAP_TITLES)[path]))
            expect(page.locator('[data-testid="stAlertContentWarning"]').first).to_be_visible()
            wait_for_page_drawn(page)
            expect(
                page.locator('[data-testid="stSidebar"]').get_by_role("heading", name=tr.gettext("Filters"))
            ).to_be_visible()
            expect(page.get_by_text("Page not found")).to_have_count(0)
            renamed(page)
            seen[f"{lang} /{path}"] = english_words(page.evaluate(SHOWN_TEXT), tuple(bad.values()))
            screenshot(page, f"no-english-{path or 'map'}-{lang}")
        # A search that finds no city: Streamlit's list says so, in the reader's language.
        cities = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        cities.click()
        page.keyboard.type("zzqx")
        page.wait_for_function(
            """() => [...document.querySelectorAll('span')].some(s => s.textContent === 'No results'
                 && getComputedStyle(s, '::after').content.length > 2)"""
        )
        after = page.evaluate(
            """() => [...document.querySelectorAll('span')].filter(s => s.textContent === 'No results')
                 .map(s => [getComputedStyle(s).visibility, getComputedStyle(s, '::after').content])"""
        )
        assert after and all(v == "hidden" and tr.gettext("No results") in c for v, c in after), after
        screenshot(page, f"no-english-no-results-{lang}")
        page.keyboard.press("Escape")
        # A page path the app does not have: the map, and a sentence in the reader's language.
        page.goto(f"{server.url}/nowhere?lang={lang}")
        expect(page.locator("h1").first).to_have_text(tr.gettext("Map"))
        expect(page.locator('[data-testid="stAlertContentWarning"]').first).to_contain_text("nowhere")
        wait_for_page_drawn(page)
        renamed(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        seen[f"{lang} /nowhere"] = english_words(page.evaluate(SHOWN_TEXT), ("nowhere",))
        screenshot(page, f"no-english-unknown-page-{lang}")
    left = {where: words for where, words in seen.items() if words}
    assert left == {}, left


MAP_TITLES = [("", "Map"), ("cases", "Cases"), ("timeline", "Timeline"), ("sources", "Sources"), ("about", "About")]
