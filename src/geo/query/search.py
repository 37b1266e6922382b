"""A search of the decisions that finds a person whichever script or spelling the reader types.

One matching serves the names and the decisions' text alike (:func:`search_key`): every word
becomes a Latin key (:func:`geo.people.script.name_key`), so ``Сабитов``, ``Sabitov`` and
``Sabytov`` share one, and so do ``Masimov``, ``Massimov`` and ``масимов``; the words then run
together, so ``Zhanaidar`` finds ``Zhan-Aidar``. A query finds the people one of whose names or
recorded spellings (``people.csv``) holds the query's key, and the decisions whose other words
(case id, court, charges, summaries, in either script) hold it: a summary that writes "Masimov"
is found by "Massimov" as the person is.

When neither finds anything, the query is taken for a misspelt name: rapidfuzz's normalised
Indel similarity (``fuzz.ratio``) ranks every key, and every word of a key, against the query's
key; the people of the best match at or above :data:`NEAR_SCORE` are the results, and the page
says whose they are ("Showing results for …").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from geo.people.script import name_key

#: The least similarity (0-100, rapidfuzz ``fuzz.ratio``) of a near match: one letter wrong, added
#: or missing in a surname of six or more letters stays above it, a different surname falls below.
NEAR_SCORE = 80
#: Keys shorter than this take no near match: two or three letters are close to too many names.
NEAR_MIN = 4


def search_key(text: str) -> str:
    """What a search compares, of a query, a name or a decision's text: the Latin key of each word
    (:func:`geo.people.script.name_key`), the words run together. A text holds a query when its
    key holds the query's key."""
    return "".join(_word_key(word) for word in text.split())


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    # Keys are made word by word (name_key's rules never look past a word), and the decisions'
    # texts repeat their words: each distinct word is romanised once.
    return name_key(word).replace(" ", "")


def keyed_texts(texts: pd.Series) -> pd.Series:
    """:func:`search_key` of each text, each distinct text keyed once (many decisions share one)."""
    keys = {text: search_key(text) for text in texts.unique()}
    return texts.map(keys)


@dataclass(frozen=True, eq=False)
class PersonIndex:
    """Every named person's keys, built once per dataset."""

    ids: tuple[str, ...]
    latin: tuple[str, ...]
    cyrillic: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]  # per person: the compact key of each name and spelling
    choices: tuple[str, ...]  # every key and key word, for near matches
    owners: tuple[tuple[int, ...], ...]  # per choice: the people it belongs to

    @classmethod
    def build(cls, persons: pd.DataFrame) -> PersonIndex:
        """From ``people.csv`` (``Dataset.persons``): every defendants.csv row names a person of it."""
        ids: list[str] = []
        latin: list[str] = []
        cyrillic: list[str] = []
        keys: list[tuple[str, ...]] = []
        owners: dict[str, set[int]] = {}
        columns = (persons[c] for c in ("person_id", "name", "name_ru", "spellings"))
        for pid, name, name_ru, others in zip(*columns):
            written = [str(v) for v in (name, name_ru) if isinstance(v, str) and v.strip()]
            written += [s.strip() for s in str(others).split(";") if s.strip()] if isinstance(others, str) else []
            if not written:
                continue  # an unnamed group: nothing to find it by
            n = len(ids)
            ids.append(str(pid))
            latin.append(str(name) if isinstance(name, str) else "")
            cyrillic.append(str(name_ru) if isinstance(name_ru, str) else "")
            own = tuple(dict.fromkeys(search_key(w) for w in written))
            keys.append(own)
            for w in written:
                key = name_key(w)
                for choice in {key.replace(" ", ""), *key.split()}:
                    if len(choice) >= NEAR_MIN:
                        owners.setdefault(choice, set()).add(n)
        choices = tuple(owners)
        return cls(
            tuple(ids),
            tuple(latin),
            tuple(cyrillic),
            tuple(keys),
            choices,
            tuple(tuple(sorted(owners[c])) for c in choices),
        )

    def exact(self, query: str) -> list[int]:
        """The people (positions) one of whose keys holds the query's key."""
        wanted = search_key(query)
        if not wanted:
            return []
        return [i for i, keys in enumerate(self.keys) if any(wanted in key for key in keys)]

    def near(self, query: str) -> list[int]:
        """The people of the key (or key word) most like the query's, at :data:`NEAR_SCORE` or more."""
        from rapidfuzz import fuzz, process  # noqa: PLC0415 -- only a search that found nothing needs it

        wanted = search_key(query)
        if len(wanted) < NEAR_MIN or not self.choices:
            return []
        found = process.extract(wanted, self.choices, scorer=fuzz.ratio, score_cutoff=NEAR_SCORE, limit=None)
        if not found:
            return []
        best = max(score for _, score, _ in found)
        return sorted({i for _, score, at in found if score == best for i in self.owners[at]})
