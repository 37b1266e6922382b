"""The Map page's frame, driven headless by AppTest on the sample data: the dates the map draws
stated on it, notes that never move it, what circle sizes mean, a chosen city's cases right under
it, and a view that follows the cities chosen and the screen's width but not the dates.

Expected values come from ``geo``'s reference code and the sample's dates, not from the page.
"""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.views import deck, legend, marks, viewport
from geo.views.descriptions import describe
from geo.views.place_labels import city_names

from apptest_support import deck_json, open_page, sample_env  # noqa: F401
from reference import city_totals_of, event_totals, filter_convictions, people_in
from testdata import SAMPLE

pytestmark = pytest.mark.usefixtures("sample_env")

FIRST, LAST = date(2022, 1, 1), date(2024, 6, 11)  # the sample's date range


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def leaves(node) -> list:
    """The page's elements in the order they are drawn, containers opened."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [leaf for child in children.values() for leaf in leaves(child)]


def block(node, key: str):
    """The container made with ``key`` (its id ends with the key)."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "children", None) is None:
            continue
        if str(getattr(child.proto, "id", "")).endswith(f"-{key}"):
            return child
        found = block(child, key)
        if found is not None:
            return found
    return None


def stamp(at) -> str:
    """The text in the map's corner, as a reader sees it (Markdown escapes removed)."""
    frame = block(at.main, "map_frame")
    assert frame is not None, "the map has no frame"
    [text] = [leaf.value for leaf in leaves(block(frame, "map_stamp")) if leaf.type == "markdown"]
    return text.replace("\\", "")


def position(at, element_type: str, matching: str = "") -> int:
    """Where the first element of ``element_type`` whose value holds ``matching`` is in the page."""
    for i, leaf in enumerate(leaves(at.main)):
        if leaf.type == element_type and matching in str(getattr(leaf, "value", "")):
            return i
    raise AssertionError(f"no {element_type} holding {matching!r}")


def test_the_map_states_the_dates_it_draws(ds):
    at = open_page("pages/map.py")
    assert stamp(at) == "All dates: 1 Jan 2022 – 11 Jun 2024"
    at.slider(key="period").set_value((date(2022, 2, 1), date(2022, 2, 28))).run()
    assert stamp(at) == "1 Feb 2022 – 28 Feb 2022"
    # February holds no decision: the map still says which dates it is empty for
    assert filter_convictions(ds.convictions, Filters.of(date(2022, 2, 1), date(2022, 2, 28))).empty
    at.toggle(key="cumulative").set_value(True).run()
    assert stamp(at) == "Everything up to 28 Feb 2022"
    at.button(key="month_forward").click().run()  # a month step moves the stamp with the map
    assert stamp(at) == "Everything up to 31 Mar 2022"
    at.toggle(key="cumulative").set_value(False).run()
    at.slider(key="period").set_value((date(2022, 7, 14), date(2022, 7, 14))).run()
    assert stamp(at) == "14 Jul 2022"


def test_notes_are_below_the_map_and_what_comes_before_it_does_not_change():
    at = open_page("pages/map.py")
    notes = position(at, "caption", "not on the map")
    assert position(at, "deck_gl_json_chart") < notes
    before = [leaf.type for leaf in leaves(at.main)[: position(at, "deck_gl_json_chart")]]
    at.slider(key="period").set_value((date(2022, 3, 1), date(2022, 3, 31))).run()  # March: no note at all
    assert not [c for c in at.main.caption if "not on the map" in c.value or "dated only" in c.value]
    assert [leaf.type for leaf in leaves(at.main)[: position(at, "deck_gl_json_chart")]] == before


def size_keys_shown(at) -> dict[str, tuple[list[str], list[float]]]:
    """Per reference image under the map: its counts (as written) and circle radii."""
    out = {}
    for html in at.get("html"):
        for alt, data in re.findall(r'<img alt="([^"]+)"[^>]*base64,([A-Za-z0-9+/=]+)', html.value):
            svg = base64.b64decode(data).decode()
            counts = re.findall(r">([\d,]+)</text>", svg)
            out[alt.split(":")[0]] = (counts, [float(r) for r in re.findall(r' r="([\d.]+)"', svg)])
    return out


