"""A decision's charges in the reader's language where the data cites no Criminal Code article.

convictions.csv words the charges in English (``charges``, as the English sources word them). A
decision without ``code_articles`` also words them in Russian and Kazakh (``charges_ru``,
``charges_kk``); each of those says in ``*_source`` whether a stored page gives that wording
(``quoted``) or it is the dataset's translation (``translated``), as courts.csv does for court names.
A reader of English, or of a language the row has no wording in, gets the English text.
"""

from __future__ import annotations

import pandas as pd

from geo.i18n import enum_label

#: convictions.csv's wording of the charges, and where it comes from, by language (not English:
#: ``charges`` is the English wording itself).
CHARGE_WORDINGS = {"ru": "charges_ru", "kk": "charges_kk"}
CHARGE_WORDING_ORIGINS = {"ru": "charges_ru_source", "kk": "charges_kk_source"}


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def worded_charges(charges: object, wording: object, origin: object, lang: str, say_origin: bool = False) -> list[str]:
    """The charges of a decision without articles in ``lang``: ``wording`` (the row's cell of
    :data:`CHARGE_WORDINGS` for ``lang``) where it has one, else the English ``charges``; ``[]`` when
    neither is given. ``say_origin``: a wording no source gives says so, ``… (translated here, not
    from a source)``."""
    own = _text(wording) if lang in CHARGE_WORDINGS else ""
    if own:
        if say_origin and _text(origin) == "translated":
            return [f"{own} ({enum_label('translated', lang, 'wording')})"]
        return [own]
    english = _text(charges)
    return [english] if english else []


def row_wording(row: object, lang: str) -> tuple[object, object]:
    """A decision's (a row of ``Dataset.convictions``) wording of its charges in ``lang`` and where
    it comes from; ``(None, None)`` in English or where the table has no such column."""
    if lang not in CHARGE_WORDINGS:
        return None, None
    return getattr(row, CHARGE_WORDINGS[lang], None), getattr(row, CHARGE_WORDING_ORIGINS[lang], None)


def frame_wording(frame: pd.DataFrame, lang: str) -> tuple[pd.Series, pd.Series]:
    """Each decision's wording of its charges in ``lang`` and its origin, as two columns of
    ``frame``'s length (empty in English or where ``frame`` has no such column)."""
    empty = pd.Series(pd.NA, index=frame.index, dtype="string")
    if lang not in CHARGE_WORDINGS:
        return empty, empty
    return frame.get(CHARGE_WORDINGS[lang], empty), frame.get(CHARGE_WORDING_ORIGINS[lang], empty)
