"""The official counts of people convicted beside the record: same population, same date, who stated it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.paths import SHIPPED_DATA_DIR
from geo.query.comparison import STATE_ROLES, documented_by, documented_convictions, official_comparison
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import official

from testdata import SAMPLE


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def index(ds):
    return DatasetIndex.build(ds)


def documented_by_hand(ds, day) -> int:
    """Independent of geo.query.comparison: each person of a convicting decision dated (to the end
    of its period) on or before ``day``, of no state role, once, as many as their widest row."""
    rows = ds.people[(ds.people["group"] == "convicted").to_numpy()].merge(
        ds.convictions[["case_id", "period_end", "defendant_role"]], on="case_id"
    )
    rows = rows[~rows["defendant_role"].isin(STATE_ROLES) & (rows["period_end"] <= pd.Timestamp(day))]
    return int(rows.groupby("person_id")["count"].max().sum())


def test_each_count_is_compared_with_the_record_as_of_its_own_date(ds, index):
    compared = official_comparison(index.data, index.cases)
    assert list(compared["stat_id"]) == [
        "st-003-convicted-0630",
        "st-003-convicted-0718",
        "st-002-convicted",
        "st-004-convicted",
    ]
    for row in compared.itertuples():
        assert row.documented == documented_by_hand(ds, row.as_of)
        assert row.share == pytest.approx(row.documented / row.value)
    # the record grows with the date it is read at; 30 June 2022 sees only the Kostanay verdict
    assert compared["documented"].is_monotonic_increasing
    assert compared["documented"].iloc[0] == 1


def test_state_roles_are_left_out_of_the_comparison(ds, index):
    everyone = ds.people[(ds.people["group"] == "convicted").to_numpy()]
    assert documented_by(documented_convictions(index.data, index.cases), "2030-01-01") == int(
        everyone.groupby("person_id")["count"].max().sum()
    )  # the sample has no state role: nobody is left out
    changed = ds.convictions.copy()
    changed.loc[changed["case_id"] == "cv-2024-06-11-almaty-storming", "defendant_role"] = "security_officer"
    moved = DatasetIndex.build(ds.__class__(**{**ds.__dict__, "convictions": changed}))
    assert (
        documented_by(documented_convictions(moved.data, moved.cases), "2030-01-01")
        == documented_by(documented_convictions(index.data, index.cases), "2030-01-01") - 11
    )


def test_a_figure_whose_source_names_nobody_is_reported_by_its_publisher_never_official(ds, index):
    compared = official_comparison(index.data, index.cases).set_index("stat_id")
    press = compared.loc["st-004-convicted"]
    publisher = ds.sources.set_index("source_id").loc["src-004", "publisher"]
    assert not press["official"] and press["stated_by"] == publisher
    assert compared.loc["st-002-convicted", "official"]
    table = official.comparison_table(official_comparison(index.data, index.cases)).set_index("Count")
    assert table.loc["about 1,400", "Stated by"] == f"reported by {publisher}, source not named"
    assert table.loc["599", "Stated by"] == "Marat Akhmetzhanov, Minister of Internal Affairs"
    sentence = official.comparison_sentence(compared.reset_index().iloc[-1])
    assert "without naming its source" in sentence and "stated" not in sentence
    chart = official.comparison_chart(index.view().documented_line(), index.view().official_in_window())
    assert set(chart.loc[chart["label"] == "about 1,400", "series"]) == {official.REPORTED}
    assert set(chart.loc[chart["label"] == "599", "series"]) == {official.STATED}


def test_one_wording_of_the_share_in_every_language(index):
    row = official_comparison(index.data, index.cases).iloc[-1]
    share = {lang: official.share_text(row["share"], lang) for lang in ("en", "ru", "kk")}
    assert share["en"].endswith("%") and "." in share["en"]
    assert "," in share["ru"]  # a decimal comma
    for lang, text in share.items():
        assert text in official.comparison_sentence(row, lang)
        assert text in official.comparison_table(official_comparison(index.data, index.cases), lang).iloc[-1].to_list()


def test_the_documented_line_stays_inside_the_filter_dates():
    index = DatasetIndex.build(load_dataset(SHIPPED_DATA_DIR))
    view = index.view(Filters.of(date(2022, 6, 1), date(2022, 7, 31), cities=["almaty", "shymkent"]))
    line = view.documented_line()
    assert line["date"].min() == pd.Timestamp("2022-06-01") and line["date"].max() == pd.Timestamp("2022-07-31")
    assert line["people"].is_monotonic_increasing
    everything = documented_convictions(index.data, index.cases, view.filters)
    assert line["people"].iloc[-1] == documented_by(everything, "2022-07-31") < documented_by(everything, "2030-01-01")
    assert view.official_in_window()["as_of"].between("2022-06-01", "2022-07-31").all()
