"""Labels made once per table (geo.views.per_table): the same table object gets the kept answer,
any other table (an equal copy, or a new table at a reused address) gets its own."""

from __future__ import annotations

import gc

import pandas as pd

from geo.views import per_table as module
from geo.views.per_table import per_table


def counting():
    calls: list[tuple] = []

    @per_table
    def labels(table: pd.DataFrame, lang: str = "en") -> dict[str, str]:
        calls.append((id(table), lang))
        return {str(k): f"{k}-{lang}" for k in table["id"]}

    return labels, calls


def test_the_same_table_is_labelled_once_per_language():
    labels, calls = counting()
    table = pd.DataFrame({"id": ["a", "b"]})
    assert labels(table, "en") == {"a": "a-en", "b": "b-en"}
    assert labels(table, "en") is labels(table, "en")
    assert labels(table, "ru") == {"a": "a-ru", "b": "b-ru"}
    assert len(calls) == 2


def test_another_table_is_labelled_again_even_at_a_reused_address():
    labels, calls = counting()
    assert labels(pd.DataFrame({"id": ["a"]}), "en") == {"a": "a-en"}
    gc.collect()  # the first table is gone: a new one may get its id
    for _ in range(20):
        table = pd.DataFrame({"id": ["z"]})
        assert labels(table, "en") == {"z": "z-en"}
        del table
    assert len(calls) == 21


def test_the_memo_is_bounded():
    labels, _ = counting()
    tables = [pd.DataFrame({"id": [str(i)]}) for i in range(module.ENTRIES * 3)]
    for table in tables:
        labels(table, "en")
    assert 0 < len(labels.memo) <= module.ENTRIES  # type: ignore[attr-defined]
