"""Qantar map: the dashboard. ``streamlit run app.py`` (data: ``$GEO_DATA_DIR``, else ``data/``).

One rerun is one straight line, read top to bottom below: the cached
:class:`~geo.query.view.DatasetIndex` → the sidebar widgets → one :class:`~geo.query.view.View` →
the page's header → the page's ``render(view)``, which draws its deck, tables and downloads from
that View alone → what only the drawn page knows (the notes about the link, the Copy link
control) in the places the header left → the footer. The pages live in ``pages/``, each a module
with a ``render`` function; they are given to ``st.Page`` as callables. Every page prints without
the app around it (docs/architecture.md).
"""

from collections.abc import Callable

import streamlit as st

from geo.dashboard import access, chrome, loading, page_chrome, sidebar, url_state
from geo.i18n import N_, translation
from geo.query.view import View

#: (module in pages/, title, icon, url path); the first is the default page. The titles are
#: translated where the navigation is built; the url paths stay the same in every language.
PAGES = [
    ("map", N_("Map"), ":material/map:", "map"),
    ("cases", N_("Cases"), ":material/gavel:", "cases"),
    ("timeline", N_("Timeline"), ":material/timeline:", "timeline"),
    ("sources", N_("Sources"), ":material/article:", "sources"),
    ("about", N_("About"), ":material/info:", "about"),
]


def main() -> None:
    import importlib  # noqa: PLC0415 -- pages/ is a folder of scripts beside this one, not a package

    lang = url_state.reader_language()  # the link's, the browser's or English: set before anything is drawn
    tr = translation(lang)
    st.set_page_config(page_title=tr.gettext("Qantar map"), page_icon=page_chrome.favicon(), layout="wide")
    page_chrome.print_styles()
    access.access_styles()
    views: list[View] = []  # this rerun's view, once the sidebar has made it

    def page(module: str) -> Callable[[], None]:
        render = importlib.import_module(f"pages.{module}").render
        return lambda: render(views[0])

    url_state.claim_unknown_page([url_path for *_, url_path in PAGES])
    navigation = st.navigation(
        [
            st.Page(page(module), title=tr.gettext(title), icon=icon, url_path=url_path, default=not number)
            for number, (module, title, icon, url_path) in enumerate(PAGES)
        ]
    )
    current = loading.current_data(lang)  # while the files on disk do not validate or load: the version before
    if current.index is None:
        page_chrome.show_data_unavailable(lang)
        st.stop()
    lang = sidebar.language_switch(lang)
    chrome.document_language(lang)
    views.append(sidebar.sidebar_filters(current.index, lang))
    page_chrome.show_pending_notice(current, lang)
    path = navigation.url_path or PAGES[0][3]
    header = page_chrome.page_header(next(title for _, title, _, url in PAGES if url == path), views[0])
    navigation.run()
    url_state.show_link_notes(header.notes, path, lang)
    page_chrome.share_link_control(header.link, lang)
    page_chrome.page_footer(current.index.provenance, lang)
    page_chrome.rerun_on_reconnect()


if __name__ == "__main__":
    main()
