"""The Map page inside another site's article: the ``<iframe>`` snippet a newsroom pastes, the
addresses it and its "open the full view" link point at, and the sentence saying which sites may
frame the dashboard (:mod:`geo.framing` holds the list; the headers enforce it).

A view's address with ``embed=true`` (:data:`EMBED`) is the same view with the dashboard's own
chrome left out (no sidebar, no page list, no toolbar): :mod:`geo.dashboard.embed` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from babel.lists import format_list

from geo import framing
from geo.i18n import N_, translation

#: The query parameter that asks for the embedded view, and its one value.
EMBED, EMBED_ON = "embed", "true"
#: The frame's size in an article: the column's width (up to the width the map is drawn for beside
#: a sidebar), and tall enough for the filter line, the map's switches and the map.
FRAME_MAX_WIDTH_PX, FRAME_HEIGHT_PX = 960, 760

FRAME_TITLE = N_("Qantar map: court decisions and events after the January 2022 unrest in Kazakhstan, by city")
ONLY_THIS_SITE = N_(
    "Where it may be shown: only on pages of this dashboard's own site for now. To show it in an article, "
    "the site's operator adds the newspaper's origin (for example https://news.example) to "
    "GEO_FRAME_ANCESTORS; docs/embed.md says how."
)
THESE_SITES = N_(
    "Where it may be shown: on pages of {origins}, and of this dashboard's own site. Browsers refuse to "
    "show it on any other site until its origin is added to GEO_FRAME_ANCESTORS (docs/embed.md)."
)


def with_embed(url: str, on: bool) -> str:
    """``url`` with ``embed=true`` (``on``) or without any ``embed`` parameter; its other
    parameters, their order and the page's path stay as they are."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != EMBED]
    if on:
        pairs.append((EMBED, EMBED_ON))
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(pairs), fragment=""))


def is_embedded(query: str) -> bool:
    """Whether a page's query string (``city=almaty&embed=true``) asks for the embedded view,
    as Streamlit's browser code reads it (any case)."""
    return any(k.lower() == EMBED and v.lower() == EMBED_ON for k, v in parse_qsl(query, keep_blank_values=True))


def framing_sentence(allowed: Sequence[str], lang: str = "en") -> str:
    """Which sites browsers let show the dashboard in a frame (``allowed``: :func:`geo.framing.parse`)."""
    tr = translation(lang)
    others = [origin for origin in allowed if origin != framing.SELF]
    if not others:
        return tr.gettext(ONLY_THIS_SITE)
    return tr.gettext(THESE_SITES).format(origins=format_list(others, locale=lang))


def iframe_snippet(view_url: str, lang: str = "en", allowed: Sequence[str] = (framing.SELF,)) -> str:
    """The HTML a newsroom pastes: a comment saying where it may be shown, then an ``<iframe>`` of
    ``view_url`` with ``embed=true``, named for screen readers by its ``title``, as wide as the
    article's column up to :data:`FRAME_MAX_WIDTH_PX` and :data:`FRAME_HEIGHT_PX` tall."""
    tr = translation(lang)
    where = framing_sentence(allowed, lang).replace("--", "–")  # "--" may not occur in a comment
    return (
        f"<!-- {where} -->\n"
        f'<iframe src="{escape(with_embed(view_url, True))}" title="{escape(tr.gettext(FRAME_TITLE))}" '
        f'width="{FRAME_MAX_WIDTH_PX}" height="{FRAME_HEIGHT_PX}" '
        f'style="width: 100%; max-width: {FRAME_MAX_WIDTH_PX}px; border: 0" '
        'loading="lazy" referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
