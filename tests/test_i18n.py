"""The interface's catalogs (geo.i18n): complete, faithful to their placeholders, compilable, current
with the code; plurals, dates and numbers by the language's rules; the language a reader gets."""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import shutil
import string
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from babel.messages import mofile, pofile
from babel.messages.frontend import CommandLineInterface

from geo import i18n
from geo.i18n import catalog, enums
from geo.views import case_tables, descriptions, formats, place_labels, reader_text, timeline

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ru", "kk")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
PERCENT = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def read(path: Path, lang: str | None = None):
    with path.open("rb") as f:
        return pofile.read_po(f, locale=lang)


def messages(cat) -> dict:
    """(context, msgid) -> message, for every message but the header."""
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in cat if m.id}


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields and ``%(name)s``/``%d`` specifiers of a message, sorted."""
    braces = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    percents = [f"%({m.group(1)})" if m.group(1) is not None else m.group(0) for m in PERCENT.finditer(text)]
    return sorted(braces + percents)


@pytest.fixture(scope="module")
def template() -> dict:
    return messages(read(catalog.TEMPLATE))


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_code_is_translated(template, lang):
    cat = read(catalog.catalog_file(lang), lang)
    translated = messages(cat)
    assert set(translated) == set(template), "run `make catalogs` and translate what it adds"
    for key, message in translated.items():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy, f"{lang}: {key} is fuzzy: check it against its msgid and the glossary"
        assert all(form.strip() for form in forms), f"{lang}: {key} has no translation"
        if isinstance(message.id, tuple):
            assert len(forms) == cat.num_plurals, f"{lang}: {key} needs {cat.num_plurals} plural forms"
        assert all(CYRILLIC.search(form) for form in forms), f"{lang}: {key} left in English: {forms}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_their_placeholders(lang):
    for key, message in messages(read(catalog.catalog_file(lang), lang)).items():
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert placeholders(form) == placeholders(source), f"{lang}: {key}: {form!r} against {source!r}"


def test_placeholders_are_read_as_the_code_fills_them():
    assert placeholders("{count} решений суда в {city}") == ["{city}", "{count}"]
    assert placeholders("%(count)d of %(total)s, %d%% left") == ["%(count)", "%(total)", "%d"]
    assert placeholders("5 решений суда") != placeholders("{count} court decisions")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_compile(lang, tmp_path):
    po = catalog.catalog_file(lang)
    cat = read(po, lang)
    problems = [(m.id, errors) for m, errors in cat.check()]
    assert not problems
    mo = tmp_path / "messages.mo"
    mo.write_bytes(catalog.compile_po(po))
    compiled = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    context, singular, plural = enums.COUNTS["decisions"]
    assert compiled.npgettext(context, singular, plural, 5) == messages(cat)[(context, singular)].string[-1]


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_pass_msgfmt_check(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed (apt-get install gettext); Babel's check ran above")
    run = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "messages.mo"), str(catalog.catalog_file(lang))],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def test_template_is_current_with_the_code(template, tmp_path):
    """Extract the messages again, as `make catalogs` does: a message in the code that the committed
    template lacks (or one it keeps after the code dropped it) fails here."""
    fresh = tmp_path / "messages.pot"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(fresh), "."])
    finally:
        os.chdir(cwd)
    extracted = messages(read(fresh))
    assert set(extracted) == set(template), "run `make catalogs`"
    for key, message in extracted.items():
        assert message.id == template[key].id, f"{key}: plural changed; run `make catalogs`"
    assert ("sentence_type", "imprisonment") in extracted  # the markers of geo.i18n.enums are read


def test_russian_plurals_pick_the_form_for_each_count():
    said = {n: i18n.count_text("decisions", n, "ru") for n in (1, 2, 5, 11, 12, 21, 22, 25, 111, 1400)}
    assert said == {
        1: "1 решение суда",
        2: "2 решения суда",
        5: "5 решений суда",
        11: "11 решений суда",
        12: "12 решений суда",
        21: "21 решение суда",
        22: "22 решения суда",
        25: "25 решений суда",
        111: "111 решений суда",
        1400: "1\xa0400 решений суда",
    }
    assert [i18n.count_text("people", n, "ru") for n in (1, 3, 5)] == ["1 человек", "3 человека", "5 человек"]


def test_kazakh_and_english_plurals():
    assert [i18n.count_text("decisions", n, "kk") for n in (1, 2, 21)] == [
        "1 сот шешімі",
        "2 сот шешімі",
        "21 сот шешімі",
    ]
    assert [i18n.count_text("people", n, "en") for n in (1, 2, 1400)] == ["1 person", "2 people", "1,400 people"]


def test_dates_months_and_numbers_follow_the_locale():
    day = date(2024, 6, 11)
    assert [i18n.format_day(day, lang) for lang in i18n.LANGUAGES] == [
        "11 Jun 2024",
        "11 июня 2024",
        "2024 ж. 11 маусым",
    ]
    assert i18n.format_day(day, "en") == formats.day_text(day)  # the English pages keep their dates
    month = date(2023, 4, 1)
    assert [i18n.format_month(month, lang) for lang in i18n.LANGUAGES] == ["Apr 2023", "апрель 2023", "2023 ж. сәуір"]
    assert i18n.month_names("ru")[0] == "январь" and i18n.month_names("kk")[0] == "Қаңтар"
    assert [i18n.format_number(1400, lang) for lang in i18n.LANGUAGES] == ["1,400", "1\xa0400", "1\xa0400"]
    assert [i18n.format_percent(0.08, lang) for lang in i18n.LANGUAGES] == ["8%", "8\xa0%", "8%"]
    assert i18n.translation("ru").day(day) == "11 июня 2024"


def test_every_enum_value_of_the_data_has_a_label():
    """Each enum of data/datapackage.json that a page shows is in a vocabulary, so in the catalogs."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    seen = 0
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            values = field.get("constraints", {}).get("enum")
            if values is None:
                continue
            assert field["name"] in enums.FIELDS, f"{resource['name']}.{field['name']}: no vocabulary"
            vocabulary = enums.ENUMS[enums.FIELDS[field["name"]]]
            assert set(values) <= set(vocabulary), f"{resource['name']}.{field['name']}"
            seen += 1
    assert seen >= 10


