"""Every page of the dashboard, driven headless by Streamlit's AppTest on the sample data.

Expected values are computed here with ``geo`` (filters, aggregates) straight from the data, not
read back from the app. A test that only reads a page shares its run (``opened_sample_pages``); a
test that clicks runs its own.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.validate import split_list
from geo.query.aggregates import citations
from geo.query.filters import Filters
from geo.views.descriptions import describe

from apptest_support import (  # noqa: F401 -- sample_env and opened_sample_pages are fixtures
    PAGES,
    deck_json,
    description,
    layer,
    open_page,
    opened_sample_pages,
    sample_env,
)
from reference import city_totals_of, event_totals, filter_events, people_in
from testdata import SAMPLE, copy_dataset

pytestmark = pytest.mark.usefixtures("sample_env")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def names(ds) -> dict[str, str]:
    return dict(zip(ds.locations["location_id"], ds.locations["name"]))


def full_range(ds):
    from datetime import date

    first, last = ds.span
    return min(first, date(2022, 1, 1)), last


@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_runs_with_its_title_and_the_filter_line(page, title, ds, opened_sample_pages):
    at = opened_sample_pages(page)
    assert [t.value for t in at.title] == [title]
    c = ds.convictions
    assert description(at) == describe(Filters(), names(ds), len(c), people_in(ds, c), span=full_range(ds))
    # The shared filters are in the sidebar on every page, however the page was reached.
    assert at.slider(key="period") and at.multiselect(key="city")
    assert not at.error


def test_map_draws_one_circle_per_city_with_verdicts(ds, opened_sample_pages):
    at = opened_sample_pages("pages/map.py")
    spec = deck_json(at)
    expected = city_totals_of(ds, ds.convictions)
    cities = layer(spec, "cities")["data"]
    assert sorted(r["location_id"] for r in cities) == sorted(expected["location_id"])
    events = layer(spec, "events")["data"]
    assert sorted(r["location_id"] for r in events) == sorted(event_totals(ds.events, ds.locations)["location_id"])
    # No basemap: Streamlit's "no style" sentinel, and no provider to fetch tiles from.
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert layer(spec, "borders") is not None


def test_map_counts_what_it_cannot_place(ds, opened_sample_pages):
    at = opened_sample_pages("pages/map.py")
    c = ds.convictions
    unplaced = c[c["location_id"].isna()]
    notes = " ".join(x.value for x in at.main.caption)
    assert (
        f"{len(unplaced)} court decisions ({people_in(ds, unplaced)['total']} people) whose court city is not stated or has no coordinates"
        in notes
    )
    approximate = int(c["approximate"].sum())
    assert (
        f"{approximate} court decision{'s' if approximate != 1 else ''} {'is' if approximate == 1 else 'are'} dated only"
        in notes
    )
    no_city_events = int(ds.events["location_id"].isna().sum())
    assert f"{no_city_events} events have no city" in notes


def test_map_sizes_by_decisions_when_asked(ds):
    at = open_page("pages/map.py")
    by_people = {r["location_id"]: r["radius"] for r in layer(deck_json(at), "cities")["data"]}
    at.radio(key="size").set_value("decisions").run()
    by_decisions = {r["location_id"]: r["radius"] for r in layer(deck_json(at), "cities")["data"]}
    totals = city_totals_of(ds, ds.convictions).set_index("location_id")
    # Same count of decisions -> same circle; the biggest by people convicted is not the biggest by decisions.
    assert by_decisions["astana"] == by_decisions["ust-kamenogorsk"] < by_decisions["shymkent"] < by_decisions["almaty"]
    assert by_people["ust-kamenogorsk"] > by_people["shymkent"] > by_people["almaty"]
    assert totals.loc["ust-kamenogorsk", "decisions"] == totals.loc["astana", "decisions"]
    assert "number of court decisions" in " ".join(m.value for m in at.main.markdown)


def test_acquittals_and_posthumous_verdicts_are_written_beside_the_city_not_counted_in_it(ds, opened_sample_pages):
    at = opened_sample_pages("pages/map.py")
    spec = deck_json(at)
    badges = {tuple(b["position"]): b["text"] for b in layer(spec, "outcomes")["data"]}
    almaty = next(r for r in layer(spec, "cities")["data"] if r["location_id"] == "almaty")
    assert badges == {tuple(almaty["position"]): "1 acquitted, 2 posthumous"}
    shymkent = next(r for r in layer(spec, "cities")["data"] if r["location_id"] == "shymkent")
    # Almaty convicted one person alive, Shymkent three: the circles follow the convicted alone.
    assert almaty["radius"] < shymkent["radius"]


def test_map_layer_switches(ds):
    at = open_page("pages/map.py")
    at.toggle(key="show_events").set_value(False).run()
    assert layer(deck_json(at), "events") is None
    mentions = at.toggle(key="show_mentions")
    assert mentions.disabled == (not (SAMPLE / "mentions.csv").exists())
    at.toggle(key="basemap").set_value(True).run()
    spec = deck_json(at)
    assert spec["mapProvider"] == "carto" and "carto" in spec["mapStyle"]


def test_choosing_a_city_under_the_map_lists_its_cases(ds):
    at = open_page("pages/map.py")
    assert not at.dataframe
    at.selectbox(key="map_city").set_value("shymkent").run()
    shown = at.dataframe[0].value
    expected = ds.convictions[ds.convictions["location_id"] == "shymkent"]
    assert shown["Case"].tolist() == expected["case_id"].tolist()
    assert shown["Sentence"].tolist() == ["from 3 y 7 m", "from 3 y 7 m"]
    assert shown["Instance"].tolist() == ["first instance", "appeal"]
    assert shown["Outcome"].tolist() == ["convicted", "upheld"]


def test_cases_page_offers_each_city_and_the_verdicts_without_a_city(ds, opened_sample_pages):
    at = opened_sample_pages("pages/cases.py")
    totals = city_totals_of(ds, ds.convictions)
    expected = ["All cities"] + sorted(totals["name"], key=str.casefold)
    if ds.convictions["location_id"].isna().any():
        expected.append("Not on the map")
    assert at.selectbox(key="tab").options == expected
    assert at.dataframe[0].value["Case"].tolist() == (
        ds.convictions.sort_values(["period_start", "case_id"])["case_id"].tolist()
    )

    for location_id, name in zip(totals["location_id"], totals["name"]):
        at = opened_sample_pages("pages/cases.py", {"tab": [name]})
        shown = at.dataframe[0].value
        assert shown["Case"].tolist() == sorted(
            ds.convictions.loc[ds.convictions["location_id"] == location_id, "case_id"]
        )

    at = opened_sample_pages("pages/cases.py", {"tab": ["Not on the map"]})
    shown = at.dataframe[0].value
    assert set(shown["Case"]) == set(ds.convictions.loc[ds.convictions["location_id"].isna(), "case_id"])
    assert set(shown["City"]) == {"court city not stated"}


def test_cases_table_formats_dates_sentences_and_lists(ds, opened_sample_pages):
    at = opened_sample_pages("pages/cases.py")
    table = at.dataframe[0].value.set_index("Case")
    # Dates are date values (they sort by time) with their precision beside them
    assert table.loc["cv-2023-04-massimov", "Date"] == date(2023, 4, 1)
    assert table.loc["cv-2023-04-massimov", "Precision"] == "month only"
    assert table.loc["cv-2023-02-24-bektanov", "Date"] == date(2023, 2, 24)
    assert table.loc["cv-2023-02-24-bektanov", "Precision"] == "day"
    assert table.loc["cv-2023-02-24-bektanov", "Sentence"] == "12 y"
    assert table.loc["cv-2023-02-24-bektanov", "Months"] == 144
    assert pd.isna(table.loc["cv-2024-06-11-almaty-storming", "Months"])
    assert table.loc["cv-2022-07-07-aktobe", "Sentence"] == "3 y 6 m"
    assert table.loc["cv-2024-06-11-almaty-storming", "Sentence"] == "not stated"
    assert list(table.loc["cv-2022-07-15-shymkent", "Names"]) == [
        "Lyazzat Dosmambetova",
        "Kairat Sultanbek",
        "Zhanmurat Ashtayev",
    ]
    assert list(table.loc["cv-2023-02-24-bektanov", "Articles"]) == ["452-3"]
    assert table.loc["cv-2022-06-24-kostanay", "City"].endswith("(region only)")
    assert table.loc["cv-2022-09-20-shymkent-appeal", "Reviews"] == "cv-2022-07-15-shymkent"
    assert list(table.loc["cv-2023-11-15-almaty-acquittal", "Disputed"]) == [
        "sentence type: probation — src-004: Le Monde (republished by The America One News), 24 Jun 2024"
    ]
    assert table.loc["cv-2023-11-15-almaty-acquittal", "Sentence type"] == "no sentence"
    assert table.loc["cv-2023-06-01-almaty-posthumous", "Outcome"] == "convicted posthumously"


def test_timeline_says_the_sample_is_not_random_and_lists_events_and_official_figures(ds, opened_sample_pages):
    at = opened_sample_pages("pages/timeline.py")
    assert "non-random sample" in at.info[0].value
    events = at.dataframe[0].value
    assert sorted(events["Event"]) == sorted(ds.events["event_id"])
    official = at.dataframe[1].value
    expected = ds.official_stats[(ds.official_stats["metric"] == "people_convicted").to_numpy()]
    assert official["Count"].tolist() == ["445", "545", "599", "about 1,400"]  # national counts, oldest first
    assert len(official) == len(expected)
    assert [c.value for c in at.header][:3] == [
        "Court decisions per month",
        "People convicted per month",
        "Events per month",
    ]


def test_timeline_event_type_filter_narrows_events_not_verdicts(ds, opened_sample_pages):
    at = opened_sample_pages("pages/timeline.py", {"event": ["arrest"]})
    assert sorted(at.dataframe[0].value["Event"]) == sorted(
        filter_events(ds.events, Filters.of(event_types=["arrest"]))["event_id"]
    )
    c = ds.convictions
    people = people_in(ds, c)
    assert description(at).endswith(
        f"{len(c)} court decisions, {people['total']} people (28 convicted, 1 acquitted, 2 convicted posthumously)"
    )


def cited_by(ds, source_id: str) -> list[str]:
    """Independent of geo.query.filters.citations: scan each verdict's source list."""
    return [
        cid
        for cid, cell in zip(ds.convictions["case_id"], ds.convictions["source_ids"])
        if source_id in split_list(cell)
    ]


