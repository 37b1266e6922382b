"""One figure, one place: for the same filter, every surface states the same decisions, people and
breakdown, in every language; and the breakdown is a partition of the people.

Random filters (Hypothesis, derandomized) are opened as a reader's link would open them, on the Map,
Cases and Timeline pages; the Excel download of the Cases page and the SVG download of the Map page
are read back; ``python -m geo coverage`` is checked against the unfiltered line.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.data.dataset import load_dataset
from geo.data.people import PEOPLE_GROUPS
from geo.i18n import translation
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import descriptions, formats
from geo.views.official import coverage_table

from apptest_support import description, downloads, open_page, sample_env  # noqa: F401
from testdata import ROOT, SAMPLE

pytestmark = pytest.mark.usefixtures("sample_env")

DS = load_dataset(SAMPLE)
INDEX = DatasetIndex.build(DS)
FIRST, LAST = INDEX.bounds


@st.composite
def views(draw):
    """A filter a reader can make in the sidebar, and a language."""
    start = draw(st.one_of(st.none(), st.integers(0, (LAST - FIRST).days)))
    length = draw(st.integers(0, (LAST - FIRST).days))
    cities = draw(
        st.lists(st.sampled_from(sorted(DS.convictions["location_id"].dropna().unique())), unique=True, max_size=3)
    )
    roles = draw(
        st.lists(st.sampled_from(sorted(DS.convictions["defendant_role"].cat.categories)), unique=True, max_size=2)
    )
    lang = draw(st.sampled_from(["en", "ru", "kk"]))
    if start is None:
        filters = Filters.of(cities=cities, roles=roles)
    else:
        begin = FIRST + timedelta(days=start)
        filters = Filters.of(begin, min(begin + timedelta(days=length), LAST), cities=cities, roles=roles)
    return filters, lang


def link(filters: Filters, lang: str) -> dict[str, list[str]]:
    query = {"lang": [lang], "city": list(filters.cities), "role": list(filters.roles)}
    if filters.start is not None:
        query["period"] = [filters.start.isoformat(), filters.end.isoformat()]
    return {k: v for k, v in query.items() if v}


def svg_title(data: bytes) -> str:
    found = re.search(rb"<dc:title>(.*?)</dc:title>", data, re.S)
    assert found, "the SVG states no title"
    return found.group(1).decode("utf-8").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(views())
def test_every_surface_states_the_same_figures(downloads, case):
    filters, lang = case
    view = INDEX.view(filters, lang)
    line = descriptions.description(view)
    people = view.people
    assert sum(people[group] for group in PEOPLE_GROUPS) == people["total"]  # a partition
    decisions = int(view.selected.sum())

    query = link(filters, lang)
    for page in ("pages/map.py", "pages/timeline.py"):
        assert description(open_page(page, query)) == line, page
    cases = open_page("pages/cases.py", query)
    assert description(cases) == line

    tr = translation(lang)
    button = cases.download_button(key="download_xlsx_all")
    if decisions == 0:
        assert button.disabled  # nothing to download: no empty file offered
    else:
        button.click().run()  # as a reader clicks it
        book = openpyxl.load_workbook(io.BytesIO(downloads.of(cases.download_button(key="download_xlsx_all")).data))
        decisions_sheet, _, about_sheet = book.worksheets
        about = dict(about_sheet.iter_rows(values_only=True))
        assert about[tr.pgettext("about_sheet", "Filter")] == line
        assert about[tr.pgettext("about_sheet", "Decisions in this file")] == decisions
        assert decisions_sheet.max_row - 1 == decisions

    map_page = open_page("pages/map.py", query)
    map_page.download_button(key="download_map_svg").click().run()
    assert svg_title(downloads.of(map_page.download_button(key="download_map_svg")).data) == line


def test_the_coverage_command_states_the_unfiltered_line(capsys):
    from geo.cli import main

    assert main(["coverage", "--data-dir", str(SAMPLE)]) == 0
    printed = capsys.readouterr().out
    every = INDEX.view(Filters(), "en")
    table = coverage_table(INDEX.coverage).set_index("Year").loc["all years"]
    people = every.people
    assert (table["Decisions"], table["People"]) == (int(every.selected.sum()), people["total"])
    assert (table["convicted"], table["acquitted"], table["convicted posthumously"], table["other outcome"]) == (
        people["convicted"],
        people["acquitted"],
        people["posthumous"],
        people["other"],
    )
    assert f"| all years | {table['Decisions']} | " in printed
    assert descriptions.description(every).endswith(
        f"{people['total']} people ({formats.people_breakdown(people['convicted'], people['acquitted'], people['posthumous'], 'en', people['other'])})"
    )


def test_a_person_acquitted_then_convicted_counts_once_under_the_later_decision():
    """The shipped record's Arman Zhuman: acquitted at trial, convicted on appeal, then sent back by
    the Supreme Court; every window counts him once, under the latest decision it holds."""
    from geo.data.paths import SHIPPED_DATA_DIR

    index = DatasetIndex.build(load_dataset(SHIPPED_DATA_DIR))
    for end, group in (
        (date(2023, 12, 31), "acquitted"),
        (date(2024, 4, 30), "convicted"),
        (date(2024, 12, 31), "other"),
    ):
        people = index.view(Filters.of(date(2023, 11, 1), end, roles=["military"])).people
        assert people["total"] == 1 and people[group] == 1, (end, people)


def test_the_readme_coverage_block_is_what_the_command_writes():
    from geo.cli import main
    from geo.data.paths import SHIPPED_DATA_DIR

    readme = ROOT / "README.md"
    assert main(["coverage", "--data-dir", str(SHIPPED_DATA_DIR), "--readme", str(readme), "--check"]) == 0, (
        "README.md's coverage block is not current: run `make docs`"
    )
