"""Streamlit's own words around the pages, in the reader's language.

Streamlit writes some text in its browser code, in English: the "No results" of a select box's
empty list, and the names its controls give screen readers ("Fullscreen", "Help for …", "Choose
date", "Collapse sidebar" …). They come from the catalogs here: "No results" by a style that
hides Streamlit's text and shows the translation in its place (:func:`empty_list_style`); the
controls' names by ``chrome.js``, which the component that sets ``<html lang>``
(:func:`document_language`) runs, rewriting those attributes whenever Streamlit
draws them again. English pages are left as Streamlit draws them. The languages' browser test
(tests/e2e/test_no_english_browser.py) fails when a Streamlit upgrade changes what is matched.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import streamlit as st

from geo.i18n import N_, translation

#: The classes of the empty-list spans of Streamlit 1.67's select box and multiselect.
EMPTY_LIST_CLASSES = ("equpb2c9", "eo2qvtu11")
NO_RESULTS = N_("No results")

#: Names Streamlit gives its controls (``aria-label``, ``title``, ``placeholder``), and its skip link.
CONTROL_NAMES = [
    N_("Open"),
    N_("Close"),
    N_("Clear all"),
    N_("Link to heading"),
    N_("Fullscreen"),
    N_("Close fullscreen"),
    N_("Choose date"),
    N_("Show/hide columns"),
    N_("Search"),
    N_("Download as CSV"),
    N_("Show data"),
    N_("Download as PNG"),
    N_("Download as SVG"),
    N_("Copy Vega-Lite spec"),
    N_("Sidebar"),
    N_("App pages"),
    N_("Choose an option"),
    N_("Main menu"),
    N_("Collapse sidebar"),
    N_("Expand sidebar"),
    N_("Copy to clipboard"),
    N_("Vega visualization"),
    N_("Skip to main content"),
]
#: Names that hold a widget's label (``{label}``).
LABELLED_NAMES = [
    N_("Help for {label}"),
    N_("Fullscreen: {label}"),
    N_("{label} — start"),
    N_("{label} — end"),
    N_("year, {label}"),
    N_("month, {label}"),
    N_("day, {label}"),
]

_EMPTY_LIST_CSS = (
    "<style>{spans} {{ font-size: 0; visibility: hidden; }} "
    "{after} {{ content: {words}; font-size: 0.875rem; visibility: visible; }}</style>"
)

#: The script of the component that sets ``<html lang>`` (:func:`document_language`), read from
#: ``chrome.js`` beside this file. Its ``renameControls(data)`` rewrites the controls' names (and
#: the skip link's text) after each change Streamlit makes to the page, at most once a frame. A
#: name already in the reader's language matches nothing, so its own rewrite does not set it again.
PAGE_JS = Path(__file__).with_name("chrome.js").read_text(encoding="utf-8")
DOCUMENT_LANG = "document_lang"
#: The component draws nothing, and its element is kept out of the page's flow.
_DOCUMENT_LANG_CSS = "<style>.st-key-document_lang { display: none; }</style>"


def control_names(lang: str) -> dict:
    """What the page script is given (nothing for English): ``exact`` English name -> translation,
    and ``labelled`` pairs (a JavaScript pattern matching the English name, the translation with
    ``{label}``)."""
    if lang == "en":
        return {}
    tr = translation(lang)
    labelled = []
    for message in LABELLED_NAMES:
        before, _, after = message.partition("{label}")
        labelled.append([f"^{re.escape(before)}(.+){re.escape(after)}$", tr.gettext(message)])
    return {"exact": {m: tr.gettext(m) for m in CONTROL_NAMES}, "labelled": labelled}


def empty_list_style(lang: str) -> str:
    """The style that puts the catalog's "No results" in place of Streamlit's (empty for English)."""
    if lang == "en":
        return ""
    spans = ", ".join(f"span.{name}" for name in EMPTY_LIST_CLASSES)
    after = ", ".join(f"span.{name}::after" for name in EMPTY_LIST_CLASSES)
    words = json.dumps(translation(lang).gettext(NO_RESULTS), ensure_ascii=False)  # a valid CSS string
    return _EMPTY_LIST_CSS.format(spans=spans, after=after, words=words)


@functools.cache
def _document_language():
    return st.components.v2.component("qantar_document_lang", js=PAGE_JS)


def document_language(lang: str) -> None:
    """The page's ``<html lang>`` follows the reader's language (an instance per language, so a
    switch mounts a new one that sets it again), and so do Streamlit's own words. ``<html lang>``
    is what Streamlit's page template fixes to English: screen readers choose their voice by it,
    and browsers their hyphenation and their offer to translate the page. One component for both,
    so that the page waits for one script, not two."""
    st.html(_DOCUMENT_LANG_CSS + empty_list_style(lang))
    with st.container(key=DOCUMENT_LANG):
        _document_language()(key=f"{DOCUMENT_LANG}_{lang}", data={"lang": lang, **control_names(lang)})