def test_enum_labels_in_each_language():
    assert [i18n.enum_label("imprisonment", lang) for lang in i18n.LANGUAGES] == [
        "imprisonment",
        "лишение свободы",
        "бас бостандығынан айыру",
    ]
    # one value, one word in English, a different one per field in Russian
    assert i18n.enum_label("other", "ru", "sentence_type") == "другое наказание"
    assert i18n.enum_label("other", "ru", "outcome") == "иное решение"
    assert i18n.enum_label("unknown", "kk", "defendant_role") == "рөлі көрсетілмеген"
    assert i18n.enum_label("posthumous", "ru", "outcome") == "посмертный обвинительный приговор"
    assert i18n.enum_label("new_value", "ru", "outcome") == "new value"  # not in the vocabulary: shown as it is


def test_english_enum_labels_are_the_pages_labels():
    """The lead can swap formats.label for enum_label without changing an English page."""
    for field, vocabulary in enums.ENUMS.items():
        if field in ("role_group", "date_precision", "location_precision", "metric"):
            continue  # labels of their own in geo.views (below, and court_city's "(region only)")
        for value in vocabulary:
            if (field, value) == ("role", "unknown"):
                continue  # formats.label says "type not stated" for a role; enum_label says "role not stated"
            assert i18n.enum_label(value, "en", field) == formats.label(value), (field, value)
    for value, text in descriptions.ROLE_PLURALS.items():
        assert i18n.enum_label(value, "en", "role_group") == text
    for value, text in formats.PRECISION_LABELS.items():
        assert i18n.enum_label(value, "en", "date_precision") == text
    for value in enums.METRICS:
        assert i18n.enum_label(value, "en", "metric") == timeline.metric_label(value)


def test_every_metric_of_the_official_figures_has_a_label():
    import pandas as pd

    metrics = set(pd.read_csv(ROOT / "data" / "official_stats.csv", usecols=["metric"])["metric"])
    assert metrics <= set(enums.METRICS), "label the new metric in geo/i18n/enums.py, then `make catalogs`"
    assert i18n.enum_label("people_convicted", "ru", "metric") == "Осуждённые"
    assert i18n.enum_label("people_in_pretrial_detention", "kk", "metric") == "Қамауда отырғандар"


