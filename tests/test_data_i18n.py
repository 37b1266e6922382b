"""Data text in the reader's language (courts.csv, code_articles.csv, disputed values), numbers
and dates through Babel, and the stated sentence sort (docs/data-i18n.md)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.query.view import DatasetIndex
from geo.views import case_tables, formats, legend, timeline

from apptest_support import open_page, sample_env  # noqa: F401
from testdata import FIXTURES, ROOT, SAMPLE, SHIPPED, copy_dataset

SHARED = ROOT.parent / "shared"
NBSP = "\xa0"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED)


def decision(ds, case_id: str) -> pd.DataFrame:
    return ds.convictions[(ds.convictions["case_id"] == case_id).to_numpy()]


# --- the tables --------------------------------------------------------------------------------


def test_every_court_a_decision_names_has_a_name_in_each_language(shipped):
    courts = shipped.courts.set_index("court_id")
    named = shipped.convictions["court_id"].dropna().unique()
    assert len(named) >= 10
    for court in named:
        row = courts.loc[court]
        assert row["name"] and row["name_ru"] and row["name_kk"], court
        assert {row["name_ru_source"], row["name_kk_source"]} <= {"quoted", "translated"}, court
    # a court text that only repeated the name is gone; one that says more stays beside the id
    shymkent_appeal = decision(shipped, "cv-2022-09-08-shymkent-appeal").iloc[0]
    assert (shymkent_appeal["court_id"], shymkent_appeal["court"]) == ("shymkent-city", "appeal panel")
    assert shipped.convictions.loc[shipped.convictions["court_id"].notna().to_numpy(), "court"].dropna().tolist() == [
        "appeal panel"
    ]


def test_every_article_a_decision_cites_is_listed(shipped):
    listed = set(shipped.code_articles["article"])
    cited = {a for cell in shipped.convictions["code_articles"].dropna() for a in formats.items(cell)}
    assert cited and cited <= listed
    titled = shipped.code_articles[shipped.code_articles["title_ru"].notna().to_numpy()]
    assert len(titled) >= 8


def stems(text: str) -> list[str]:
    """A name's words cut to five letters: a page may give it in another case (военного суда)."""
    return [w[:5] for w in re.findall(r"[\w№]+", text.casefold())]


