"""People as entities: who a person_id is (people.csv), names in both scripts, search across them."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from geo.data.dataset import load_dataset
from geo.data.validate import validate_dir
from geo.people.script import name_key, to_cyrillic, to_latin
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import case_tables, export, file_headers, people_tables, person_names
from geo.views.person_names import person_label

from apptest_support import downloads, open_page, table  # noqa: F401
from testdata import BROKEN, MINIMAL, SHIPPED, copy_dataset

# --- validation: an id is one person ------------------------------------------------------------


def problems(case: str, tmp_path) -> list[str]:
    return [str(p) for p in validate_dir(copy_dataset(MINIMAL, tmp_path / case, overlay=BROKEN / case)).sorted()]


def test_an_id_given_to_another_person_fails_at_its_row(tmp_path):
    found = problems("person_id_of_another_person", tmp_path)
    assert found == [
        "defendants.csv:3:name: 'C Person' is not a name of person_id person-b in people.csv (person-b is "
        "B Person, Б Персон): another person given this id, or a spelling to add to its spellings?"
    ]  # and line 4, "C Persson", is a recorded spelling of person-c: no problem


def test_one_id_under_two_names_fails_in_both_scripts(tmp_path):
    found = problems("one_id_two_names", tmp_path)
    assert [p.split(": '")[0] for p in found] == ["defendants.csv:3:name", "defendants.csv:3:name_ru"]
    assert "'Д Другой' is not a name of person_id person-a" in found[1]


def test_an_unknown_person_id_fails(tmp_path):
    assert problems("unknown_person", tmp_path) == [
        "defendants.csv:2:person_id: unknown person_id 'person-z' (not in people.csv)"
    ]


def test_a_spelling_variant_stays_one_person(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "d", overlay=BROKEN / "person_id_of_another_person")
    rows = (
        (directory / "defendants.csv")
        .read_text(encoding="utf-8")
        .replace("cv-a,person-b,C Person,", "cv-a,person-b,b  PERSON,")
    )  # case and spaces aside, the recorded name
    (directory / "defendants.csv").write_text(rows, encoding="utf-8")
    assert validate_dir(directory).ok


def test_a_named_row_needs_a_name_its_person_has(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "d", overlay=BROKEN / "unknown_person")
    text = (directory / "defendants.csv").read_text(encoding="utf-8")
    (directory / "defendants.csv").write_text(text.replace("person-z,Z Person,", "person-a,,"), encoding="utf-8")
    assert [str(p) for p in validate_dir(directory).errors] == [
        "defendants.csv:2:name: no name, but people.csv names person-a (A Person, А Персон): is the person_id right?"
    ]


# --- the shipped people.csv -------------------------------------------------------------------


def shipped_people() -> list[dict[str, str]]:
    with open(SHIPPED / "people.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_named_person_has_both_scripts_and_every_defendant_a_person():
    people = shipped_people()
    named = [p for p in people if not p["person_id"].startswith("group-")]
    assert named and all(p["name"] and p["name_ru"] for p in named)
    assert all(not p["name"] and not p["name_ru"] for p in people if p["person_id"].startswith("group-"))
    ids = {p["person_id"] for p in people}
    with open(SHIPPED / "defendants.csv", encoding="utf-8", newline="") as fh:
        assert {r["person_id"] for r in csv.DictReader(fh)} == ids  # none unused either


#: Pairs of the data whose Cyrillic cannot be read back from the Latin by the rule: a soft sign
#: (Джумагельдиев) and a name the Russian sources write as one word (Жанайдар).
NOT_READ_BACK = {"dzhumageldiev-arman", "karmenov-zhan-aidar"}


@pytest.mark.parametrize("person", shipped_people(), ids=lambda p: p["person_id"])
def test_transliteration_agrees_with_the_pairs_of_the_data(person):
    latin, cyrillic = person["name"], person["name_ru"]
    if not latin:
        return
    # Both scripts of a name share one key, whichever came from a source.
    assert name_key(latin).replace(" ", "") == name_key(cyrillic).replace(" ", "")
    if person["transliterated"] == "name_ru":
        assert cyrillic == to_cyrillic(latin)  # made by the stated rule
    elif person["person_id"] not in NOT_READ_BACK:
        assert to_cyrillic(latin) == cyrillic  # the rule reads back what the sources write


@pytest.mark.parametrize(
    "cyrillic, latin",
    [
        ("Ергожин", "Yergozhin"),
        ("Исаев", "Isayev"),
        ("Опушиев", "Opushiyev"),
        ("Махатов", "Makhatov"),
        ("Жуман", "Zhuman"),
        ("Ляззат", "Lyazzat"),
    ],
)
def test_cyrillic_is_romanised_as_the_english_press_does(cyrillic, latin):
    assert to_latin(cyrillic) == latin


def test_spellings_of_one_name_share_a_key():
    assert len({name_key(n) for n in ("Massimov", "Masimov", "масимов", "МАСИМОВ")}) == 1
    assert len({name_key(n) for n in ("Isaev", "Isayev", "Исаев")}) == 1
    assert len({name_key(n) for n in ("Jumageldiev", "Dzhumageldiyev", "Джумагельдиев", "Zhumageldiev")}) == 1
    assert name_key("Sabitov") != name_key("Sultanbekov")


# --- names in the reader's script ---------------------------------------------------------------


def test_one_label_puts_the_readers_script_first():
    assert person_label("Karim Masimov", "Карим Масимов", "en") == "Karim Masimov · Карим Масимов"
    assert person_label("Karim Masimov", "Карим Масимов", "ru") == "Карим Масимов · Karim Masimov"
    assert person_label("Karim Masimov", "Карим Масимов", "kk", beside=False) == "Карим Масимов"
    assert person_label("Toktash", None, "ru") == "Toktash"
    assert person_label(None, None, "kk") == ""


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_russian_and_kazakh_tables_and_files_name_people_in_cyrillic_first(shipped, lang):
    rows = shipped.convictions[shipped.convictions["case_id"] == "cv-2023-04-24-masimov"]
    shown = case_tables.cases_table(rows, shipped.locations, shipped.sources, lang=lang)
    assert shown["Names"].iloc[0][:2] == ["Карим Масимов", "Ануар Садыкулов"]
    filed = export.download_rows(rows, shipped.locations, shipped.sources, lang)
    names = filed[file_headers.file_header("Names", lang)].iloc[0]
    assert names.startswith("Карим Масимов · Karim Masimov; Ануар Садыкулов · Anuar Sadykulov")
    # a person no source spells in Cyrillic still reads in Cyrillic (transliterated, people.csv)
    sabitov = shipped.defendants[shipped.defendants["person_id"] == "sabitov-aibek"]
    people = people_tables.people_table(sabitov, shipped.locations, shipped.sources, lang)
    assert people["Name"].tolist() == ["Айбек Сабитов · Aibek Sabitov"]


def test_english_tables_name_people_in_latin_first(shipped):
    rows = shipped.convictions[shipped.convictions["case_id"] == "cv-2023-04-24-masimov"]
    assert case_tables.cases_table(rows, shipped.locations, shipped.sources)["Names"].iloc[0][0] == "Karim Masimov"
    filed = export.download_rows(rows, shipped.locations, shipped.sources)
    assert filed[file_headers.file_header("Names")].iloc[0].startswith("Karim Masimov · Карим Масимов;")


# --- search across scripts ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(shipped):
    return DatasetIndex.build(shipped)


def found(index, query: str, lang: str = "en") -> set[str]:
    view = index.view(lang=lang)
    return set(view.rows(view.search(query).decisions)["case_id"])


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_name_in_either_script_or_spelling_finds_the_same_person(index, lang):
    sabitov = found(index, "Sabitov", lang)
    assert sabitov and found(index, "Сабитов", lang) == sabitov == found(index, "Sabytov", lang)
    assert found(index, "Masimov", lang) == found(index, "масимов", lang) >= {"cv-2023-04-24-masimov"}
    # his own decision, and Isayev's, whose summary writes "Kudaibergenov" (one matching for names and text)
    assert found(index, "Кудайбергенов", lang) == {"cv-2022-11-kudaibergenov", "cv-2023-02-isayev"}
    assert found(index, "Исаев", lang) == found(index, "Isayev", lang) == {"cv-2023-02-isayev"}
    assert found(index, "Tleuzhanova", lang) == found(index, "Тлеужан", lang) == found(index, "Tleuzhan", lang)
    view = index.view(lang=lang)
    assert view.search("Сабитов").people == ("sabitov-aibek",) and not view.search("Сабитов").near


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_any_spelling_of_a_name_finds_the_decisions_whose_text_writes_another(index, lang):
    # Kudebaev's decision names Masimov in its note only ("Masimov"), not as a defendant
    massimov = found(index, "Massimov", lang)
    assert massimov == found(index, "масимов", lang) == found(index, "Masimov", lang)
    assert {"cv-2023-04-24-masimov", "cv-2023-04-28-kudebaev"} <= massimov


def test_names_and_text_are_compared_by_one_key():
    from geo.query.search import search_key

    assert search_key("Massimov") == search_key("масимов") == search_key("Masimov") == "masimov"
    assert search_key("Masimov") in search_key("приговор Кариму Масимову оставлен в силе")
    assert search_key("Zhanaidar") in search_key("Zhan-Aidar Orynbasar")


@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", 'No name or text holds "Жуманов". Showing results for Arman Zhuman.'),
        ("ru", "Арман Жуман"),
        ("kk", "Арман Жуман"),
    ],
)
def test_a_misspelt_name_finds_the_nearest_person_and_says_so(index, lang, line):
    view = index.view(lang=lang)
    search = view.search("Жуманов")
    assert search.near and search.people == ("zhuman-arman",)
    assert found(index, "Жуманов", lang) == found(index, "Zhuman", lang)
    said = person_names.showing_results_for("Жуманов", search.names(index), lang)
    assert line in said and "Жуманов" in said
    if lang != "en":
        assert "Showing results" not in said  # translated
    assert not view.search("Qwertyuiop").decisions.any()  # nothing near: nothing shown


def test_the_search_narrows_the_people_table_and_names_the_download(monkeypatch, downloads):
    monkeypatch.setenv("GEO_DATA_DIR", str(SHIPPED))
    at = open_page("pages/cases.py", {"who": ["масимов"], "lang": ["ru"]})
    decisions = set(table(at)["Case"])
    assert "cv-2023-04-24-masimov" in decisions
    people = table(at, 1)
    assert set(people["Case"]) <= decisions and "masimov-karim" in set(people["Person"])
    everyone = open_page("pages/cases.py", {"lang": ["ru"]})
    assert len(table(everyone, 1)) > len(people)
    assert "_search-masimov_" in downloads.of(at.download_button(key="download_csv_all")).file_name
    about = downloads.of(at.download_button(key="download_xlsx_all"))
    assert about.file_name.startswith("convictions_all-cities_search-masimov_")


def test_a_misspelt_search_shows_the_line_in_the_readers_language(monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(SHIPPED))
    at = open_page("pages/cases.py", {"who": ["Жуманов"], "lang": ["kk"]})
    assert set(table(at)["Case"]) == found(DatasetIndex.build(load_dataset(SHIPPED)), "Zhuman")
    assert any("Арман Жуман" in i.value and "Жуманов" in i.value for i in at.info)


def test_a_download_names_its_search_in_latin_letters():
    span = (date(2022, 1, 1), date(2025, 12, 31))
    name = export.export_filename("convictions", Filters(), "csv", span, "1.0.0", search="масимов")
    assert name == "convictions_all-cities_search-masimov_2022-01-01_2025-12-31_v1.0.0.csv"
    assert export.export_filename("convictions", Filters(), "csv", span, "1.0.0") == (
        "convictions_all-cities_2022-01-01_2025-12-31_v1.0.0.csv"
    )


def test_a_download_of_a_near_search_says_whose_results_it_holds():
    note = file_headers.download_rows_note(None, False, "Жуманов", "en", [("Arman Zhuman", "Арман Жуман")])
    assert note == (
        'Only the decisions that the search "Жуманов" finds. '
        'No name or text holds "Жуманов". Showing results for Arman Zhuman.'
    )