def test_the_link_then_the_browser_then_english_choose_the_language():
    assert i18n.choose_language("ru", "kk-KZ") == "ru"
    assert i18n.choose_language("KK", None) == "kk"
    assert i18n.choose_language(None, "kk-KZ") == "kk"
    assert i18n.choose_language("", "ru_RU") == "ru"
    assert i18n.choose_language("fr", "de-DE") == "en"
    assert i18n.choose_language(["ru"], 42) == "en"  # not a tag at all
    with pytest.raises(ValueError, match="no catalog"):
        i18n.translation("fr")


def test_language_switch_strings_are_translated():
    assert [i18n.gettext(i18n.languages.LANGUAGE_LABEL, lang) for lang in i18n.LANGUAGES] == ["Language", "Язык", "Тіл"]


def test_columns_in_the_readers_language():
    assert i18n.place_name("Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен", "kk") == "Өскемен"
    assert i18n.place_name("Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен", "ru") == "Усть-Каменогорск"
    assert i18n.place_name("Kaskelen", None, float("nan"), "kk") == "Kaskelen"
    assert i18n.person_name("Zhanbolat Mamay", "Жанболат Мамай", "kk") == "Жанболат Мамай"
    assert i18n.person_name("Zhanbolat Mamay", "", "ru") == "Zhanbolat Mamay"
    assert i18n.person_name("Zhanbolat Mamay", "Жанболат Мамай", "en") == "Zhanbolat Mamay"


def test_a_summary_says_which_language_it_is_in_when_it_falls_back():
    assert i18n.summary_text("In English.", "По-русски.", "en") == ("In English.", None)
    assert i18n.summary_text("In English.", "По-русски.", "ru") == ("По-русски.", None)
    text, note = i18n.summary_text("In English.", "По-русски.", "kk")
    assert text == "По-русски." and note == "Бұл сипаттама орыс тілінде: қазақ тілінде әзірге жоқ."
    text, note = i18n.summary_text("In English.", None, "ru")
    assert text == "In English." and note == "Это описание на английском: на русском его пока нет."
    assert i18n.summary_text(None, None, "kk") == ("", None)


def test_a_stale_or_missing_mo_gives_way_to_its_po(tmp_path, monkeypatch):
    """A fresh clone has no .mo, and a .po edited after the last build is newer than its .mo: the
    .po is compiled at start in both cases, so a page never shows an old translation."""
    po = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shutil.copy(catalog.catalog_file("ru"), po)
    monkeypatch.setattr(catalog, "LOCALE_DIR", tmp_path)
    catalog._catalog.cache_clear()
    try:
        assert catalog._catalog("ru").gettext("Language") == "Язык"  # no .mo at all
        cat = read(po, "ru")
        cat.get("Language").string = "Язык (из .mo)"
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            mofile.write_mo(f, cat)
        os.utime(mo, (po.stat().st_mtime - 60,) * 2)
        catalog._catalog.cache_clear()
        assert catalog._catalog("ru").gettext("Language") == "Язык"  # the .mo is older than the .po
        os.utime(mo, (po.stat().st_mtime + 60,) * 2)
        catalog._catalog.cache_clear()
        assert catalog._catalog("ru").gettext("Language") == "Язык (из .mo)"  # a current .mo is read
    finally:
        catalog._catalog.cache_clear()


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogs_use_the_glossarys_terms(lang):
    """A glossary row whose English is a message of the catalogs gives that message's translation."""
    column = {"ru": 1, "kk": 2}[lang]
    translations: dict[str, set[str]] = {}
    for (_, msgid), message in messages(read(catalog.catalog_file(lang), lang)).items():
        translations.setdefault(msgid, set()).add(message.string if isinstance(message.string, str) else "")
    checked = 0
    for line in (catalog.LOCALE_DIR.parent / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] not in translations:
            continue
        assert cells[column] in translations[cells[0]], (
            f"{lang}: {cells[0]!r} is {translations[cells[0]]} in the catalog"
        )
        checked += 1
    assert checked >= 40