def quoted(table: pd.DataFrame, columns: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    out = []
    for row in table.to_dict("records"):
        for column, origin in columns.items():
            if row[origin] == "quoted":
                out.append((column, row[column], formats.items(row["source_ids"])))
    return out


@pytest.mark.skipif(not SHARED.is_dir(), reason="the stored sources (../shared) are not beside this checkout")
def test_a_name_or_title_marked_quoted_is_in_a_page_its_row_cites(shipped):
    files = dict(zip(shipped.sources["source_id"], shipped.sources["file"]))
    cases = quoted(shipped.courts, {"name_ru": "name_ru_source", "name_kk": "name_kk_source"})
    cases += quoted(
        shipped.code_articles,
        {"title": "title_source", "title_ru": "title_ru_source", "title_kk": "title_kk_source"},
    )
    assert len(cases) >= 15
    for column, name, cited in cases:
        pages = [(SHARED / files[s]).read_text(encoding="utf-8").casefold() for s in cited if pd.notna(files.get(s))]
        found = any(all(stem in page for stem in stems(name)) for page in pages)
        assert found, f"{column} {name!r} is marked quoted but none of {cited} gives it"


# --- courts, charges and disputed values in the reader's language -----------------------------


@pytest.mark.parametrize(
    "lang,court,charges",
    [
        ("en", "Specialised inter-district military court", "art. 452 part 3: Inaction of authority"),
        ("ru", "Специализированный межрайонный военный суд", "ст. 452 ч. 3: Бездействие власти"),
        (
            "kk",
            "Қылмыстық істер жөніндегі мамандандырылған ауданаралық әскери сот",
            "452-баптың 3-бөлігі: Биліктің әрекетсіздігі",
        ),
    ],
)
def test_the_cases_table_names_court_and_charges_in_the_readers_language(ds, lang, court, charges):
    row = case_tables.cases_table(decision(ds, "cv-2023-02-24-bektanov"), ds.locations, ds.sources, lang=lang).iloc[0]
    assert (row["Court"], row["Charges"], row["Articles"]) == (court, charges, ["452-3"])
    file_row = case_tables.cases_table(
        decision(ds, "cv-2023-02-24-bektanov"), ds.locations, ds.sources, for_file=True, lang=lang
    ).iloc[0]
    assert (file_row["Court"], file_row["Charges"]) == (court, charges)


def test_without_articles_the_charges_are_the_sources_wording(ds):
    row = case_tables.cases_table(decision(ds, "cv-2022-06-24-kostanay"), ds.locations, ds.sources, lang="ru").iloc[0]
    assert row["Charges"] == "Spreading false information"
    assert row["Court"] == "не указано"


def test_an_article_without_a_title_is_cited_by_its_number():
    assert case_tables.charge_items("405-2;272-2", ";Участие в массовых беспорядках", "x", "ru") == [
        "ст. 405 ч. 2",
        "ст. 272 ч. 2: Участие в массовых беспорядках",
    ]
    assert formats.article_label("272", "kk") == "272-бап"
    assert case_tables.charge_items(None, None, None, "en") == []


def test_the_details_say_which_names_are_translations_and_keep_the_sources_words(ds):
    bektanov = next(decision(ds, "cv-2023-02-24-bektanov").itertuples())
    text = case_tables.decision_markdown(bektanov, ds.locations, ds.sources, "ru")
    assert "- Суд: Специализированный межрайонный военный суд\n" in text  # quoted: no mark
    assert "ст. 452 ч. 3\\: Бездействие власти \\(перевод составителей, не из источника\\)" in text
    assert "- Обвинения в формулировке источников (по-английски): Abuse of office" in text
    appeal = next(decision(ds, "cv-2022-09-20-shymkent-appeal").itertuples())
    text = case_tables.decision_markdown(appeal, ds.locations, ds.sources, "kk")
    assert "- Сот: Шымкент қалалық соты \\(құрастырушылардың аудармасы, дереккөзден емес\\)\n" in text
    assert "- Сот, дереккөздердің сипаттауынша: appeal panel\n" in text
    english = case_tables.decision_markdown(appeal, ds.locations, ds.sources, "en")
    assert "- Court: Shymkent City Court\n" in english


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "sentence type: probation — src-004: Le Monde (republished by The America One News), 24 Jun 2024"),
        ("ru", "вид наказания: probation — src-004: Le Monde (republished by The America One News), 24 июня 2024"),
        ("kk", "жаза түрі: probation — src-004: Le Monde (republished by The America One News), 2024 ж. 24 маусым"),
    ],
)
def test_a_disputed_value_names_its_column_and_source_in_the_readers_language(ds, lang, expected):
    row = case_tables.cases_table(decision(ds, "cv-2023-11-15-almaty-acquittal"), ds.locations, ds.sources, lang=lang)
    assert row.iloc[0]["Disputed"] == [expected]


# --- the sentence sort ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ranges(tmp_path_factory):
    """The sample with two ranges: 1 y – 20 y (storming) and 3 y – 20 y (Ust-Kamenogorsk)."""
    directory = copy_dataset(SAMPLE, tmp_path_factory.mktemp("ranges"), overlay=FIXTURES / "sentence_ranges")
    return DatasetIndex.build(load_dataset(directory)).view()


def test_shortest_first_orders_by_the_lower_bound_ties_by_the_upper(ranges):
    assert ranges.rows(sort="shortest")["case_id"].tolist() == [
        "cv-2022-06-24-kostanay",  # 1 y
        "cv-2024-06-11-almaty-storming",  # 1 y – 20 y: also 1 y at its shortest, longer at its upper bound
        "cv-2022-07-14-ust-kamenogorsk",  # 3 y – 20 y
        "cv-2022-07-07-aktobe",  # 3 y 6 m
        "cv-2022-07-15-shymkent",  # from 3 y 7 m, the earlier
        "cv-2022-09-20-shymkent-appeal",  # from 3 y 7 m
        "cv-2022-07-11-almaty-imanbekov",
        "cv-2023-02-24-bektanov",
        "cv-2023-04-massimov",
        "cv-2023-06-01-almaty-posthumous",  # no term: last, by date
        "cv-2023-11-15-almaty-acquittal",
    ]


def test_longest_first_orders_by_the_upper_bound_ties_by_the_lower(ranges):
    assert ranges.rows(sort="longest")["case_id"].tolist()[:4] == [
        "cv-2022-07-14-ust-kamenogorsk",  # 3 y – 20 y: of the two up to 20 y, the longer at its lower bound
        "cv-2024-06-11-almaty-storming",  # 1 y – 20 y
        "cv-2023-04-massimov",  # 18 y
        "cv-2023-02-24-bektanov",
    ]


