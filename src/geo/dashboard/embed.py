"""The dashboard inside another site's page, and the control that gives the code for it.

``?embed=true`` (:data:`geo.views.embed_snippet.EMBED`) shows the page as it is with the app
around it left out: Streamlit's own embedded mode drops its toolbar and header, ``embed.css`` the
sidebar and the page list, and the footer is one source line; where the Copy link
control stands, a link opens the same view, in full, in a new tab. The sidebar's filters still
run (hidden): they read the view from the link as they always do. Beside Copy link, on the Map
page, "Embed" gives the ``<iframe>`` snippet of the view and says which sites may show it, from
the allow-list the framing headers send (:mod:`geo.framing`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo import framing
from geo.data.provenance import Provenance
from geo.i18n import translation
from geo.views import citation, embed_snippet
from geo.views.reader_text import markdown_text

EMBED_CSS = Path(__file__).with_name("embed.css")


def embedded() -> bool:
    """Whether this run shows the embedded view: the page's address asks for it. ``embed`` is
    also Streamlit's own parameter (its browser code then leaves out the toolbar and the header),
    which ``st.query_params`` hides; the run's query string, as the browser sent it, still holds
    it (an internal: :mod:`geo.dashboard.streamlit_compat`)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    query = getattr(get_script_run_ctx(), "query_string", "") or ""
    return embed_snippet.is_embedded(query)


def allowed_origins() -> tuple[str, ...]:
    """The sites the framing headers let show the dashboard. A malformed list stops serve.py
    before any page is drawn; should one reach here (app.py run alone), the site alone is said."""
    try:
        return framing.from_environment()
    except ValueError:
        return (framing.SELF,)


def embed_styles() -> None:
    """The embedded view's style sheet (an element that takes no room)."""
    st.html(EMBED_CSS)


def embed_control(view_url: str, lang: str = "en") -> None:
    """ "Embed": the snippet of ``view_url`` (its copy button copies it) and where it may be shown."""
    tr = translation(lang)
    allowed = allowed_origins()
    with st.popover(tr.gettext("Embed"), icon=":material/code:", width="stretch"):
        st.caption(
            tr.gettext(
                "Paste this code into an article to show this map, with the same filters and language. "
                "Readers can move and zoom it and open the full view from it."
            )
        )
        st.code(embed_snippet.iframe_snippet(view_url, lang, allowed), language="html", wrap_lines=True)
        st.caption(embed_snippet.framing_sentence(allowed, lang))


def full_view_link(view_url: str, lang: str = "en") -> None:
    """In the embedded view: the same view, in full, in a new tab."""
    tr = translation(lang)
    st.link_button(
        tr.gettext("Open the full view"),
        embed_snippet.with_embed(view_url, False),
        icon=":material/open_in_new:",
        type="tertiary",
        width="stretch",
    )


def embed_footer(provenance: Provenance, lang: str = "en") -> None:
    """Under the embedded view: where the data is from (the full view's footer has the rest)."""
    with st.container(key="page_footer"):
        st.caption(markdown_text(citation.source_line(provenance, lang)))
