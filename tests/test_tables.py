"""The Cases table: every order and search applies to all rows (server-side), pages are slices of
that whole, and the page, order and search are in the link."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from geo.bench.synth import synthesize
from geo.data.dataset import load_dataset
from geo.query.view import SORTS, DatasetIndex
from geo.views import case_tables, formats, reader_text

from apptest_support import description, open_page, sample_env  # noqa: F401
from reference import sorted_cases

#: Named on purpose in one decision of page 3 of the synthetic table (rows 2,001–3,000, oldest first).
NAME, NAME_RU = "Asel Nurlanova", "Асель Нурланова"


@pytest.fixture(scope="module")
def small():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ds = load_dataset(synthesize(1_000, Path(tmp), seed=11), use_cache=False)
    return ds, DatasetIndex.build(ds)


@pytest.mark.parametrize("sort", SORTS)
def test_every_order_matches_the_reference_over_all_rows(small, sort):
    ds, index = small
    view = index.view()
    expected = sorted_cases(ds.convictions, ds.locations, sort)["case_id"].tolist()
    assert view.rows(sort=sort)["case_id"].tolist() == expected
    # a page is a slice of the whole order, not an order of the page
    assert view.rows(sort=sort, limit=100, offset=300)["case_id"].tolist() == expected[300:400]


def test_orders_are_chronological_and_numeric(small):
    ds, index = small
    view = index.view()
    newest = view.rows(sort="newest")
    dated = newest["period_start"].dropna()
    assert dated.is_monotonic_decreasing and newest["period_start"].iloc[-1:].isna().all() == (
        ds.convictions["period_start"].isna().any()
    )
    longest = view.rows(sort="longest")
    months = longest["sentence_months_max"].fillna(longest["sentence_months_min"])
    known = months.dropna().astype(int)
    assert known.is_monotonic_decreasing and known.iloc[0] == int(months.max())
    assert months.iloc[len(known) :].isna().all()  # the unsized rows come last
    with pytest.raises(ValueError, match="unknown sort"):
        view.rows(sort="sideways")


def test_a_search_reads_case_ids_courts_and_summaries_as_well_as_names(sample_env):
    ds = load_dataset()
    view = DatasetIndex.build(ds).view()
    found = set(view.rows(view.searching("BEKTANOV"))["case_id"])  # a name, any case
    assert "cv-2023-02-24-bektanov" in found
    court = ds.convictions.loc[ds.convictions["case_id"] == "cv-2023-02-24-bektanov", "court_name"].iloc[0]
    word = court.split()[1]
    in_court = set(view.rows(view.searching(word.upper()))["case_id"])
    assert in_court == set(
        ds.convictions.loc[ds.convictions["court_name"].str.contains(word, case=False, na=False), "case_id"]
    )
    # the court's Russian and Kazakh names (courts.csv) find it too
    assert set(view.rows(view.searching("военный"))["case_id"]) == {"cv-2023-02-24-bektanov"}
    assert set(view.rows(view.searching("ӘСКЕРИ"))["case_id"]) == {"cv-2023-02-24-bektanov"}
    assert set(view.rows(view.searching("cv-2022-07-15"))["case_id"]) == {"cv-2022-07-15-shymkent"}
    assert not view.searching("no such text anywhere").any()
    assert view.searching("  ").all()


# --- the Cases page over 3,000 synthetic decisions ---------------------------------------------


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> tuple[Path, str]:
    """3,000+ synthetic decisions, one of page 3 naming a person in Latin and Cyrillic script."""
    out = synthesize(3_000, tmp_path_factory.mktemp("pages"), seed=5)
    ds = load_dataset(out, use_cache=False)
    ordered = sorted_cases(ds.convictions, ds.locations, "oldest")
    single = ordered.iloc[2_400:2_600]
    people = pd.read_csv(out / "defendants.csv", dtype=str, keep_default_na=False)
    single = single[(single["defendants"] == 1) & ~single["case_id"].isin(people["case_id"])]
    decision = single.iloc[0]
    case = str(decision["case_id"])
    named = {
        "case_id": case,
        "person_id": "p-asel",
        "name": NAME,
        "name_ru": NAME_RU,
        "count": "1",
        "role": str(decision["defendant_role"]),
        "outcome": str(decision["outcome"]),
        "sentence_type": str(decision["sentence_type"]),
        "source_ids": "syn-1",
    }
    people = pd.concat([people, pd.DataFrame([named])], ignore_index=True).fillna("")
    people.to_csv(out / "defendants.csv", index=False)
    with open(out / "people.csv", "a", encoding="utf-8") as persons:  # who p-asel is
        persons.write(f"p-asel,{NAME},{NAME_RU},,,syn-1,\n")
    return out, case


@pytest.fixture
def paged_env(monkeypatch, three_pages):
    monkeypatch.setenv("GEO_DATA_DIR", str(three_pages[0]))
    return three_pages[1]


def cases_of(at) -> list[str]:
    return at.main.dataframe[0].value["Case"].tolist()


def test_a_cyrillic_name_finds_a_decision_on_page_three(paged_env):
    at = open_page("pages/cases.py")
    assert paged_env not in cases_of(at)  # page 1 of 4 does not hold it
    at.text_input(key="who").set_value("асель").run()  # folded: lower case finds «Асель»
    assert cases_of(at) == [paged_env]
    at.text_input(key="who").set_value("NURLANOVA").run()
    assert cases_of(at) == [paged_env]


def test_the_page_and_the_order_come_back_from_a_link(paged_env):
    at = open_page("pages/cases.py", {"page": ["3"]})
    assert at.number_input(key="page").value == 3 and at.number_input(key="page").label == "Page (of 3)"
    assert paged_env in cases_of(at)
    assert any("Rows 2,001–3,000" in c.value for c in at.caption)
    linked = open_page("pages/cases.py", {"sort": ["longest"], "page": ["2"]})
    shown = linked.main.dataframe[0].value
    months = shown["Months"].dropna().astype(int)
    assert months.is_monotonic_decreasing and len(shown) == 1_000
    first_page = open_page("pages/cases.py", {"sort": ["longest"]}).main.dataframe[0].value
    assert int(first_page["Months"].iloc[-1]) >= int(months.iloc[0])  # page 2 goes on from page 1


def test_a_new_search_or_order_starts_again_at_page_one(paged_env):
    at = open_page("pages/cases.py", {"page": ["3"]})
    at.selectbox(key="sort").set_value("newest").run()
    assert at.number_input(key="page").value == 1
    assert "page" not in at.query_params
    at.number_input(key="page").set_value(2).run()
    assert at.query_params["page"] == "2"
    a_too_far_page = open_page("pages/cases.py", {"page": ["99"]})
    assert a_too_far_page.number_input(key="page").value == 3  # the last page


def test_dates_and_sentences_are_values_the_table_sorts_by(sample_env):
    shown = open_page("pages/cases.py").main.dataframe[0].value
    dated = shown.dropna(subset=["Date"])
    assert sorted(dated["Date"]) == dated["Date"].tolist()  # oldest first, as date values
    assert shown["Months"].dtype.kind in "iuf" or str(shown["Months"].dtype) == "Int64"
    by_months = shown.sort_values("Months", ascending=False, na_position="last")["Months"].dropna()
    assert by_months.astype(int).tolist() == sorted(by_months.astype(int), reverse=True)


def test_a_decision_in_full_has_its_whole_summary_and_only_web_links(sample_env):
    ds = load_dataset()
    at = open_page("pages/cases.py", {"who": ["bektanov"]})
    assert any("Select a row" in c.value for c in at.caption)  # the browser test clicks one
    row = next(ds.convictions[ds.convictions["case_id"] == "cv-2023-02-24-bektanov"].itertuples())
    details = case_tables.decision_markdown(row, ds.locations, ds.sources)
    assert details.startswith("**cv-2023-02-24-bektanov** · 24 Feb 2023 · Astana")
    assert reader_text.escape_markdown(row.summary) in details  # whole, not cut at a column's width
    hostile = row._replace(summary="[click](javascript:alert(1)) **bold**", source_ids="src-000")
    sources = ds.sources.copy()
    sources.loc[sources["source_id"] == "src-000", "url"] = "javascript:alert(1)"
    shown = case_tables.decision_markdown(hostile, ds.locations, sources)
    assert "\\[click\\]\\(javascript" in shown and "](javascript" not in shown
    assert formats.web_link("https://example.org/a") == "https://example.org/a"
    assert formats.web_link("javascript:alert(1)") is None and formats.web_link(None) is None


def test_copy_link_holds_the_views_state_by_id(sample_env):
    at = open_page("pages/cases.py", {"city": ["Alma-Ata"], "page": ["1"]})
    assert at.main.code[0].value.endswith("?city=almaty")  # the id, and no page 1
    at.selectbox(key="sort").set_value("longest").run()
    at.multiselect(key="sentence").set_value(["imprisonment"]).run()
    query = parse_qs(urlsplit(at.main.code[0].value).query)
    assert query == {"city": ["almaty"], "sort": ["longest"], "sentence": ["imprisonment"]}
    # the link, opened in a new session, gives the same view
    again = open_page("pages/cases.py", {k: v for k, v in query.items()})
    assert again.selectbox(key="sort").value == "longest" and description(again) == description(at)
    assert again.multiselect(key="sentence").value == ["imprisonment"]


def test_a_link_may_name_options_by_their_label(sample_env):
    at = open_page("pages/cases.py", {"sort": ["Sentence, longest first"], "sentence": ["Imprisonment"]})
    assert at.selectbox(key="sort").value == "longest"
    assert at.multiselect(key="sentence").value == ["imprisonment"]
    assert at.query_params["sort"] == "longest"
