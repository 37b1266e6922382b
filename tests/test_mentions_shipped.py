"""The shipped ``data/mentions.csv`` (made by ``python -m geo mentions ../shared --output data/mentions.csv``)."""

import csv

import pytest

from geo.data.dataset import load_dataset
from geo.data.paths import SHIPPED_DATA_DIR
from geo.places.mentions import COLUMNS


def read(name):
    with open(SHIPPED_DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def rows():
    return read("mentions.csv")


def test_columns_are_the_declared_ones_and_carry_no_article_text(rows):
    with open(SHIPPED_DATA_DIR / "mentions.csv", encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split(",") == list(COLUMNS)
    assert rows and all(set(r) == set(COLUMNS) for r in rows)


def test_keys_resolve_to_sources_and_locations(rows):
    sources = {s["source_id"]: s["file"] for s in read("sources.csv")}
    locations = {loc["location_id"] for loc in read("locations.csv")}
    for r in rows:
        assert sources[r["source_id"]] == r["file"]
        assert r["location_id"] in locations
        assert int(r["count"]) >= 1 and int(r["first_offset"]) >= 0
    assert len({(r["file"], r["location_id"]) for r in rows}) == len(rows)


def test_each_seed_article_lists_every_city_it_names(rows):
    # checked by hand against the five seed articles (src-000 names no city, only the country)
    assert {(r["source_id"], r["location_id"]) for r in rows if r["source_id"].startswith("src-")} == {
        ("src-001", "astana"),
        ("src-001", "zhanaozen"),
        ("src-001", "almaty"),
        ("src-002", "almaty"),  # "Almaty region's police stations"
        ("src-003", "almaty"),
        ("src-003", "shymkent"),
        ("src-003", "ust-kamenogorsk"),
        ("src-003", "aktobe"),
        ("src-003", "kostanay"),
        ("src-004", "almaty"),
    }


def test_cities_named_only_in_a_grammatical_case_are_found(rows):
    # checked by hand: each page names the city only in these forms, never in the nominative
    found = {(r["source_id"], r["location_id"]) for r in rows}
    assert ("rus-azattyq-org-shymkent-appeal-upheld", "shymkent") in found  # Шымкента
    assert ("tirek-info-taraz-hearing-21-december", "taraz") in found  # Тараза, Таразе
    assert ("steppe-region-com-semey-akimat-storm", "semey") in found  # Семея
    assert ("08info-kz-238-dead-by-city-kk", "almaty") in found  # Алматыда (Kazakh locative)
    assert ("vlast-kz-taraz-appeal-acquits-kuatbayev", "astana") in found  # в Астану


def test_the_loader_types_the_shipped_mentions():
    df = load_dataset().mentions
    assert list(df.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert str(df["count"].dtype) == "Int64" and str(df["first_offset"].dtype) == "Int64"
    assert df["location_id"].dtype == "string" and df["source_id"].notna().all()