def people(total: int, convicted: int = 0, acquitted: int = 0, posthumous: int = 0) -> dict[str, int]:
    return {"total": total, "convicted": convicted, "acquitted": acquitted, "posthumous": posthumous}


def test_the_description_line_takes_the_languages_plural_forms():
    from geo.query.filters import Filters

    names = {"almaty": "Алматы", "shymkent": "Шымкент"}
    f = Filters(start=date(2022, 6, 1), end=date(2022, 7, 31), cities=("almaty", "shymkent"))
    said = {n: descriptions.describe(f, names, n, people(n, convicted=n), lang="ru") for n in (1, 2, 5)}
    assert said == {
        1: "Алматы и Шымкент, 1 июня 2022 – 31 июля 2022: 1 решение суда, 1 человек (1 осуждённый)",
        2: "Алматы и Шымкент, 1 июня 2022 – 31 июля 2022: 2 решения суда, 2 человека (2 осуждённых)",
        5: "Алматы и Шымкент, 1 июня 2022 – 31 июля 2022: 5 решений суда, 5 человек (5 осуждённых)",
    }
    kazakh = descriptions.describe(
        Filters(roles=("protester", "journalist")), {}, 21, people(4, convicted=3, acquitted=1), lang="kk"
    )
    assert kazakh == (
        "Барлық қалалар, наразылық білдірушілер немесе журналистер: 21 сот шешімі, 4 адам (3 сотталған, 1 ақталған)"
    )
    # English as it was
    assert descriptions.describe(f, {"almaty": "Almaty", "shymkent": "Shymkent"}, 2, people(3, 2, 1)) == (
        "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 3 people (2 convicted, 1 acquitted)"
    )


def test_sentences_and_dates_in_each_language():
    assert [formats.format_sentence(66, 66, lang) for lang in i18n.LANGUAGES] == [
        "5 y 6 m",
        "5 лет 6 месяцев",
        "5 жыл 6 ай",
    ]
    assert formats.format_sentence(12, 25, "ru") == "1 год – 2 года 1 месяц"
    assert formats.format_sentence(None, 3, "ru") == "максимум 3 месяца"
    assert formats.format_sentence(24, None, "kk") == "кемінде 2 жыл"
    assert formats.format_sentence(None, None, "ru") == "не указано"
    assert formats.format_date(date(2023, 4, 1), "month", "ru") == "апрель 2023 (только месяц)"
    assert formats.format_date(date(2023, 1, 1), "year", "kk") == "2023 (тек жыл)"
    assert formats.format_date(date(2023, 4, 3), "week", "ru") == "неделя с 3 апреля 2023"
    assert formats.format_date(date(2023, 4, 1), "month") == "Apr 2023 (month)"


def test_city_and_person_labels_put_the_readers_script_first():
    assert place_labels.city_label("Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен", "kk") == (
        "Өскемен · Ust-Kamenogorsk · Усть-Каменогорск"
    )
    assert place_labels.city_label("Almaty", "Алматы", "Алматы", "ru") == "Алматы · Almaty"
    assert place_labels.city_label("Almaty", "Алматы", "Алматы") == "Almaty · Алматы"


def test_a_decisions_details_give_the_russian_summary_and_say_when_it_falls_back():
    from types import SimpleNamespace

    import pandas as pd

    row = SimpleNamespace(
        case_id="c-1",
        verdict_date=pd.Timestamp("2023-04-24"),
        date_precision="day",
        location_id=None,
        location_precision=None,
        instance="first",
        outcome="convicted",
        summary="In English.",
        summary_ru="По-русски.",
        court=None,
        charges=None,
        code_articles=None,
        sentence_type="imprisonment",
        sentence_months_min=60,
        sentence_months_max=60,
        source_ids=None,
    )
    sources = pd.DataFrame(columns=["source_id", "title", "url", "publisher", "published", "published_precision"])
    locations = pd.DataFrame(columns=["location_id", "name", "name_ru", "name_kk"])
    russian = case_tables.decision_markdown(row, locations, sources, "ru")
    assert "По\\-русски." not in russian and "По-русски." in russian and "In English" not in russian
    assert "первая инстанция: обвинительный приговор" in russian and "лишение свободы, 5 лет" in russian
    kazakh = case_tables.decision_markdown(row, locations, sources, "kk")
    note = reader_text.escape_markdown("Бұл сипаттама орыс тілінде: қазақ тілінде әзірге жоқ.")
    assert "По-русски." in kazakh and f"*{note}*" in kazakh
    row.summary_ru = None
    assert "Это описание на английском" in case_tables.decision_markdown(row, locations, sources, "ru")
    assert "In English." in case_tables.decision_markdown(row, locations, sources, "en")


