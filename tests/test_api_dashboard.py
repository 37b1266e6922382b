"""The data API against the dashboard itself: a Cases page link's query string after
``/api/v1/decisions.csv`` gives the bytes of that page's CSV download, and ``.json`` its rows and
its header line, for random links (Hypothesis, derandomized; a few examples, each an AppTest run)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from geo.api import params
from geo.query.view import SORTS
from geo.views.case_groups import ALL, case_groups

from api_support import call, sample_index
from apptest_support import description, downloads, open_page, sample_env  # noqa: F401

pytestmark = pytest.mark.usefixtures("sample_env")

#: Ways a link may name the sample's court cities (ids, names in either script, an old label).
CITY_NAMES = ["almaty", "Shymkent", "Костанай", "aktobe", "ust-kamenogorsk", "Almaty · Алматы", "astana"]
SEARCHES = ["", "bektanov", "масимов", "Sabytov", "theft", "cv-2022"]
SENTENCES = ["imprisonment", "probation", "none", "unknown", "restricted_freedom"]
ROLES = ["unknown", "protester", "activist"]
FIRST, LAST = date(2022, 1, 1), date(2024, 6, 11)


@st.composite
def links(draw) -> list[tuple[str, str]]:
    """A Cases page link's query: any of the dashboard's filters, a search, an order, a language."""
    pairs: list[tuple[str, str]] = []

    def sometimes() -> bool:  # each filter in one link of three: most links keep several rows
        return draw(st.integers(0, 2)) == 0

    if sometimes():
        pairs += [("city", c) for c in draw(st.lists(st.sampled_from(CITY_NAMES), min_size=1, max_size=2, unique=True))]
    if sometimes():
        start = FIRST + timedelta(days=draw(st.integers(0, (LAST - FIRST).days)))
        end = start + timedelta(days=draw(st.integers(0, 400)))
        pairs += [("period", start.isoformat()), ("period", end.isoformat())]
        if draw(st.booleans()):
            pairs.append(("cumulative", "true"))
    if sometimes():
        pairs += [
            ("sentence", s) for s in draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=2, unique=True))
        ]
    if sometimes():
        pairs.append(("role", draw(st.sampled_from(ROLES))))
    if sometimes() and (who := draw(st.sampled_from(SEARCHES))):
        pairs.append(("who", who))
    if (sort := draw(st.sampled_from(SORTS))) != SORTS[0]:
        pairs.append(("sort", sort))
    if (lang := draw(st.sampled_from(["en", "ru", "kk"]))) != "en":
        pairs.append(("lang", lang))
    # the group: one the page offers for this filter (a tab it does not offer is a 400, tested apart)
    q = params.read(urlencode(pairs).encode(), sample_index())
    groups = [g.key for g in case_groups(sample_index().view(q.filters, q.lang))]
    if (tab := draw(st.sampled_from(groups))) != ALL:
        pairs.append(("tab", tab))
    return pairs


def as_query(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in pairs:
        query.setdefault(key, []).append(value)
    return query


# Without shrinking: each example is a whole page run, and the example that fails is printed as drawn.
@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(pairs=links())
# every decision, in each order but the default; a window counted from the start; a city's group searched
@example(pairs=[("sort", "newest"), ("lang", "kk")])
@example(pairs=[("sort", "longest")])
@example(pairs=[("period", "2023-01-01"), ("period", "2023-06-30"), ("cumulative", "true"), ("lang", "ru")])
@example(pairs=[("tab", "almaty"), ("who", "almaty"), ("sort", "city")])
def test_a_links_rows_are_the_pages_download(downloads, pairs):
    link = urlencode(pairs)
    at = open_page("pages/cases.py", as_query(pairs))
    tab = dict(pairs).get("tab", "all")
    button = at.download_button(key=f"download_csv_{tab}")
    # a choice of no decisions has its download disabled: the API gives the header alone
    page = b"" if button.proto.disabled else downloads.of(button).data

    status, headers, body = call("/api/v1/decisions.csv", link)
    assert status == 200, body
    if button.proto.disabled:
        assert body.count(b"\r\n") == 1 and headers["x-total-count"] == "0"  # the header, and no row
        page = body
    assert body == page  # the same bytes: rows, order, columns, language
    shown = len(list(csv.DictReader(io.StringIO(page.decode("utf-8")))))
    assert headers["x-total-count"] == str(shown)

    status, _, body = call("/api/v1/decisions.json", link + "&limit=10000")
    answer = json.loads(body)
    assert status == 200 and answer["total"] == shown and answer["next"] is None
    assert answer["filter"] == description(at)  # the page's header line, word for word
    rows = list(csv.DictReader(io.StringIO(page.decode("utf-8"))))
    assert [r["case_id"] for r in answer["rows"]] == [r["case_id"] for r in rows]
