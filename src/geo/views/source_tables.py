"""The sources as readers see them: their labels and citations, the Sources page's table and the
cities each names. Pure functions; text from the data stays plain text (see
:mod:`geo.views.reader_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geo.i18n import N_, translation
from geo.views.formats import NOT_STATED, format_date, text, with_marker
from geo.views.per_table import per_table
from geo.views.place_labels import city_labels

if TYPE_CHECKING:
    pass

#: What a source without a stored headline or a publisher is called.
NO_HEADLINE = N_("no headline in the stored copy")

PUBLISHER_UNKNOWN = N_("publisher unknown")


@per_table
def source_labels(sources: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """source_id -> ``src-3: Eurasianet, 18 Jul 2022`` (``publisher unknown`` where the data has
    none), the words and date in ``lang``."""
    unknown = translation(lang).gettext(PUBLISHER_UNKNOWN)
    out = {}
    for row in sources.itertuples(index=False):
        who = text(row.publisher) or unknown
        out[row.source_id] = f"{row.source_id}: {who}, {format_date(row.published, row.published_precision, lang)}"
    return out


@per_table
def source_citations(sources: pd.DataFrame) -> dict[str, str]:
    """source_id -> ``Kazakhstan: … (Eurasianet, 18 Jul 2022) https://…``, a source as a download cites it:
    by title, publisher, date and address rather than by id."""
    out = {}
    for row in sources.itertuples(index=False):
        values = {
            "title": text(row.title) or "no headline in the stored copy",
            "publisher": text(row.publisher) or "publisher unknown",
            "date": format_date(row.published, row.published_precision) if text(row.published) else "date not stated",
            "url": text(row.url),
        }
        template = "{title} ({publisher}, {date}) {url}" if values["url"] else "{title} ({publisher}, {date})"
        out[row.source_id] = template.format(**values)
    return out


def sources_table(
    sources: pd.DataFrame,
    cited: Mapping[str, Mapping[str, list[str]]],
    mentioned: Mapping[str, list[str]] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per article. ``cited``: :func:`geo.query.aggregates.citations`; ``mentioned``: source_id ->
    city labels the article names (None when ``mentions.csv`` is absent: the column is left out)."""
    tr = translation(lang)
    no_headline, not_stated = tr.gettext(NO_HEADLINE), tr.gettext(NOT_STATED)
    frame = pd.DataFrame(
        {
            "Source": sources["source_id"].astype(str).to_list(),
            "Title": [text(v) or no_headline for v in sources["title"]],
            "Publisher": [text(v) or not_stated for v in sources["publisher"]],
            "Published": [
                format_date(d, p, lang) for d, p in zip(sources["published"], sources["published_precision"])
            ],
            "Copy of": [text(v) for v in sources["via"]],
        }
    )
    if mentioned is not None:
        frame["Cities mentioned"] = [mentioned.get(s, []) for s in frame["Source"]]
    frame["Decisions citing it"] = [cited.get(s, {}).get("convictions", []) for s in frame["Source"]]
    frame["Events citing it"] = [cited.get(s, {}).get("events", []) for s in frame["Source"]]
    frame["Official figures citing it"] = [cited.get(s, {}).get("official_stats", []) for s in frame["Source"]]
    frame["Link"] = [text(v) or None for v in sources["url"]]
    frame["Language"] = [text(v) for v in sources["language"]]
    frame["Note"] = [text(v) for v in sources["note"]]
    return with_marker(frame, sources, after="Source")


def cities_mentioned(mentions: pd.DataFrame, locations: pd.DataFrame, lang: str = "en") -> dict[str, list[str]]:
    """source_id -> labels of the cities the article names, most mentioned first."""
    labels = city_labels(locations, lang)
    rows = mentions[mentions["source_id"].notna().to_numpy(dtype=bool)]
    rows = rows.sort_values(["source_id", "count", "location_id"], ascending=[True, False, True])
    out: dict[str, list[str]] = {}
    for sid, lid, n in zip(rows["source_id"], rows["location_id"], rows["count"]):
        out.setdefault(str(sid), []).append(f"{labels.get(lid, lid)} ({int(n)})")
    return out
