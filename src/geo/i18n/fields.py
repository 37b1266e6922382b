"""Which of a row's columns a reader of each language gets: place names, people's names, summaries."""

from __future__ import annotations

import pandas as pd

from geo.i18n.catalog import translation
from geo.i18n.languages import N_


def given(value: object) -> bool:
    """Whether a cell holds text (not ``None``, NaN, ``pd.NA`` or an empty string)."""
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def place_name(name: object, name_ru: object, name_kk: object, lang: str) -> str:
    """A place's name in ``lang`` (``locations.csv``: ``name``, ``name_ru``, ``name_kk``); the English
    name where the data has none in that language."""
    local = {"ru": name_ru, "kk": name_kk}.get(lang)
    return str(local) if given(local) else str(name)


def person_name(name: object, name_ru: object, lang: str) -> str:
    """A defendant's name in Cyrillic for Russian and Kazakh readers where the data has it, else in
    Latin script."""
    return str(name_ru) if lang in ("ru", "kk") and given(name_ru) else ("" if not given(name) else str(name))


#: What a summary shown in another language than the reader's says about itself.
SUMMARY_IN_ENGLISH = N_("This summary is in English: there is none in your language yet.")
SUMMARY_IN_RUSSIAN = N_("This summary is in Russian: there is none in Kazakh yet.")


def summary_text(summary: object, summary_ru: object, lang: str) -> tuple[str, str | None]:
    """The summary a reader of ``lang`` gets, and a note saying which language it is in when it is not
    theirs (``None`` when it is): Russian for Russian readers, and for Kazakh ones, since the data
    has no Kazakh summaries; English where there is no Russian one."""
    english = str(summary) if given(summary) else ""
    if lang == "en" or not (given(summary_ru) or english):
        return english, None
    tr = translation(lang)
    if given(summary_ru):
        return str(summary_ru), (None if lang == "ru" else tr.gettext(SUMMARY_IN_RUSSIAN))
    return english, tr.gettext(SUMMARY_IN_ENGLISH)
