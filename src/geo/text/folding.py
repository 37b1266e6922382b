"""Name folding: how a place name becomes a comparison *key*, a tuple of folded words.

Two spellings match when their keys are equal:

- case is folded (``str.casefold``) and diacritics are stripped (NFKD, combining marks dropped), so
  ``Öskemen`` = ``Oskemen`` and, in Cyrillic, ``ё`` = ``е`` and ``й`` = ``и``;
- the Kazakh letters NFKD leaves alone (``ә ғ қ ң ө ұ ү һ і``) are folded to the Russian letter a
  Russian keyboard writes instead (``Өскемен`` = ``Оскемен``, ``Қостанай`` = ``Костанай``), so a
  name typed without Kazakh letters still matches;
- anything that is not a letter or digit separates words: hyphens, apostrophes and spaces are one and
  the same (``Ust-Kamenogorsk`` = ``Ust Kamenogorsk`` = ``Ust'-Kamenogorsk``), but a word is never split
  or joined (``Nur-Sultan`` ≠ ``Nursultan``, which is a first name);
- Latin transliterations of Kazakh are folded to the Russian-style spelling: ``q`` = ``k``,
  ``gh`` = ``g``, ``ş`` = ``sh``, ``ç`` = ``ch`` (``Taldyqorghan`` = ``Taldykorgan``,
  ``Qyzylorda`` = ``Kyzylorda``, ``Şymkent`` = ``Shymkent``).

A leaf module (nothing of geo below it): the query layer folds a typed search with it, and
:mod:`geo.places.names` builds its name index on it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: A word: letters/digits, plus combining diacritics so decomposed (NFD) input stays one word.
#: Possessive (``++``): a greedy group repeat keeps a backtracking mark per character, about 118
#: bytes each, so one 20 MB "word" (a file without spaces) took gigabytes; nothing here backtracks.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])++")

#: Apostrophe-like *letters* (Unicode category Lm, so ``\w`` would glue them into a word):
#: ``Qoʻstanay`` must split like ``Qo'stanay``. One character for one, so text offsets survive.
_APOSTROPHE_LETTERS = str.maketrans({"\u02b9": " ", "\u02bb": " ", "\u02bc": " ", "\u02bd": " "})

#: Kazakh (and Latin dotless ı) letters NFKD does not decompose -> the letter used in their place.
_KAZAKH_FOLD = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ı": "i", "q": "k"}
)
#: Letters of the Kazakh Latin alphabets whose diacritic carries a second letter, before NFKD drops it.
_LATIN_DIGRAPHS = str.maketrans({"ş": "sh", "ç": "ch", "Ş": "sh", "Ç": "ch"})
_GH = re.compile(r"gh")
Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Token:
    """One folded word and where its source word sits in the original text."""

    word: str
    start: int
    end: int


def fold(word: str) -> str:
    """Casefold, strip diacritics, fold Kazakh letters."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_LATIN_DIGRAPHS).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _GH.sub("g", stripped.translate(_KAZAKH_FOLD))


def tokens(text: str, max_word: int | None = None) -> list[Token]:
    """The folded words of ``text`` with their character offsets in ``text``. Words longer than
    ``max_word`` characters are left out (no name has them; folding a megabyte-long "word" of a
    file without spaces took gigabytes)."""
    out: list[Token] = []
    for m in _WORD.finditer(text.translate(_APOSTROPHE_LETTERS)):
        if max_word is not None and m.end() - m.start() > max_word:
            continue
        # NFKD may turn one source word into several (ligatures, fractions): keep each, same span.
        for word in _WORD.findall(fold(m.group())):
            out.append(Token(word, m.start(), m.end()))
    return out


def is_word_char(ch: str) -> bool:
    """Whether ``ch`` belongs to a word as :func:`tokens` splits them."""
    return bool(_WORD.fullmatch(ch.translate(_APOSTROPHE_LETTERS)))


def word_end(text: str, start: int = 0) -> int:
    """Where the word (as :func:`tokens` splits them) running from ``start`` ends; ``start`` when
    no word starts there."""
    m = _WORD.match(text.translate(_APOSTROPHE_LETTERS), start)
    return m.end() if m else start


def name_key(name: str) -> Key:
    """The comparison key of a place name: its folded words."""
    return tuple(t.word for t in tokens(name))


def normalize(name: str) -> str:
    """The key as one string, for display, cache keys and tests."""
    return " ".join(name_key(name))
