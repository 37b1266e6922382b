"""Links name places by stable id, and accept any name the data knows (issue: readers find)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.places.resolve import place_index, resolve_places
from geo.query.view import DatasetIndex
from geo.views import place_labels

from apptest_support import description, open_page, sample_env, table  # noqa: F401
from testdata import SAMPLE

TWO_AKSU = pd.DataFrame(
    {
        "location_id": ["aksu-pavlodar", "aksu-akmola", "almaty", "abay-1", "abay-2"],
        "name": ["Aksu", "Aksu", "Almaty", "Abay", "Abay"],
        "name_ru": ["Аксу", "Аксу", "Алматы", "Абай", "Абай"],
        "name_kk": ["Ақсу", "Ақсу", "Алматы", None, None],
        "aliases": [None, None, "Alma-Ata;Алма-Ата", None, None],
        "region": ["Pavlodar Region", "Akmola Region", None, "Karaganda Region", "Karaganda Region"],
    }
)


def test_labels_are_unique_where_names_collide():
    labels = place_labels.city_labels(TWO_AKSU)
    assert len(set(labels.values())) == len(labels)
    assert labels["aksu-pavlodar"] == "Aksu · Аксу · Ақсу (Pavlodar Region)"
    assert labels["almaty"] == "Almaty · Алматы"  # no collision, no qualifier
    assert labels["abay-1"] == "Abay · Абай (abay-1)"  # same name, same region: the id tells them apart


@pytest.mark.parametrize(
    "value, ids",
    [
        ("almaty", ("almaty",)),
        ("ALMATY", ("almaty",)),
        ("Alma-Ata", ("almaty",)),
        ("алма-ата", ("almaty",)),
        ("Almaty · Алматы", ("almaty",)),  # a label, as old links carried it
        ("aksu-akmola,almaty", ("aksu-akmola", "almaty")),
        ("Aksu · Аксу · Ақсу (Pavlodar Region)", ("aksu-pavlodar",)),
    ],
)
def test_any_known_name_finds_the_place(value, ids):
    labels = place_labels.city_labels(TWO_AKSU)
    assert resolve_places([value], place_index(TWO_AKSU, labels), labels).ids == ids


def test_unknown_and_ambiguous_values_are_reported_not_dropped():
    labels = place_labels.city_labels(TWO_AKSU)
    found = resolve_places(["Atlantis", "Aksu", "almaty", "almaty"], place_index(TWO_AKSU, labels), labels)
    assert found.ids == ("almaty",)  # once, though named twice
    assert found.unknown == ("Atlantis",)
    assert found.ambiguous == ("Aksu",)


def test_the_shipped_aliases_resolve():
    ds = load_dataset(SAMPLE)
    labels = place_labels.city_labels(ds.locations)
    index = place_index(ds.locations, labels)
    for alias in ("Nur-Sultan", "Нур-Султан", "Alma-Ata", "Алма-Ата"):
        assert len(resolve_places([alias], index, labels).ids) == 1, alias


def test_a_link_by_old_name_filters_and_the_url_gets_the_id(sample_env):
    at = open_page("pages/map.py", {"city": ["Alma-Ata"]})
    assert description(at).startswith("Almaty, ")
    assert at.query_params["city"] == "almaty"  # one value: AppTest gives the string
    assert not at.warning


def test_an_unknown_place_is_said_and_all_cities_are_shown(sample_env):
    at = open_page("pages/cases.py", {"city": ["Atlantis"]})
    assert description(at).startswith("All cities, ")
    assert [w.value for w in at.warning] == ['No place called "Atlantis": showing all cities.']
    at.multiselect(key="city").set_value(["almaty"]).run()  # choosing a city ends the notice
    assert not at.warning and at.query_params["city"] == "almaty"  # one value: AppTest gives the string


@pytest.mark.parametrize("value", ["almaty", "Alma-Ata", "Almaty · Алматы"])
def test_the_cases_box_follows_a_link_by_id_or_name(sample_env, value):
    at = open_page("pages/cases.py", {"tab": [value]})
    assert at.selectbox(key="tab").value == "almaty"
    assert at.query_params["tab"] == "almaty"  # one value: AppTest gives the string
    assert not at.warning


def test_the_cases_box_says_when_a_link_names_nothing(sample_env):
    at = open_page("pages/cases.py", {"tab": ["Atlantis"]})
    assert at.selectbox(key="tab").value == "all"
    assert [w.value for w in at.warning] == ['No place called "Atlantis": showing all cities.']


def test_the_map_opens_on_a_linked_city_and_links_the_one_chosen(sample_env):
    at = open_page("pages/map.py", {"map_city": ["Shymkent"]})
    assert at.selectbox(key="map_city").value == "shymkent"
    assert len(at.main.dataframe) == 1  # that city's cases, under the map
    at.selectbox(key="map_city").set_value("almaty").run()
    assert at.query_params["map_city"] == "almaty"  # one value: AppTest gives the string
    at.selectbox(key="map_city").set_value("").run()
    assert "map_city" not in at.query_params and not at.main.dataframe


@pytest.mark.parametrize(
    "who, cases",
    [
        ("Dosmambetova", {"cv-2022-07-15-shymkent", "cv-2022-09-20-shymkent-appeal"}),  # the trial and its appeal
        # Cyrillic: every decision of the person, though the trial's row spells her in Latin only
        ("досмамбетова", {"cv-2022-07-15-shymkent", "cv-2022-09-20-shymkent-appeal"}),
        ("MASSIMOV", {"cv-2023-04-massimov"}),
        ("nobody-of-that-name", set()),
    ],
)
def test_a_name_search_finds_every_decision_naming_the_person(sample_env, who, cases):
    view = DatasetIndex.build(load_dataset(SAMPLE)).view()
    assert set(view.rows(view.naming(who))["case_id"]) == cases
    at = open_page("pages/cases.py", {"who": [who]})
    assert set(table(at)["Case"]) == cases
