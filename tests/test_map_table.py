"""The map in words: its accessible name, and the table after it with a row per city it draws."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import map_table

from testdata import SAMPLE


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SAMPLE))


def test_every_city_the_map_draws_has_a_row_with_its_figures(index):
    v = index.view(Filters.of())
    totals, events, mentions = v.city_totals(), v.event_totals(), v.mention_totals
    table = map_table.city_table(totals, events, mentions, v.data.locations)
    drawn = set(totals["location_id"]) | set(events["location_id"]) | set(mentions["location_id"])
    names = dict(zip(v.data.locations["location_id"], v.data.locations["name"]))
    assert sorted(table.index) == sorted(names[c] for c in drawn)
    assert table.index.name == "City"
    # the circles' cities first, in the map's order (most people first)
    assert list(table.index[: len(totals)]) == [names[c] for c in totals["location_id"]]
    for row in totals.itertuples(index=False):
        shown = table.loc[names[row.location_id]]
        assert shown["Court decisions"] == str(row.decisions)
        assert shown["People convicted"] == str(row.convicted)
        assert shown["Acquitted"] == str(row.acquitted)
        assert shown["Convicted posthumously"] == str(row.posthumous)
    for row in events.itertuples(index=False):
        assert table.loc[names[row.location_id], "Events"] == str(row.events)
    only_events = set(events["location_id"]) - set(totals["location_id"])
    for city in only_events:
        assert table.loc[names[city], "Court decisions"] == "0"


def test_the_layers_not_shown_have_no_column(index):
    v = index.view(Filters.of())
    table = map_table.city_table(v.city_totals(), None, None, v.data.locations)
    assert list(table.columns) == ["Court decisions", "People convicted", "Acquitted", "Convicted posthumously"]


@pytest.mark.parametrize(("lang", "city", "header"), [("ru", "Алматы", "Город"), ("kk", "Алматы", "Қала")])
def test_the_table_and_the_map_name_are_in_the_readers_language(index, lang, city, header):
    v = index.view(Filters.of())
    table = map_table.city_table(v.city_totals(), None, None, v.data.locations, lang)
    assert table.index.name == header
    assert city in table.index
    for size_by in ("convicted", "decisions"):
        name = map_table.map_name(size_by, lang)
        assert name != map_table.map_name(size_by, "en")
    assert map_table.table_title(lang) != map_table.table_title("en")


def test_counts_are_written_as_the_language_writes_numbers():
    locations = pd.DataFrame(
        {"location_id": ["x"], "name": ["X"], "name_ru": ["Икс"], "name_kk": ["Икс"]},
    )
    totals = pd.DataFrame(
        {"location_id": ["x"], "decisions": [1234], "convicted": [12345], "acquitted": [0], "posthumous": [0]}
    )
    assert map_table.city_table(totals, None, None, locations, "en").loc["X", "People convicted"] == "12,345"
    assert map_table.city_table(totals, None, None, locations, "ru").loc["Икс", "Осуждённые"] == "12\xa0345"


def test_a_city_name_is_shown_as_typed_not_as_markdown():
    locations = pd.DataFrame({"location_id": ["x"], "name": ["**[Evil](https://example.com)**"]})
    locations["name_ru"] = locations["name_kk"] = None
    totals = pd.DataFrame(
        {"location_id": ["x"], "decisions": [1], "convicted": [1], "acquitted": [0], "posthumous": [0]}
    )
    (shown,) = map_table.city_table(totals, None, None, locations).index
    assert "\\*\\*\\[Evil\\]" in shown and "](https://" not in shown
