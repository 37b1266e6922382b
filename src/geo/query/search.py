"""A search of the decisions that finds a person whichever script or spelling the reader types.

Every name and recorded spelling of a person (``people.csv``) becomes a Latin key
(:func:`geo.people.script.name_key`): ``Сабитов``, ``Sabitov`` and ``Sabytov`` share one, and so
do ``Masimov``, ``Massimov`` and ``масимов``. A query finds the people whose key holds the query's
key (spaces aside, so ``Zhanaidar`` finds ``Zhan-Aidar``). The other words of a decision (case id,
court, charges, summaries) are searched for the query as typed and for its transliteration into
the other script, so a query and its transliteration find the same decisions.

When neither finds anything, the query is taken for a misspelt name: rapidfuzz's normalised
Indel similarity (``fuzz.ratio``) ranks every key, and every word of a key, against the query's
key; the people of the best match at or above :data:`NEAR_SCORE` are the results, and the page
says whose they are ("Showing results for …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geo.people.script import has_cyrillic, name_key, to_cyrillic, to_latin

#: The least similarity (0-100, rapidfuzz ``fuzz.ratio``) of a near match: one letter wrong, added
#: or missing in a surname of six or more letters stays above it, a different surname falls below.
NEAR_SCORE = 80
#: Keys shorter than this take no near match: two or three letters are close to too many names.
NEAR_MIN = 4
_NAME_LIKE = re.compile(r"^[^\W\d_]+(?:[\s'’.-]+[^\W\d_]+)*$")


def _compact(key: str) -> str:
    return key.replace(" ", "")


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
            own = tuple(dict.fromkeys(_compact(name_key(w)) for w in written))
            keys.append(own)
            for w in written:
                key = name_key(w)
                for choice in {_compact(key), *key.split()}:
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
        wanted = _compact(name_key(query))
        if not wanted:
            return []
        return [i for i, keys in enumerate(self.keys) if any(wanted in key for key in keys)]

    def near(self, query: str) -> list[int]:
        """The people of the key (or key word) most like the query's, at :data:`NEAR_SCORE` or more."""
        from rapidfuzz import fuzz, process  # noqa: PLC0415 -- only a search that found nothing needs it

        wanted = _compact(name_key(query))
        if len(wanted) < NEAR_MIN or not self.choices:
            return []
        found = process.extract(wanted, self.choices, scorer=fuzz.ratio, score_cutoff=NEAR_SCORE, limit=None)
        if not found:
            return []
        best = max(score for _, score, _ in found)
        return sorted({i for _, score, at in found if score == best for i in self.owners[at]})


def text_variants(query: str) -> list[str]:
    """The query (case folded) and, for a query of words only, its transliteration into the other
    script: what the decisions' own text is searched for."""
    wanted = query.strip().casefold()
    if not wanted:
        return []
    out = [wanted]
    if _NAME_LIKE.match(wanted):
        other = (to_latin(wanted) if has_cyrillic(wanted) else to_cyrillic(wanted)).casefold()
        if other != wanted:
            out.append(other)
    return out
