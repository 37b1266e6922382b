"""Text from the data or a link as a reader sees it (geo.views.reader_text), and a link's values
read into a view's start (geo.query.link): what names nothing is reported, never raised."""

from __future__ import annotations

import re
from datetime import date

import pytest

from geo.query.link import MALFORMED, OUT_OF_RANGE, choices_from_link, page_from_link, period_from_link
from geo.views import link_notes
from geo.views.reader_text import FSI, PDI, WORD_JOINER, isolated, markdown_text, plain_text

#: What GFM (remark-gfm, as Streamlit renders Markdown) turns into a link in the text that remains
#: after backslash escapes are resolved.
AUTOLINK = re.compile(r"(?i)www\.|[a-z]://|[\w.+-]@[\w-]")
HOSTILE = "www.evil.example https://evil.example/a user@evil.example mailto:x@y.z WWW.EVIL.EXAMPLE"


def unescaped(markdown: str) -> str:
    """The text Markdown leaves of ``markdown``: backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_markdown_text_leaves_nothing_gfm_would_autolink():
    shown = unescaped(markdown_text(HOSTILE))
    assert AUTOLINK.search(unescaped(HOSTILE))  # the check finds them where they are
    assert not AUTOLINK.search(shown), shown
    assert shown.replace(WORD_JOINER, "") == HOSTILE  # the same characters, nothing else changed


def test_markdown_text_escapes_markdown_and_html():
    shown = markdown_text('=HYPERLINK("http://evil.example","click") [x](javascript:y) <b>')
    assert "\\[x\\]\\(javascript\\:y\\)" in shown and "\\<b\\>" in shown
    assert not AUTOLINK.search(unescaped(shown))


@pytest.mark.parametrize(
    "value",
    [
        "Alma\u202eyt",  # an override that would reverse what follows
        "\u2067abc",  # an isolate left open
        "a\u2069\u202eb",  # a stray pop that would close the wrapper early, then an override
        "\u202a\u202b\u202c\u202d",
        "שלום",  # right-to-left letters alone
    ],
)
def test_isolated_keeps_bidi_text_inside_its_own_isolate(value):
    shown = isolated(value)
    assert shown.startswith(FSI) and shown.endswith(PDI)
    depth = 0
    for i, c in enumerate(shown):
        depth += c in "\u2066\u2067\u2068"
        depth -= c == PDI
        assert depth >= 1 or i == len(shown) - 1, (value, i)  # the wrapper is closed only by its own PDI
    assert depth == 0
    assert plain_text(value) == shown and FSI in markdown_text(value)


def test_left_to_right_text_is_left_as_it_is():
    for value in ("Almaty", "Алматы", "Ust-Kamenogorsk 1.5", ""):
        assert isolated(value) == value


@pytest.mark.parametrize("value", ["²", "1" + "0" * 5000, "-1", "0", "1.5", "３", " "])
def test_a_page_that_is_not_a_page_number_is_reported_not_raised(value):
    page, note = page_from_link([value], pages=3)
    assert page == 1 and note is not None and note.reason == MALFORMED and note.values == (value,)


def test_a_page_past_the_end_is_the_last_page_and_reported():
    assert page_from_link(["999"], pages=3)[0] == 3
    assert page_from_link(["999"], pages=3)[1].reason == OUT_OF_RANGE
    assert page_from_link(["2"], pages=3) == (2, None)
    assert page_from_link([], pages=3) == (1, None)


BOUNDS = (date(2022, 1, 1), date(2024, 6, 11))


@pytest.mark.parametrize(
    "values, reason",
    [(["yesterday"], MALFORMED), (["2022-06-01"], MALFORMED), (["2030-01-01", "2031-01-01"], OUT_OF_RANGE)],
)
def test_a_period_that_names_no_dates_of_the_record_is_reported(values, reason):
    period, note = period_from_link(values, BOUNDS)
    assert period is None and note.reason == reason and note.values == tuple(values)


def test_a_period_partly_inside_is_clamped_without_a_note():
    assert period_from_link(["2021-01-01", "2022-02-01"], BOUNDS) == ((BOUNDS[0], date(2022, 2, 1)), None)


def test_choices_keep_what_they_name_and_report_the_rest():
    found, note = choices_from_link("sort", ["bogus", "LONGEST", "newest"], ["newest", "longest"], str.upper)
    assert found == ["longest", "newest"] and note.values == ("bogus",)


def test_each_value_gets_its_sentence_with_the_value_disarmed():
    from geo.query.link import NotUnderstood

    (line,) = link_notes.sentences(NotUnderstood("tab", (HOSTILE,)), "en")
    assert line.startswith('No place called "') and line.endswith('": showing all cities.')
    assert not AUTOLINK.search(unescaped(line))
    lines = link_notes.sentences(NotUnderstood("city", ("atlantis", "lemuria")), "ru")
    assert lines == ["Места «atlantis» нет: показаны все города.", "Места «lemuria» нет: показаны все города."]