def test_the_rule_is_stated_where_a_reader_and_a_maintainer_look(sample_env):
    doc = (ROOT / "docs" / "data-i18n.md").read_text(encoding="utf-8")
    assert "lower bound" in doc and "upper bound" in doc
    assert "lower bound of a range" in case_tables.SORT_RULE and "upper bound" in case_tables.SORT_RULE
    at = open_page("pages/about.py", {"lang": ["ru"]})
    assert any("нижней границе" in md.value for md in at.markdown)


# --- numbers and dates through Babel -----------------------------------------------------------


class RussianServerDate(date):
    """A date as ``strftime`` formats it on a server whose C library speaks Russian (``%b``: июн)."""

    def __format__(self, spec: str) -> str:
        return date(self.year, self.month, self.day).__format__(spec.replace("%b", "июн"))

    def strftime(self, spec: str) -> str:
        return date(self.year, self.month, self.day).strftime(spec.replace("%b", "июн"))


def test_english_month_names_do_not_depend_on_the_servers_locale():
    day = RussianServerDate(2024, 6, 11)
    assert formats.day_text(day, "en") == "11 Jun 2024"
    assert formats.format_date(pd.Timestamp(day), "month", "en") == "Jun 2024 (month)"
    assert formats.format_date(day, "month", "en") == "Jun 2024 (month)"


def test_the_legend_groups_digits_as_the_readers_language_does():
    html = legend.size_key("Люди", [(12_345, 38.0)], "red", False, "ru")
    assert f'alt="Люди 12{NBSP}345"' in html
    assert 'alt="People 12,345"' in legend.size_key("People", [(12_345, 38.0)], "red", False)


def test_a_share_is_written_by_babel_in_english_too():
    from geo.views.official import share_text

    assert share_text(12.5, "en") == "1,250.0%"
    assert share_text(12.5, "ru") == f"1{NBSP}250,0{NBSP}%"


def test_the_official_figures_table_writes_numbers_as_the_chart_does():
    official = pd.DataFrame(
        {
            "stat_id": ["st-a", "st-b"],
            "as_of": [pd.Timestamp("2022-06-01"), pd.Timestamp("2023-01-05")],
            "as_of_precision": ["day", "day"],
            "value": pd.array([1000, 1205], dtype="Int64"),
            "qualifier": ["exact", "approx"],
            "reported_by": ["Prosecutor General's Office", None],
            "source_ids": ["src-a", "src-a"],
            "note": [None, None],
            "location_id": [None, None],
        }
    )
    table = timeline.official_table(official, {}, "People convicted")
    assert table["People convicted"].tolist() == ["1,000", "1,205"]
    assert timeline.official_table(official, {}, "Люди", "ru")["Люди"].tolist() == [f"1{NBSP}000", f"1{NBSP}205"]


def test_an_undated_decisions_empty_date_is_a_dash_not_none(sample_env):
    at = open_page("pages/cases.py", {"lang": ["ru"]})
    people = [df for df in at.dataframe if "Person" in df.value.columns]
    assert people and all(df.proto.placeholder == "—" for df in people)


def test_the_sentence_ranges_fixture_stays_a_variant_of_the_sample():
    ours = (FIXTURES / "sentence_ranges" / "convictions.csv").read_text(encoding="utf-8").splitlines()
    sample = (SAMPLE / "convictions.csv").read_text(encoding="utf-8").splitlines()
    assert len(ours) == len(sample)
    assert sum(a != b for a, b in zip(ours, sample)) == 2


def test_a_download_names_court_and_charges_in_the_readers_language(ds):
    import csv
    import io

    from geo.views import export

    data = export.convictions_file("csv", decision(ds, "cv-2023-02-24-bektanov"), ds.locations, ds.sources, lang="ru")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    cells = dict(zip(header, row))
    assert cells["Название суда"] == "Специализированный межрайонный военный суд"
    assert cells["Обвинения по статьям"] == "ст. 452 ч. 3: Бездействие власти"
    assert header.index("Обвинения по статьям") == header.index("code_articles") + 1
    assert (cells["court_id"], cells["code_articles"]) == ("military-inter-district", "452-3")  # ids as stored
