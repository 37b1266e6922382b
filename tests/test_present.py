"""Display formatting: sentences, dates with their precision, city labels, the pages' frames."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.query.aggregates import citations
from geo.views import case_tables, file_headers, formats, notes, place_labels, reader_text, source_tables, timeline

from apptest_support import open_page, sample_env, table  # noqa: F401
from testdata import SAMPLE


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.mark.parametrize(
    "low,high,text",
    [
        (43, 43, "3 y 7 m"),
        (42, 48, "3 y 6 m – 4 y"),
        (144, 144, "12 y"),
        (6, 6, "6 m"),
        (0, 0, "0 m"),
        (43, None, "from 3 y 7 m"),
        (None, 48, "up to 4 y"),
        (None, None, "not stated"),
        (pd.NA, pd.NA, "not stated"),
    ],
)
def test_format_sentence(low, high, text):
    assert formats.format_sentence(low, high) == text


@pytest.mark.parametrize(
    "value,precision,text",
    [
        ("2023-02-24", "day", "24 Feb 2023"),
        ("2023-04-01", "month", "Apr 2023 (month)"),
        ("2023-01-01", "year", "2023 (year)"),
        ("2022-06-06", "week", "week of 6 Jun 2022"),
        (None, "day", "not stated"),
        (pd.NaT, None, "not stated"),
    ],
)
def test_format_date(value, precision, text):
    assert (
        formats.format_date(None if value is None else pd.Timestamp(value) if value is not pd.NaT else value, precision)
        == text
    )


def test_format_span():
    assert formats.format_span(pd.Timestamp("2022-07-11"), pd.Timestamp("2022-07-11")) == "11 Jul 2022"
    assert formats.format_span(pd.Timestamp("2022-06-01"), pd.Timestamp("2022-07-31")) == "1 Jun 2022 – 31 Jul 2022"
    assert formats.format_span(pd.NaT, pd.NaT) == "dates not stated"


def test_city_labels_add_russian_and_a_different_kazakh_name(ds):
    labels = place_labels.city_labels(ds.locations)
    assert labels["almaty"] == "Almaty · Алматы"
    assert labels["ust-kamenogorsk"] == "Ust-Kamenogorsk · Усть-Каменогорск · Өскемен"
    assert place_labels.city_label("X", None, pd.NA) == "X"


def test_cases_table(ds):
    rows = case_tables.by_date(ds.convictions, "case_id")
    frame = case_tables.cases_table(rows, ds.locations, ds.sources)
    assert list(frame.columns) == case_tables.CASE_COLUMNS
    assert frame["Case"].tolist() == rows["case_id"].tolist()
    bektanov = frame.set_index("Case").loc["cv-2023-02-24-bektanov"]
    assert bektanov["Court"] == "Specialised inter-district military court"
    assert bektanov["City"] == "Astana · Астана"
    assert bektanov["Sources"] == [
        "src-000: publisher unknown, 2023 (year)",
        "src-001: publisher unknown, Mar 2023 (month)",
    ]
    assert bektanov["Sentence type"] == "imprisonment"
    unknown = frame.set_index("Case").loc["cv-2022-07-11-almaty-imanbekov"]
    assert unknown["Sentence type"] == "type not stated" and unknown["Sentence"] == "6 y"


def test_per_distinct_gives_what_a_call_per_row_gives(ds):
    rows = pd.concat([ds.convictions] * 3, ignore_index=True)
    rows.loc[[0, 5], "verdict_date"] = pd.NaT
    pairs = [
        (formats.format_date, ["verdict_date", "date_precision"]),
        (formats.format_sentence, ["sentence_months_min", "sentence_months_max"]),
        (lambda v: formats.label(formats.text(v)), ["outcome"]),  # a category
        (formats.items, ["defendant_names"]),  # text, mostly missing
        (lambda v: formats.text(v) or "none", ["appeal_of"]),
    ]
    for fn, columns in pairs:
        expected = [fn(*values) for values in zip(*(rows[c] for c in columns))]
        assert formats.per_distinct(fn, *(rows[c] for c in columns)).tolist() == expected, columns


def test_per_distinct_calls_once_per_distinct_value():
    calls = []
    values = pd.Series(["a", "b", None, "a", "b", None] * 100, dtype="string")
    out = formats.per_distinct(lambda v: calls.append(v) or f"<{v}>", values)
    assert sorted(calls, key=str) == [None, "a", "b"]  # once each
    assert out.tolist()[:3] == ["<a>", "<b>", "<None>"]


def test_cases_table_for_a_file_joins_lists_and_cites_sources_by_title(ds):
    rows = case_tables.by_date(ds.convictions, "case_id")
    shown = case_tables.cases_table(rows, ds.locations, ds.sources).set_index("Case")
    filed = case_tables.cases_table(rows, ds.locations, ds.sources, for_file=True).set_index("Case")
    assert [c for c in filed.columns if c != file_headers.DATE_AS_STATED] == list(shown.columns)
    columns = ("Date", "Precision", "City", "Instance", "Outcome", "Role", "Sentence type", "Sentence", "Months")
    for column in (*columns, "Court", "Summary"):
        assert filed[column].tolist() == shown[column].tolist(), column
    assert filed.loc["cv-2023-04-massimov", file_headers.DATE_AS_STATED] == "Apr 2023 (month)"
    for column in ("Articles", "Disputed"):
        assert filed[column].tolist() == ["; ".join(v) for v in shown[column]], column
    # A file names each person in both scripts, the reader's first; the screen in the reader's alone.
    assert [[n.split(" · ")[0] for n in formats.items(v)] for v in filed["Names"]] == list(map(list, shown["Names"]))
    assert filed.loc["cv-2022-07-15-shymkent", "Names"] == (
        "Lyazzat Dosmambetova · Ляззат Досмамбетова; Kairat Sultanbek · Кайрат Султанбек; "
        "Zhanmurat Ashtayev · Жанмурат Аштаев"
    )
    assert shown.loc["cv-2022-07-15-shymkent", "Names"] == [
        "Lyazzat Dosmambetova",
        "Kairat Sultanbek",
        "Zhanmurat Ashtayev",
    ]
    assert filed.loc["cv-2023-04-massimov", "Sources"] == (
        "no headline in the stored copy (Le Monde (republished by The America One News), 24 Jun 2024); "
        "Representatives of law enforcement provide details on the tragic January events at a parliament "
        "hearing (El.kz (citing primeminister.kz), 11 Jan 2023)"
    )


def test_source_citations_say_what_is_not_stated(ds):
    sources = ds.sources.copy()
    sources["published"] = sources["published"].where(sources["source_id"] != "src-003")
    sources["url"] = sources["url"].where(sources["source_id"] != "src-002", "https://el.kz/x")
    cited = source_tables.source_citations(sources)
    assert cited["src-003"] == "Kazakhstan: Summer of sentences over winter discontent (Eurasianet, date not stated)"
    assert cited["src-002"].endswith("(El.kz (citing primeminister.kz), 11 Jan 2023) https://el.kz/x")
    assert cited["src-000"] == "no headline in the stored copy (publisher unknown, 2023 (year))"


def test_disputed_sources_are_the_ids_in_brackets():
    assert case_tables.disputed_sources("sentence_type: probation (src-004)") == ["src-004"]
    assert case_tables.disputed_sources("a: 1 (src-1, src-2);b: x (y) (src-3)") == ["src-1", "src-2", "src-3"]
    assert case_tables.disputed_sources(pd.NA) == []


def test_download_rows_note_says_what_narrows_the_rows():
    assert file_headers.download_rows_note(None, False, "") is None
    assert file_headers.download_rows_note("Almaty", False, " ") == "Only the decisions in Almaty."
    assert (
        file_headers.download_rows_note("Almaty", False, "Bek")
        == 'Only the decisions in Almaty that the search "Bek" finds.'
    )
    assert file_headers.download_rows_note(None, True, "").startswith(
        "Only the decisions whose court city is not stated"
    )
    assert file_headers.download_rows_note(None, False, "Bek") == 'Only the decisions that the search "Bek" finds.'


def test_about_rows_leave_out_what_is_not_given():
    rows = dict(file_headers.about_rows("All cities", None, 3, "2031-01-01T00:00:00Z", "T", "", "", ""))
    assert rows["Decisions in this file"] == 3 and rows["Dataset version"] == formats.NOT_STATED
    assert "Citation" not in rows and "Rows" not in rows and "Licence address" not in rows and "Order" not in rows


def test_by_date_puts_undated_rows_last(ds):
    rows = ds.convictions.copy()
    rows.loc[rows.index[0], "period_start"] = pd.NaT
    assert case_tables.by_date(rows, "case_id")["case_id"].iloc[-1] == rows["case_id"].iloc[0]


def test_notes_about_rows_a_view_cannot_place():
    assert notes.unmapped_note(0, 0) is None
    assert notes.unmapped_note(1, 11).startswith(
        "1 court decision (11 people) whose court city is not stated or has no coordinates is not on the map"
    )
    assert notes.unmapped_note(2, 1).startswith(
        "2 court decisions (1 person) whose court city is not stated or has no coordinates are not"
    )
    assert notes.approximate_note(1).startswith("1 court decision is dated only")
    assert notes.events_unmapped_note(1) == "1 event has no city (nationwide or not stated) and is not on the map."


def test_escape_markdown_disarms_links_images_and_directives():
    text = "[x](http://evil) ![i](http://evil/p.png) :red[a] **b** <b> Ust-Kamenogorsk 1.5"
    escaped = reader_text.escape_markdown(text)
    assert "\\[x\\]\\(http\\:\u2060//evil\\)" in escaped and "\\!\\[i\\]" in escaped
    assert "\\:red\\[a\\]" in escaped and "\\*\\*b\\*\\*" in escaped and "\\<b\\>" in escaped
    assert "Ust-Kamenogorsk 1.5" in escaped  # names stay readable (and URL-friendly in tab labels)


def test_sources_table(ds):
    cited = citations(ds.sources, convictions=ds.convictions, events=ds.events, official_stats=ds.official_stats)
    frame = source_tables.sources_table(ds.sources, cited)
    assert "Cities mentioned" not in frame
    row = frame.set_index("Source").loc["src-003"]
    assert row["Publisher"] == "Eurasianet" and row["Published"] == "18 Jul 2022"
    assert "cv-2022-07-15-shymkent" in row["Decisions citing it"]
    assert row["Official figures citing it"] == [
        "st-003-convicted-0630",
        "st-003-convicted-0718",
        "st-003-pretrial-detention",
        "st-003-terrorism-cases",
        "st-003-killed",
    ]
    with_mentions = source_tables.sources_table(ds.sources, cited, {"src-003": ["Almaty · Алматы (2)"]})
    assert with_mentions.set_index("Source").loc["src-003", "Cities mentioned"] == ["Almaty · Алматы (2)"]


def test_cities_mentioned(ds):
    mentions = pd.DataFrame(
        {
            "source_id": ["src-003", "src-003", None],
            "file": ["a", "a", "b"],
            "location_id": ["almaty", "shymkent", "almaty"],
            "count": [2, 5, 1],
            "first_offset": [0, 10, 3],
        }
    )
    assert source_tables.cities_mentioned(mentions, ds.locations) == {
        "src-003": ["Shymkent · Шымкент (5)", "Almaty · Алматы (2)"]
    }


def test_every_official_metric_can_be_shown_on_the_timeline(sample_env):
    stats = load_dataset(SAMPLE).official_stats
    metrics = stats["metric"].astype(str)
    at = open_page("pages/timeline.py")
    assert sorted(at.selectbox(key="metric").options) == sorted(timeline.metric_label(m) for m in metrics.unique())
    for metric in metrics.unique():
        at.selectbox(key="metric").set_value(metric).run()
        assert not at.exception
        assert len(table(at, -1)) == int((metrics == metric).sum())


def test_window_stamp_states_the_dates_a_map_draws():
    from datetime import date

    from geo.query.filters import Filters
    from geo.views.descriptions import window_stamp

    bounds = (date(2022, 1, 1), date(2024, 6, 11))
    assert window_stamp(Filters(), bounds) == "All dates: 1 Jan 2022 – 11 Jun 2024"
    assert window_stamp(Filters.of(date(2022, 1, 1), date(2022, 7, 31)), bounds) == "1 Jan 2022 – 31 Jul 2022"
    assert window_stamp(Filters.of(None, date(2022, 7, 31)), bounds) == "Everything up to 31 Jul 2022"  # cumulative
    assert window_stamp(Filters.of(date(2022, 7, 14), date(2022, 7, 14)), bounds) == "14 Jul 2022"
    assert window_stamp(Filters.of(date(2023, 3, 1)), bounds) == "1 Mar 2023 – 11 Jun 2024"  # open end: the last day