def test_the_legend_draws_what_circle_sizes_mean_as_the_map_draws_them(ds):
    at = open_page("pages/map.py")
    totals = city_totals_of(ds, ds.convictions)
    largest = int(totals["convicted"].max())  # Ust-Kamenogorsk: 7 people convicted
    keys = size_keys_shown(at)
    counts, radii = keys["Circle area, people convicted"]
    # the one rule the image's key follows too: 7, then 2 (1 would look nearly as large as 2)
    assert counts == [f"{v:,}" for v, _ in legend.size_keys(largest, marks.MAX_RADIUS_PX, marks.MIN_RADIUS_PX)]
    assert counts == ["7", "2"]
    assert radii == [
        legend.radius(int(c.replace(",", "")), largest, marks.MAX_RADIUS_PX, marks.MIN_RADIUS_PX) for c in counts
    ]
    # the largest key is the largest circle on the map
    cities = next(l for l in deck_json(at)["layers"] if l["id"] == "cities")["data"]
    assert radii[0] == max(r["radius"] for r in cities)
    events = event_totals(ds.events, ds.locations)
    ring_counts, _ = keys["Ring size, events"]
    assert ring_counts[0] == f"{int(events['events'].max()):,}"

    at.radio(key="size").set_value("decisions").run()
    counts, _ = size_keys_shown(at)["Circle area, court decisions"]
    assert counts[0] == f"{int(totals['decisions'].max()):,}"
    at.toggle(key="show_events").set_value(False).run()
    assert "Ring size, events" not in size_keys_shown(at)


def test_a_chosen_city_is_summed_up_right_under_the_map_before_its_table_and_the_legend(ds):
    at = open_page("pages/map.py")
    at.selectbox(key="map_city").set_value("shymkent").run()
    rows = filter_convictions(ds.convictions, Filters.of(cities=["shymkent"]))
    expected = describe(
        Filters.of(cities=["shymkent"]), city_names(ds.locations), len(rows), people_in(ds, rows), (FIRST, LAST)
    )
    assert expected.startswith("Shymkent, 1 Jan 2022 – 11 Jun 2024: 2 court decisions, 3 people")
    summary = position(at, "text", expected)
    assert position(at, "deck_gl_json_chart") < position(at, "selectbox") < summary
    assert summary < position(at, "dataframe") < position(at, "markdown", "Court decisions")


def test_the_view_follows_the_screen_width_and_the_cities_not_the_dates(ds):
    at = open_page("pages/map.py")
    wide = deck_json(at)["initialViewState"]
    at.session_state["map_width"] = {"width": 358}  # what the browser of a 390 px phone reports
    at.run()
    phone = deck_json(at)["initialViewState"]
    assert phone["zoom"] < wide["zoom"]
    totals, events = city_totals_of(ds, ds.convictions), event_totals(ds.events, ds.locations)
    largest = {
        "convicted": float(totals["convicted"].max()),
        "decisions": float(totals["decisions"].max()),
        "events": float(events["events"].max()),
    }
    places = deck.footprints(totals, events, largest, marks.mark_scale(358))
    view = viewport.view_for(places + viewport.KAZAKHSTAN, 358, marks.map_height(358), marks.STAMP_INSET_PX)
    assert (phone["zoom"], phone["longitude"], phone["latitude"]) == (view["zoom"], view["longitude"], view["latitude"])
    # circles are drawn smaller on the phone, and the legend follows
    cities = next(l for l in deck_json(at)["layers"] if l["id"] == "cities")["data"]
    _, radii = size_keys_shown(at)["Circle area, people convicted"]
    assert max(r["radius"] for r in cities) == radii[0] == marks.MAX_RADIUS_PX * marks.mark_scale(358)

    at.button(key="month_forward").click().run()  # a date step: the view stays where it was
    assert deck_json(at)["initialViewState"] == phone
    at.multiselect(key="city").set_value(["almaty", "ust-kamenogorsk"]).run()  # two cities: closer to them
    chosen = deck_json(at)["initialViewState"]
    assert chosen["zoom"] > phone["zoom"]
    assert 76.9 < chosen["longitude"] < 82.7
