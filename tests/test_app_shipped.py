"""The dashboard on the shipped record (the other app tests use the frozen sample): the map draws
a circle for every court city that has coordinates, and the pages count what the data holds."""

from __future__ import annotations

import pytest

from geo.data.dataset import load_dataset

from apptest_support import deck_json, description, layer, open_page, table
from reference import people_in
from testdata import SHIPPED


@pytest.fixture(autouse=True)
def shipped_env(monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(SHIPPED))


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SHIPPED)


def test_the_map_has_a_circle_for_every_court_city_with_coordinates(ds):
    at = open_page("pages/map.py")
    circles = {r["location_id"] for r in layer(deck_json(at), "cities")["data"]}
    places = ds.locations.set_index("location_id")
    courts = set(ds.convictions["location_id"].dropna())
    placed = {c for c in courts if places.loc[c, ["latitude", "longitude"]].notna().all()}
    assert circles == placed
    assert placed >= {"taraz", "taldykorgan", "semey", "konayev", "kostanay", "aktobe", "shymkent", "astana", "almaty"}
    assert all(str(places.loc[c, "geocoder"]).startswith("geonames:") for c in placed)  # from the gazetteer


def test_the_cases_page_lists_every_decision_and_person(ds):
    at = open_page("pages/cases.py")
    assert sorted(table(at)["Case"]) == sorted(ds.convictions["case_id"])
    people = table(at, 1)
    assert len(people) == len(ds.defendants)
    everyone = people_in(ds, ds.convictions)
    assert description(at).endswith(
        f"{len(ds.convictions)} court decisions, {everyone['total']:,} people "
        f"({everyone['convicted']:,} convicted, {everyone['acquitted']:,} acquitted, "
        f"{everyone['posthumous']:,} convicted posthumously, {everyone['other']:,} with another outcome)"
    )
    # the parts are a partition: each person in one group
    assert (
        everyone["convicted"] + everyone["acquitted"] + everyone["posthumous"] + everyone["other"] == everyone["total"]
    )
