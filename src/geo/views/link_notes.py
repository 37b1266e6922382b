"""What the page says about a link value that named nothing (``geo.query.link.NotUnderstood``):
a sentence for each value, in the reader's language, with the value quoted as Markdown-safe text.

Every sentence says what the link asked for and what the page shows instead; the rest of the link
still applies. The values come from a link: they go through :func:`geo.views.reader_text.markdown_text`.
"""

from __future__ import annotations

from geo.i18n import N_, translation
from geo.i18n.enums import NP_
from geo.query.link import MALFORMED, OUT_OF_RANGE, UNKNOWN, NotUnderstood
from geo.views.reader_text import markdown_text, quoted

#: The page path (an unknown ``/page``), and a city name that fits several places.
PAGE_PATH = "page path"
AMBIGUOUS = "ambiguous"

#: One message per parameter and reason, whole sentences (quotation marks included) for the
#: translators. ``{value}``: one value of the link; ``{page}``: the table page shown instead.
SENTENCES = {
    ("city", UNKNOWN): N_('No place called "{value}": showing all cities.'),
    ("city", UNKNOWN, "filtered"): N_('No place called "{value}": it is left out of the filter.'),
    ("city", AMBIGUOUS): N_('"{value}" names several places: choose one in the Cities box.'),
    ("map_city", UNKNOWN): N_('No place called "{value}": no city is chosen.'),
    ("tab", UNKNOWN): N_('No place called "{value}": showing all cities.'),
    ("person", UNKNOWN): N_('No person "{value}" in the data: nobody is followed.'),
    ("sort", UNKNOWN): N_('No order called "{value}": the table keeps its usual order.'),
    ("size", UNKNOWN): N_('No circle size called "{value}": the circles show people convicted.'),
    ("period", MALFORMED): N_('The link\'s dates "{value}" are not two dates: showing the whole record.'),
    ("period", OUT_OF_RANGE): N_('The link\'s dates "{value}" are outside the record: showing the whole record.'),
    ("page", MALFORMED): N_('No table page "{value}": showing page {page}.'),
    (PAGE_PATH, UNKNOWN): N_('No page called "{value}": showing the map.'),
    ("lang", UNKNOWN): N_('The page has no language "{value}": it is shown in this one.'),
}
#: A page number past the table's end: the last page is shown.
PAST_THE_END = NP_(
    "link",
    'No table page "{value}": the table has {page} page, showing it.',
    'No table page "{value}": the table has {page} pages, showing the last.',
)
#: Any other parameter (a sentence for it belongs above).
GENERIC = N_('The link\'s "{key}" value "{value}" names nothing here: it is left out.')


def sentences(item: NotUnderstood, lang: str = "en", filtered: bool = False) -> list[str]:
    """The sentences about ``item`` in ``lang`` (Markdown, each value cut, isolated and escaped):
    one per value, the two dates of a period in one. ``filtered``: other city values of the link
    did name places (an unknown one is then left out of the filter, not "all cities")."""
    tr = translation(lang)
    values = [", ".join(item.values)] if item.key == "period" else list(item.values)
    shown = [markdown_text(quoted(v)) for v in values]
    if item.key == "page" and item.reason == OUT_OF_RANGE:
        return [
            tr.npgettext(*PAST_THE_END, item.fallback).format(value=v, page=tr.number(item.fallback)) for v in shown
        ]
    key = (item.key, item.reason, "filtered") if filtered and item.key == "city" and item.reason == UNKNOWN else None
    message = SENTENCES.get(key or (item.key, item.reason))
    if message is None:
        return [tr.gettext(GENERIC).format(key=markdown_text(quoted(item.key)), value=v) for v in shown]
    page = tr.number(item.fallback) if isinstance(item.fallback, int) else ""
    return [tr.gettext(message).format(value=v, page=page) for v in shown]