def test_sources_page_lists_every_article_and_the_rows_citing_it(ds, opened_sample_pages):
    at = opened_sample_pages("pages/sources.py")
    table = at.dataframe[0].value
    assert table["Source"].tolist() == ds.sources["source_id"].tolist()
    for sid, verdicts in zip(table["Source"], table["Decisions citing it"]):
        assert list(verdicts) == cited_by(ds, sid)
    assert "Publisher" in table and "Link" in table
    assert "Cities mentioned" in table  # the sample has a mentions.csv
    assert not any("not available yet" in c.value for c in at.caption)


def test_sources_page_without_mentions_says_so_instead_of_a_column(tmp_path, monkeypatch):
    directory = copy_dataset(SAMPLE, tmp_path / "data")
    (directory / "mentions.csv").unlink()
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = open_page("pages/sources.py")
    assert "Cities mentioned" not in at.dataframe[0].value
    assert any("Cities mentioned: not available yet" in c.value for c in at.caption)


def test_sources_page_can_keep_only_articles_cited_in_the_filter(ds):
    at = open_page("pages/sources.py", {"city": ["Astana · Астана"]})
    at.toggle(key="sources_in_filter").set_value(True).run()
    table = at.dataframe[0].value
    astana = ds.convictions[ds.convictions["location_id"] == "astana"]
    cited = {s for cell in astana["source_ids"] for s in split_list(cell)}
    events = filter_events(ds.events, Filters.of(cities=["astana"]))
    cited |= {s for cell in events["source_ids"] for s in split_list(cell)}
    assert set(table["Source"]) == cited
    assert citations(ds.sources, convictions=astana)["src-000"]["convictions"] == ["cv-2023-02-24-bektanov"]


