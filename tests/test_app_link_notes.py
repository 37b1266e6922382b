"""Link values that name nothing, in the dashboard (AppTest on the sample data): each is said on
the page in the reader's language, dropped from the link, and the rest of the link still applies."""

from __future__ import annotations

import re

import pytest

from geo.query.link import MALFORMED, OUT_OF_RANGE, UNKNOWN, NotUnderstood
from geo.views import link_notes

from apptest_support import description, open_page, sample_env  # noqa: F401

pytestmark = pytest.mark.usefixtures("sample_env")

#: (page, the bad parameter and its values, what the page reports); each link also names a city
#: by id, which must still filter the page.
BAD_VALUES = {
    "city": ("pages/map.py", {"city": ["atlantis"]}, NotUnderstood("city", ("atlantis",))),
    "map_city": ("pages/map.py", {"map_city": ["atlantis"]}, NotUnderstood("map_city", ("atlantis",))),
    "tab": ("pages/cases.py", {"tab": ["atlantis"]}, NotUnderstood("tab", ("atlantis",))),
    "person": ("pages/cases.py", {"person": ["nobody"]}, NotUnderstood("person", ("nobody",))),
    "sort": ("pages/cases.py", {"sort": ["bogus"]}, NotUnderstood("sort", ("bogus",))),
    "size": ("pages/map.py", {"size": ["huge"]}, NotUnderstood("size", ("huge",))),
    "page-superscript": ("pages/cases.py", {"page": ["²"]}, NotUnderstood("page", ("²",), MALFORMED, 1)),
    "page-5000-digits": (
        "pages/cases.py",
        {"page": ["1" + "0" * 5000]},
        NotUnderstood("page", ("1" + "0" * 5000,), MALFORMED, 1),
    ),
    "page-negative": ("pages/cases.py", {"page": ["-1"]}, NotUnderstood("page", ("-1",), MALFORMED, 1)),
    "page-past-the-end": ("pages/cases.py", {"page": ["999"]}, NotUnderstood("page", ("999",), OUT_OF_RANGE, 1)),
    "period-word": ("pages/timeline.py", {"period": ["yesterday"]}, NotUnderstood("period", ("yesterday",), MALFORMED)),
    "period-future": (
        "pages/map.py",
        {"period": ["2030-01-01", "2031-01-01"]},
        NotUnderstood("period", ("2030-01-01", "2031-01-01"), OUT_OF_RANGE),
    ),
}


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("case", BAD_VALUES)
def test_each_bad_link_value_is_said_in_the_readers_language(case, lang):
    page, bad, item = BAD_VALUES[case]
    city = {} if "city" in bad else {"city": ["shymkent"]}  # the rest of the link: one city
    at = open_page(page, {**bad, **city, **({"lang": [lang]} if lang != "en" else {})})
    (expected,) = link_notes.sentences(item, lang)
    assert any(expected in w for w in warnings(at)), (expected, warnings(at))
    if lang != "en":
        assert re.search("[\u0400-\u04ff]", expected)
    key = next(iter(bad))
    assert key not in at.query_params  # dropped from the link, like any other value that names nothing
    if city:
        assert at.query_params["city"] == "shymkent"  # the rest of the link still applies
        names = {"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"}
        assert description(at).startswith(names[lang] + ", ")


def test_two_unknown_places_get_a_sentence_each_and_a_known_one_still_filters():
    at = open_page("pages/cases.py", {"city": ["atlantis,almaty,lemuria"]})
    assert description(at).startswith("Almaty, ")
    (note,) = warnings(at)
    assert note.split("  \n") == [
        'No place called "atlantis": it is left out of the filter.',
        'No place called "lemuria": it is left out of the filter.',
    ]


def test_a_note_stays_until_the_reader_changes_that_value():
    at = open_page("pages/cases.py", {"sort": ["bogus"], "person": ["nobody"]})
    assert len(warnings(at)[0].split("  \n")) == 2
    at.selectbox(key="sort").set_value("longest").run()
    (note,) = warnings(at)
    assert note == link_notes.sentences(NotUnderstood("person", ("nobody",), UNKNOWN))[0]


def test_a_link_value_that_looks_like_a_web_address_is_not_a_link():
    value = "www.evil.example https://evil.example/a user@evil.example"
    at = open_page("pages/cases.py", {"tab": [value]})
    (note,) = warnings(at)
    assert "\u2060" in note and not re.search(r"www\.|://|@\w", note.replace("\\", ""))


def test_how_to_cite_keeps_the_language_and_the_filter():
    at = open_page("pages/cases.py", {"lang": ["ru"], "city": ["almaty"]})
    footer = at.main.caption[-1].value
    link = re.search(r"\]\((about\?[^)]*)\)", footer)
    assert link, footer
    assert "lang=ru" in link[1] and "city=almaty" in link[1] and link[1].endswith("#how-to-cite")


def test_a_language_the_page_does_not_have_is_said_and_the_page_falls_back_to_english():
    at = open_page("pages/map.py", {"lang": ["fr"], "city": ["shymkent"]})
    item = NotUnderstood("lang", ("fr",))
    (expected,) = link_notes.sentences(item, "en")
    assert expected == 'The page has no language "fr": it is shown in this one.'
    assert any(expected in w for w in warnings(at)), warnings(at)
    assert "lang" not in at.query_params  # English, the default, leaves the link without one
    assert description(at).startswith("Shymkent, ")
    for lang in ("ru", "kk"):  # a browser in Russian or Kazakh falls back to its language: the note is in it
        (sentence,) = link_notes.sentences(item, lang)
        assert "fr" in sentence and re.search("[\u0400-\u04ff]", sentence), sentence


@pytest.mark.parametrize(
    ("values", "lang", "unknown"),
    [([], None, None), (["ru"], "ru", None), (["KK-kz"], "kk", None), (["fr"], None, ("fr",)), ([" "], None, None)],
)
def test_the_links_language_is_one_the_page_has_or_a_value_that_names_nothing(values, lang, unknown):
    from geo.query.link import language_from_link

    found, item = language_from_link(values)
    assert found == lang
    assert (item.values if item else None) == unknown