def test_the_charts_time_axes_name_months_and_days_in_the_readers_language():
    import pandas as pd

    from geo.i18n.formats import vega_time_locale
    from geo.views.charts import monthly_bars

    assert vega_time_locale("en")["days"][0] == "Sunday" and vega_time_locale("en")["shortMonths"][0] == "Jan"
    ru = vega_time_locale("ru")
    assert ru["days"][:2] == ["воскресенье", "понедельник"]  # d3 weeks start on Sunday
    assert ru["months"][0] == "январь" and ru["months"][11] == "декабрь"  # the nominative, as an axis names a month
    assert vega_time_locale("kk")["months"][0] == "Қаңтар"  # CLDR capitalises the stand-alone Kazakh month
    frame = pd.DataFrame({"Месяц": pd.to_datetime(["2022-01-01", "2022-02-01"]), "Решения": [3, 1]})
    spec = monthly_bars(frame, "Месяц", "Решения", "#ff4b4b", 200, "ru").to_dict()
    assert spec["config"]["locale"]["time"]["shortMonths"][0] == "янв."
    assert spec["encoding"]["x"]["field"] == "Месяц" and spec["encoding"]["y"]["title"] == "Решения"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_what_a_screen_reader_says_of_a_chart_is_in_the_readers_language(lang):
    import pandas as pd

    from geo.views.charts import DESCRIPTION, dated_descriptions, key_description, monthly_bars

    frame = pd.DataFrame({"Месяц": pd.to_datetime(["2022-01-01", "2022-02-01"]), "Решения": [1400, 1]})
    spec = monthly_bars(frame, "Месяц", "Решения", "#ff4b4b", 200, lang).to_dict()
    (rows,) = spec["datasets"].values()
    assert spec["encoding"]["description"]["field"] == DESCRIPTION  # each bar's own, not Vega's English one
    january = i18n.format_month(date(2022, 1, 1), lang)
    assert rows[0][DESCRIPTION] == f"{january}: 1\xa0400"  # Babel's month and digit grouping
    words = [spec["description"], spec["mark"]["ariaRoleDescription"]]
    words += [spec["encoding"][axis]["axis"]["description"] for axis in ("x", "y")]
    assert all(CYRILLIC.search(w) for w in words), words  # the chart, its marks and axes in the reader's words
    assert i18n.format_month(date(2022, 2, 1), lang) in spec["description"]
    assert spec["config"]["locale"]["number"]["thousands"] == "\xa0"  # Vega's own numbers grouped as Babel does
    assert CYRILLIC.search(key_description(["a", "b"], lang))
    (point,) = dated_descriptions([pd.Timestamp("2023-01-05")], ["x"], [np.int64(1200)], lang)
    assert point == f"{i18n.format_day(date(2023, 1, 5), lang)}, x: 1\xa0200"


def test_streamlits_widgets_show_days_as_each_language_writes_them():
    from geo.i18n.formats import WIDGET_DAY_FORMATS, widget_day_format

    assert set(WIDGET_DAY_FORMATS) == set(i18n.LANGUAGES)
    assert (
        widget_day_format("en") == "D MMM YYYY" and widget_day_format("ru") == widget_day_format("kk") == "DD.MM.YYYY"
    )


def test_a_number_formats_as_babel_does_whatever_it_was_formatted_as_before():
    from babel.numbers import format_decimal

    # the formatter remembers its answers: 2.5 after 2, or a numpy count after a float, must not get another's
    for n in [2, 2.5, 2.0, np.int64(1400), 1400.25, 1400, -3, 0.125]:
        for lang in i18n.LANGUAGES:
            assert i18n.format_number(n, lang) == format_decimal(n, locale=lang), (n, lang)
