"""How a person's name reads: the one label every table, list and download uses.

A person has a Latin and a Cyrillic name (``people.csv``). A Russian or Kazakh reader sees the
Cyrillic one first, an English reader the Latin one; ``beside`` adds the other script after a
middle dot, as city names are written (``Карим Масимов · Karim Masimov``), where a reader may need
it to search another source or to cite: the People table, the person list and the downloads. The
Cases table on screen names each decision's people in the reader's script alone, to stay narrow.
"""

from __future__ import annotations

import pandas as pd

#: The languages read in Cyrillic script.
CYRILLIC_LANGUAGES = ("ru", "kk")
SEPARATOR = " · "


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def person_label(latin: object, cyrillic: object = None, lang: str = "en", beside: bool = True) -> str:
    """``Karim Masimov · Карим Масимов`` in English, ``Карим Масимов · Karim Masimov`` in Russian
    and Kazakh; one name alone when ``beside`` is false or the other is missing or the same; ``""``
    for nobody."""
    latin, cyrillic = _text(latin), _text(cyrillic)
    first, other = (cyrillic, latin) if lang in CYRILLIC_LANGUAGES else (latin, cyrillic)
    if not first:
        return other
    if beside and other and other != first:
        return f"{first}{SEPARATOR}{other}"
    return first


def showing_results_for(who: str, names: list[tuple[str, str]], lang: str = "en") -> str:
    """The line a search that found nothing as typed shows above its near matches:
    ``No name or text holds "Zhumanov". Showing results for Arman Zhuman.``"""
    from geo.i18n import translation  # noqa: PLC0415

    tr = translation(lang)
    shown = ", ".join(person_label(latin, cyrillic, lang, beside=False) for latin, cyrillic in names)
    return tr.gettext('No name or text holds "{who}". Showing results for {names}.').format(
        who=who.strip(), names=shown
    )
