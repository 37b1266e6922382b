"""Place-name matching: the name index shared by the geocoder and the mentions scanner.

A name becomes a *key*, a tuple of folded words (:mod:`geo.text.folding` says how a name is
folded); two spellings match when their keys are equal. A Cyrillic name in a grammatical case
still finds its place (``в Таразе``, ``Кызылорды``, ``Алматыда``, ``Шымкентте``):
:meth:`NameIndex.get` strips a Russian or Kazakh case ending from the last word when the word
itself names nothing (the result ranks as an alias).

Folding loses distinctions on purpose; both sides of every comparison are folded the same way and real
collisions surface as ambiguous answers, never as silent guesses.
"""

from __future__ import annotations

import re

from geo.text.folding import Key, Token, fold, is_word_char, name_key, normalize, tokens, word_end

__all__ = ["Key", "NameIndex", "Token", "fold", "is_word_char", "name_key", "normalize", "tokens", "word_end"]

#: Case endings of Russian and Kazakh nouns, folded as :func:`fold` folds (Kazakh ``ның`` -> ``нын``),
#: longest first. Kazakh endings follow vowel harmony and the last sound, so all variants are listed.
_CASE_ENDINGS = tuple(
    sorted(
        {
            # Russian: prepositional, genitive, dative, instrumental
            "е",
            "а",
            "у",
            "ом",
            "ем",
            "ой",
            "ей",
            "ою",
            "ы",
            "и",
            "я",
            "ю",
            # Kazakh: locative, dative, genitive, accusative, ablative, instrumental, "the one in"
            "да",
            "де",
            "та",
            "те",
            "га",
            "ге",
            "ка",
            "ке",
            "нын",
            "нин",
            "дын",
            "дин",
            "тын",
            "тин",
            "ны",
            "ни",
            "ды",
            "ди",
            "ты",
            "ти",
            "нан",
            "нен",
            "дан",
            "ден",
            "тан",
            "тен",
            "мен",
            "бен",
            "пен",
            "дагы",
            "деги",
            "таги",
            "теги",
        },
        key=len,
        reverse=True,
    )
)
#: Stem endings a Russian case ending replaces: Кызылорд|е from Кызылорд|а, Семе|е from Семе|й.
_STEM_ENDINGS = ("", "а", "я", "и", "ь")  # "и": fold() makes й an и
_CYRILLIC_WORD = re.compile(r"^[а-я]+$")
#: A stripped stem shorter than this is too likely to be another word.
_MIN_STEM = 3


class NameIndex:
    """Maps name keys to the ids they name, each with the best (lowest) rank it was added with.

    Rank 0 is a primary name, 1 an alias or alternate name: the caller decides what ties mean.
    """

    def __init__(self) -> None:
        self._entries: dict[Key, dict[str, int]] = {}
        #: the longest name in words, so a text scanner knows how far to look ahead
        self.max_words = 0

    def add(self, name: str, ident: str, rank: int) -> None:
        key = name_key(name)
        if not key:
            return
        ids = self._entries.setdefault(key, {})
        ids[ident] = min(rank, ids.get(ident, rank))
        self.max_words = max(self.max_words, len(key))

    def get(self, key: Key) -> dict[str, int]:
        """``{id: rank}`` for a key, or for the key with a case ending taken off its last Cyrillic
        word (rank 1 at best); empty when neither names anything."""
        found = self._entries.get(key)
        if found is not None or not key:
            return found or {}
        last = key[-1]
        if not _CYRILLIC_WORD.match(last):
            return {}
        for ending in _CASE_ENDINGS:
            if not last.endswith(ending) or len(last) - len(ending) < _MIN_STEM:
                continue
            stem = last[: len(last) - len(ending)]
            for restored in _STEM_ENDINGS:
                ids = self._entries.get((*key[:-1], stem + restored))
                if ids:
                    return {ident: max(rank, 1) for ident, rank in ids.items()}
        return {}

    def __len__(self) -> int:
        return len(self._entries)