def test_about_page_states_coverage_precision_and_licences(ds, opened_sample_pages):
    at = opened_sample_pages("pages/about.py")
    text = " ".join(" ".join(m.value for m in at.markdown).split())
    assert f"**{len(ds.convictions)} court decisions**" in text
    assert "about **31 people** (28 convicted, 1 acquitted, 2 convicted posthumously)" in text
    assert "How people are counted" in [h.value for h in at.markdown if h.value.startswith("###")][1]
    compared = at.dataframe[0].value.set_index("Count")
    # 17 of about 1,400 by June 2024: the 11 people of the storming verdict of 11 June 2024 come later
    assert compared.loc["about 1,400", "Documented share"] == "1.2%"
    assert compared.loc["about 1,400", "Stated by"].startswith("reported by ")
    coverage = at.dataframe[1].value.set_index("Year")
    assert coverage.loc["all years", ["Decisions", "People", "convicted", "acquitted"]].tolist() == [11, 31, 28, 1]
    assert coverage.loc["2022", "People convicted, last count stated that year"] == "545"
    assert coverage.loc["2022", "As of"] == "18 Jul 2022"
    assert coverage.loc["all years", "Documented share"] == compared.loc["about 1,400", "Documented share"]
    for needle in ("non-random sample", "python -m geo validate", "GeoNames", "Natural Earth", "OpenStreetMap"):
        assert needle in text
    assert at.table[0].value["Date precision"].tolist() == ["day", "week", "month", "year"]
