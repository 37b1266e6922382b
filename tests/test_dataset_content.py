"""The shipped dataset says what the five articles say: a sample checked by hand against them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from testdata import ROOT, SHIPPED
from geo.dataset import load_dataset
from geo.validate import split_list

SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SHIPPED)


def row(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    match = frame[frame[key] == value]
    assert len(match) == 1, f"{key}={value}: {len(match)} rows"
    return match.iloc[0]


# (case_id, verdict date, precision, city, defendants, sentence type, min months, max months, sources)
VERDICTS = [
    ("cv-2022-07-15-shymkent", "2022-07-15", "day", "shymkent", 3, "imprisonment", 43, None, "src-003"),
    ("cv-2022-07-14-ust-kamenogorsk", "2022-07-14", "day", "ust-kamenogorsk", 7, "probation", None, None, "src-003"),
    ("cv-2022-07-07-aktobe", "2022-07-07", "day", "aktobe", 3, "restricted_freedom", 42, 42, "src-003"),
    ("cv-2022-06-24-kostanay", "2022-06-24", "day", "kostanay", 1, "probation", 12, 12, "src-003"),
    ("cv-2022-07-11-almaty-imanbekov", "2022-07-11", "day", "almaty", 1, "unknown", 72, 72, "src-003"),
    ("cv-2023-02-24-bektanov", "2023-02-24", "day", "astana", 1, "imprisonment", 144, 144, "src-000;src-001"),
    ("cv-2023-04-massimov", "2023-04-01", "month", None, 1, "imprisonment", 216, 216, "src-004;src-002"),
    ("cv-2024-06-11-almaty-storming", "2024-06-11", "day", None, 11, "unknown", None, None, "src-004"),
]


@pytest.mark.parametrize("case", VERDICTS, ids=[v[0] for v in VERDICTS])
def test_verdicts_match_the_articles(ds, case):
    case_id, day, precision, city, n, kind, lo, hi, sources = case
    r = row(ds.convictions, "case_id", case_id)
    assert r["verdict_date"] == pd.Timestamp(day)
    assert r["date_precision"] == precision
    assert (None if pd.isna(r["location_id"]) else r["location_id"]) == city
    assert r["defendants"] == n
    assert r["sentence_type"] == kind
    assert (None if pd.isna(r["sentence_months_min"]) else r["sentence_months_min"]) == lo
    assert (None if pd.isna(r["sentence_months_max"]) else r["sentence_months_max"]) == hi
    assert split_list(r["source_ids"]) == sources.split(";")


def test_every_verdict_in_the_articles_has_a_row(ds):
    assert sorted(ds.convictions["case_id"]) == sorted(v[0] for v in VERDICTS)


def test_names_are_only_those_the_sources_give(ds):
    shymkent = row(ds.convictions, "case_id", "cv-2022-07-15-shymkent")
    assert split_list(shymkent["defendant_names"]) == ["Lyazzat Dosmambetova", "Kairat Sultanbek", "Zhanmurat Ashtayev"]
    assert pd.isna(row(ds.convictions, "case_id", "cv-2022-07-14-ust-kamenogorsk")["defendant_names"])


def test_vagueness_is_recorded_not_guessed(ds):
    # Kostanay: only the province is named
    assert row(ds.convictions, "case_id", "cv-2022-06-24-kostanay")["location_precision"] == "region"
    # "almost 1,400" is approximate; 445 is derived from "exactly 100 more than" 545
    stats = ds.official_stats
    assert row(stats, "stat_id", "st-004-convicted")[["value", "qualifier"]].tolist() == [1400, "approx"]
    assert row(stats, "stat_id", "st-003-convicted-0630")[["value", "qualifier"]].tolist() == [445, "derived"]
    assert row(stats, "stat_id", "st-003-pretrial-detention")["qualifier"] == "more_than"
    # "mid-February 2022" arrest is month precision
    assert row(ds.events, "event_id", "ev-2022-02-bektanov-arrest")["date_precision"] == "month"


@pytest.mark.parametrize("stat_id, metric, value", [
    ("st-002-cases-investigated", "criminal_cases_investigated", 4623),
    ("st-002-tried", "defendants_tried", 631),
    ("st-002-convicted", "people_convicted", 599),
    ("st-002-restricted-freedom", "convicted_restricted_freedom", 455),
    ("st-002-imprisonment", "convicted_imprisonment", 132),
    ("st-002-amnesty-applied", "people_amnestied", 1095),
    ("st-002-torture-cases", "torture_cases_opened", 329),
    ("st-003-convicted-0718", "people_convicted", 545),
    ("st-003-terrorism-cases", "terrorism_cases_open", 32),
    ("st-001-officers-killed", "law_enforcement_killed", 19),
])
def test_official_figures_match_the_articles(ds, stat_id, metric, value):
    r = row(ds.official_stats, "stat_id", stat_id)
    assert (r["metric"], r["value"]) == (metric, value)


def test_sentence_breakdown_adds_up_to_the_convicted_total(ds):
    s = ds.official_stats.set_index("stat_id")["value"]
    parts = ["st-002-restricted-freedom", "st-002-imprisonment", "st-002-community-service", "st-002-fine"]
    assert s[parts].sum() == s["st-002-convicted"]


def test_events_sample(ds):
    unrest = row(ds.events, "event_id", "ev-2022-01-unrest")
    assert (unrest["date_start"], unrest["date_end"]) == (pd.Timestamp("2022-01-02"), pd.Timestamp("2022-01-10"))
    assert (unrest["fatalities"], unrest["fatalities_qualifier"]) == (238, "at_least")
    assert row(ds.events, "event_id", "ev-2022-01-05-shymkent")["location_id"] == "shymkent"
    assert row(ds.events, "event_id", "ev-2022-01-07-csto")["date_start"] == pd.Timestamp("2022-01-07")


def test_every_row_cites_a_source(ds):
    known = set(ds.sources["source_id"])
    for frame, column in ((ds.events, "source_ids"), (ds.convictions, "source_ids"), (ds.official_stats, "source_id")):
        for cell in frame[column]:
            cited = split_list(cell)
            assert cited and set(cited) <= known


def test_every_source_is_cited(ds):
    cited = set()
    for cell in pd.concat([ds.events["source_ids"], ds.convictions["source_ids"], ds.official_stats["source_id"]]):
        cited.update(split_list(cell))
    assert cited == set(ds.sources["source_id"])


def test_frame_types_follow_the_data_package(ds):
    c = ds.convictions
    assert str(c["verdict_date"].dtype).startswith("datetime64")
    assert str(c["defendants"].dtype) == "Int64"
    assert isinstance(c["sentence_type"].dtype, pd.CategoricalDtype)
    assert list(c["sentence_type"].cat.categories) == [
        "imprisonment", "restricted_freedom", "probation", "fine", "community_service", "other", "unknown"]
    assert ds.locations["latitude"].dtype == "float64"


def test_standard_frictionless_validate_passes_on_shipped_data():
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
                            cwd=SHIPPED, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "INVALID" not in result.stdout


def test_frictionless_agrees_that_a_broken_copy_is_invalid(shipped_copy):
    import shutil

    shutil.copy(SHIPPED / "datapackage.json", shipped_copy / "datapackage.json")
    path = shipped_copy / "convictions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",imprisonment,", ",jail,", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
                            cwd=shipped_copy, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "constraint-error" in result.stdout


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are not beside this clone")
def test_no_summary_copies_seven_words_of_an_article():
    """Facts carry over, sentences do not: no run of 7 words of an article appears in our text
    (titles excepted: they are citations)."""
    n = 7
    article_runs = set()
    for path in SEEDS.glob("*.txt"):
        w = words(path.read_text(encoding="utf-8"))
        article_runs.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    ds = load_dataset(SHIPPED)
    copied = []
    for name, frame in (("events", ds.events), ("convictions", ds.convictions),
                        ("official_stats", ds.official_stats), ("sources", ds.sources.drop(columns="title"))):
        for column in frame.columns:
            if frame[column].dtype != "string":
                continue
            for cell in frame[column].dropna():
                w = words(cell)
                copied += [(name, column, " ".join(w[i:i + n])) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in article_runs]
    assert copied == []
