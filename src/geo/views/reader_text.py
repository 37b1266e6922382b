"""Text from the data or from a link, as a reader sees it: the one way such text reaches a page.

Two dangers, whatever the element:

- **Bidirectional controls** (U+202A-E, U+2066-9) or right-to-left letters in a value can reorder
  the page's own words after it ("Trojan Source"). :func:`isolated` wraps such a value in FIRST
  STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069): whatever it holds, it is laid out
  on its own and cannot reach past its end. Text without either is left as it is, so that copying
  a name gives the name.
- **Markdown**: Streamlit's alerts, captions and ``st.markdown`` render Markdown, and its GFM
  autolinks turn ``www.x``, ``https://x`` and ``user@x`` into links even after backslash escapes
  (they match the text the escapes leave). :func:`markdown_text` escapes every Markdown-active
  character and puts a WORD JOINER (U+2060, invisible, no width) where an autolink would start.

Plain-text elements (``st.text``, ``st.code``, tables, widget options) take :func:`plain_text`;
Markdown elements take :func:`markdown_text`. Fixed wording needs neither.
"""

from __future__ import annotations

import re
import unicodedata

FSI, PDI = "\u2068", "\u2069"
#: The explicit bidirectional formatting characters: embeddings, overrides and their pop (U+202A-E),
#: isolates and their pop (U+2066-9). The validator warns about them (geo.data.validate.INVISIBLE).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ISOLATE_OPENERS = "\u2066\u2067\u2068"
#: Bidi classes that make a value able to reorder what follows it: right-to-left letters and the
#: explicit controls (unicodedata, so the Unicode version is Python's).
_REORDERING = {"R", "AL", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}

#: Inline Markdown only: block syntax (lists, headings) matters at a line start, which a name in a
#: label or sentence never is; so "Ust-Kamenogorsk" stays as it is (it also goes into URLs).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~:$])")
#: Where GFM would start an autolink: ``www.``, a scheme's ``://`` and an e-mail's ``@`` (remark-gfm
#: matches them in the text left after escapes); a WORD JOINER goes right after each.
AUTOLINK_START = re.compile(r"(?i)(www(?=\.)|:(?=//)|@)")
WORD_JOINER = "\u2060"
#: A link value longer than this is cut when a sentence quotes it (a link can hold megabytes).
MAX_QUOTED = 60


def reorders(value: str) -> bool:
    return any(unicodedata.bidirectional(c) in _REORDERING for c in value)


def isolated(value: object) -> str:
    """``value`` as text that cannot reorder what is around it: wrapped in FSI … PDI when it holds
    right-to-left letters or bidi controls (stray pops dropped, open isolates closed, so the
    closing PDI is the wrapper's own), else unchanged."""
    text = "" if value is None else str(value)
    if not reorders(text):
        return text
    kept, depth = [], 0
    for c in text:
        if c in _ISOLATE_OPENERS:
            depth += 1
        elif c == PDI:
            if not depth:
                continue  # it would close the wrapper early
            depth -= 1
        kept.append(c)
    return FSI + "".join(kept) + PDI * depth + PDI


def plain_text(value: object) -> str:
    """Data or link text for an element that shows text as text."""
    return isolated(value)


def escape_markdown(value: object) -> str:
    """Backslash every Markdown-active character and break every autolink, so text shows as typed
    in a Markdown element (no links, no images fetched from elsewhere, no emphasis, no
    ``:material/…:`` icons). No isolation: for fixed wording and for pieces that are isolated whole."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", "" if value is None else str(value))
    return AUTOLINK_START.sub(lambda m: m.group() + WORD_JOINER, text)


def markdown_text(value: object) -> str:
    """Data or link text for a Markdown element: escaped, no autolink, isolated."""
    return escape_markdown(isolated(value))


def quoted(value: object) -> str:
    """A value a sentence quotes (a link's), cut to :data:`MAX_QUOTED` characters."""
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"
