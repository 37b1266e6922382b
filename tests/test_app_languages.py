"""The dashboard in each of its languages, driven headless by AppTest on the sample data:
the switch and the link's ``?lang=``, every page's interface strings from the catalogs, the same
counts in every language. Each page and link is run once for the tests that only read it
(``opened``); a test that switches the language runs its own session."""

from __future__ import annotations

import re

import pytest

from geo import i18n

from apptest_support import PAGES, OpenedPages, description, open_page, opened_sample_pages, sample_env  # noqa: F401

pytestmark = pytest.mark.usefixtures("sample_env")


@pytest.fixture(scope="module")
def opened(opened_sample_pages) -> OpenedPages:
    return opened_sample_pages


OTHER = ("ru", "kk")


def test_the_link_chooses_the_language_and_the_switch_keeps_it_in_the_url():
    at = open_page("pages/map.py", {"lang": ["ru"]})
    switch = at.selectbox(key="lang")
    assert switch.value == "ru" and switch.label == "Язык"
    assert switch.options == list(i18n.LANGUAGES.values())
    assert at.query_params["lang"] in ("ru", ["ru"])
    switch.select("kk").run()
    assert at.selectbox(key="lang").label == "Тіл"
    assert at.query_params["lang"] in ("kk", ["kk"])
    at.selectbox(key="lang").select("en").run()
    assert at.selectbox(key="lang").label == "Language"
    assert "lang" not in at.query_params  # English, the default, is left out of the link


def test_without_a_link_language_the_page_is_in_english(opened):
    at = opened("pages/map.py")
    assert at.selectbox(key="lang").value == "en"
    at = opened("pages/map.py", {"lang": ["fr"]})
    assert at.selectbox(key="lang").value == "en"


class JsonValue(str):
    """A string value inside an element's JSON (column configuration, a chart's or the map's spec):
    among the labels are field names and layer ids, which are not shown."""


def json_values(text: str) -> list[str]:
    """A JSON object's string values, keys left out (a table's column configuration is keyed by its
    columns' ids, which are not shown); any other text as it is."""
    import json

    if not text.startswith("{"):
        return [text]
    try:
        tree = json.loads(text)
    except ValueError:
        return [text]
    values: list[str] = []

    def collect(node) -> None:
        if isinstance(node, dict):
            for child in node.values():
                collect(child)
        elif isinstance(node, list):
            for child in node:
                collect(child)
        elif isinstance(node, str):
            values.append(JsonValue(node))

    collect(tree)
    return values


def interface_strings(at) -> list[str]:
    """Every text field of every element the page sent (labels, help, placeholders, options,
    bodies, column configuration, the map's JSON), sidebar included; table cells (Arrow bytes) are
    data and are left out."""
    from collections.abc import Sequence

    from google.protobuf.message import Message

    found: list[str] = []

    def fields(message: Message) -> None:
        for _field, value in message.ListFields():
            values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
            for item in values:
                if isinstance(item, Message):
                    fields(item)
                elif isinstance(item, str):
                    found.extend(json_values(item))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            fields(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def english_messages(lang: str) -> list[str]:
    """The catalog's English messages that ``lang`` words differently, as they would show: whole
    where they have no placeholder, else their longest literal piece."""
    import string

    from babel.messages import pofile

    with i18n.catalog.catalog_file(lang).open("rb") as f:
        cat = pofile.read_po(f, locale=lang)
    out = []
    for message in cat:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in forms:
                continue
            pieces = [literal for literal, *_ in string.Formatter().parse(msgid)]
            piece = max(pieces, key=len).strip(" :;,.()·")
            if piece == msgid or len(piece) >= 4:  # not "y" of "{count} y"
                out.append(piece)
    return [m for m in out if m]


def left_in_english(texts: list[str], messages: list[str]) -> set[str]:
    """Messages shown in English: a message of three words or more anywhere in a text, a shorter one
    as a whole text (a short word such as "fine" or "appeal" may be in the data's own English), and
    not inside JSON, whose values include field names ("people", "value")."""
    left = set()
    whole = {text for text in texts if not isinstance(text, JsonValue)}
    for message in messages:
        if len(message.split()) >= 3:
            if any(message in text for text in texts):
                left.add(message)
        elif message in whole:
            left.add(message)
    return left


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_has_its_title_and_no_interface_string_left_in_english(opened, page, title, lang):
    at = opened(page, {"lang": [lang]})
    assert not at.exception
    assert [t.value for t in at.title] == [i18n.gettext(title, lang)]
    assert at.title[0].value != title
    assert left_in_english(interface_strings(at), english_messages(lang)) == set()


@pytest.mark.parametrize("page", PAGES)
def test_the_english_check_finds_english(opened, page):
    """The check above finds English where there is some: each page in English is full of it,
    for either language's catalog (one English run per page serves both)."""
    texts = interface_strings(opened(page))
    for lang in OTHER:
        assert len(left_in_english(texts, english_messages(lang))) > 5, lang


def numbers(line: str) -> list[int]:
    """The numbers of a line, however the language groups digits (``1,400``, ``1 400``)."""
    return [int(n) for n in re.findall(r"\d+", re.sub(r"(?<=\d)[,\xa0\u202f](?=\d{3})", "", line))]


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize(
    "query",
    [{}, {"city": ["almaty"]}, {"sentence": ["imprisonment"], "period": ["2022-06-01", "2023-12-31"]}],
    ids=["all", "one-city", "filtered"],
)
def test_the_description_line_states_the_same_counts_in_every_language(opened, query, lang):
    english = description(opened("pages/cases.py", query))
    translated = description(opened("pages/cases.py", {**query, "lang": [lang]}))
    assert translated != english
    # The counts after the colon, in order; the dates before it in the language's order (Kazakh: year first).
    assert numbers(translated.rpartition(": ")[2]) == numbers(english.rpartition(": ")[2])
    assert len(numbers(english.rpartition(": ")[2])) >= 2
    assert sorted(numbers(translated)) == sorted(numbers(english))
    assert re.search("[\u0400-\u04ff]", translated)


def test_a_city_is_named_in_the_readers_language(opened):
    from geo.data.dataset import load_dataset

    from testdata import SAMPLE

    locations = load_dataset(SAMPLE).locations.set_index("location_id")
    almaty = locations.loc["almaty"]
    for lang, name in (("en", almaty["name"]), ("ru", almaty["name_ru"]), ("kk", almaty["name_kk"])):
        query = {"city": ["almaty"]} | ({"lang": [lang]} if lang != "en" else {})
        assert description(opened("pages/map.py", query)).startswith(f"{name}, ")


@pytest.mark.parametrize("lang", OTHER)
def test_the_maps_tooltips_are_in_the_language(opened, lang):
    from apptest_support import deck_json, layer

    tooltips = [
        row["tooltip"] for row in layer(deck_json(opened("pages/map.py", {"lang": [lang]})), "places")["data"]
    ]  # the pick areas carry what a tooltip shows
    english = [row["tooltip"] for row in layer(deck_json(opened("pages/map.py")), "places")["data"]]
    assert len(tooltips) == len(english) > 0
    for translated, original in zip(tooltips, english):
        assert translated != original
        assert re.search("[\u0400-\u04ff]", translated.split("\n")[1])  # the counts line
        assert numbers(translated.split("\n")[1]) == numbers(original.split("\n")[1])
