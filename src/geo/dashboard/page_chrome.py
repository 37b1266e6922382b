"""What every page repeats around its content: the favicon and the print stylesheet, the header
(title, the filter's description line, the Copy link control, the notes about the link, the data's
warnings), the notices while an update does not validate or loads, the footer, and the timer that
reruns a tab after a reconnect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.dashboard import embed, url_state
from geo.dashboard.loading import Current
from geo.data.dataset import Dataset
from geo.data.provenance import Provenance
from geo.i18n import translation
from geo.query.view import View
from geo.views import citation, descriptions, legend, notes

#: The print stylesheet (``@media print`` only): what a page gives on paper.
PRINT_CSS = Path(__file__).with_name("print.css")


def favicon(size: int = 32):
    """A red dot drawn here: Material and emoji page icons are fetched from Google's and
    jsDelivr's CDNs by the browser, which offline machines cannot reach."""
    import numpy as np  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415 -- a dependency of streamlit

    y, x = np.mgrid[:size, :size]
    inside = (x - size / 2 + 0.5) ** 2 + (y - size / 2 + 0.5) ** 2 <= (size / 2 - 2) ** 2
    image = np.zeros((size, size, 4), dtype=np.uint8)
    image[inside] = (*legend.RGB["red"], 255)
    return Image.fromarray(image, "RGBA")


def print_styles() -> None:
    """The print stylesheet, once per rerun: without the sidebar, the toolbar and the buttons, the
    content full width, the map on one sheet. A style-only element, which takes no room on the page."""
    st.html(PRINT_CSS)


def show_data_unavailable(lang: str = "en") -> None:
    """No version of the data validated: fixed wording only (the problems, and the data
    directory's path, are in the server's log)."""
    st.error(translation(lang).gettext(notes.DATA_UNAVAILABLE), icon=":material/error:")


def show_pending_notice(current: Current, lang: str = "en") -> None:
    """Above every page while an update does not validate yet: fixed wording and the time the data
    shown validated."""
    if current.index is None:
        return
    if current.loading:
        st.info(notes.loading_update_note(current.index.data.validated_at, lang), icon=":material/update:")
    elif current.pending:
        st.info(notes.pending_update_note(current.index.data.validated_at, lang), icon=":material/update:")


@dataclass(frozen=True)
class Header:
    """The places :func:`page_header` leaves for what is known only once the page has drawn
    (its own widgets read the link, and write the URL, as they run)."""

    link: DeltaGenerator  # beside the title: the Copy link control (:func:`share_link_control`)
    notes: DeltaGenerator  # under the description: the link's values that named nothing (url_state.show_link_notes)


def page_header(title: str, v: View) -> Header:
    """Title (a page name of ``app.PAGES``, in the view's language), then the one line stating the
    filter and its result (plain text: it holds names from the data), then the data's warnings.
    Returns the places the rerun fills after the page has drawn."""
    title_col, link_col = st.columns([5, 2], vertical_alignment="center")  # room for "Скопировать ссылку"
    title_col.title(v.tr.gettext(title))
    link = link_col.empty()
    st.text(descriptions.description(v))
    notes = st.container()
    show_data_warnings(v.data, v.lang)
    return Header(link, notes)


def share_link_control(place: DeltaGenerator, lang: str = "en", embeddable: bool = False) -> None:
    """The Copy link control, in the ``place`` the header left beside the title, once the page has
    drawn (its widgets write the URL as they run); "Embed" beside it when the page is
    ``embeddable``. In the embedded view, a link to the full view instead (:mod:`geo.dashboard.embed`)."""
    tr = translation(lang)
    if embed.embedded():
        with place.container():
            embed.full_view_link(url_state.share_link(), lang)
        return
    row = place.container(horizontal=True, gap="small")
    with row.popover(tr.gettext("Copy link"), icon=":material/link:", width="stretch"):
        st.caption(
            tr.gettext(
                "This link opens the same page with the same filters, place, search, sort, table page and language."
            )
        )
        st.code(url_state.share_link(), language=None, wrap_lines=True)  # its copy button copies the link
    if embeddable:
        with row:
            embed.embed_control(url_state.share_link(), lang)


def show_data_warnings(ds: Dataset, lang: str = "en") -> None:
    """Above a page's content: the data loaded with warnings (fixed wording), where (a text
    element: file names), and each one verbatim (in a code block: the messages quote the data)."""
    note = notes.warnings_note(ds.report, lang)
    if note is None:
        return
    st.warning(note, icon=":material/warning:")
    st.text(notes.warnings_places(ds.report, lang=lang))
    tr, n = translation(lang), len(ds.report.warnings)
    with st.expander(
        tr.ngettext("The validator's {count} warning", "The validator's {count} warnings", n).format(count=tr.number(n))
    ):
        st.code("\n".join(str(p) for p in ds.report.sorted()[:500]), language=None)


def page_footer(provenance: Provenance, lang: str = "en") -> None:
    """Under every page: the dataset's version and licence, and a link to how to cite it that
    keeps the page's language and filter."""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    with st.container(key="page_footer"):
        st.divider()
        st.caption(citation.footer_text(provenance, lang, urlencode(pairs)))


#: How often the empty fragment of :func:`rerun_on_reconnect` reruns by itself (it draws nothing).
RECONNECT_TIMER_SECONDS = 3600


def rerun_on_reconnect() -> None:
    """Makes the tab rerun when its websocket reconnects. Streamlit's browser code reruns after a
    reconnect only if a run was cut off or a fragment reruns on a timer: a tab whose process died
    (one of ``make serve``'s workers, a replica) would otherwise reconnect to another one and keep
    its last page, greyed, over a new session that knows nothing, until the reader reloads. An
    empty fragment on a long timer is that timer: after a reconnect the tab sends its widgets and
    its URL again, and the process it reached draws the same view."""

    @st.fragment(run_every=RECONNECT_TIMER_SECONDS)
    def reconnect_timer() -> None:
        return None

    reconnect_timer()
