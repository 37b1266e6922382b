"""The map's pydeck spec: one row per city whatever the number of cases, safe tooltips, the
shipped borders drawn as they are, no tile server unless asked."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.people import NO_PEOPLE, people_rows
from geo.views import deck, legend, marks, viewport

from reference import city_totals, city_totals_of, event_totals
from testdata import SAMPLE

BUDGET = 100_000  # bytes of map JSON, at any number of cases


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def borders():
    return deck.borders_for_map(deck.load_borders(SHIPPED_DATA_DIR / "borders.geojson"))


def synthetic(ds, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` decisions spread over the 7 shipped cities (rows of the real table, re-dealt); from
    21 on, every city has a conviction, an acquittal and a posthumous verdict."""
    rng = np.random.default_rng(seed)
    rows = ds.convictions.iloc[rng.integers(0, len(ds.convictions), n)].reset_index(drop=True)
    cities = ds.locations["location_id"].to_numpy()
    rows["location_id"] = cities[np.arange(n) % len(cities)]  # every city has cases, at any n
    rows["outcome"] = np.array(["convicted", "acquitted", "posthumous"])[(np.arange(n) // len(cities)) % 3]
    rows["defendants"] = pd.array(rng.integers(1, 20, n), dtype="Int64")
    return rows


@pytest.mark.parametrize("n", [21, 10_000])
def test_one_point_per_city_and_json_within_budget_at_any_size(ds, borders, n):
    convictions = synthetic(ds, n)
    spec = deck.deck_for(
        city_totals(convictions, ds.locations, people_rows(convictions, NO_PEOPLE)),
        event_totals(ds.events, ds.locations),
        borders=borders,
    )
    text = spec.to_json()
    cities = next(l for l in json.loads(text)["layers"] if l["id"] == "cities")["data"]
    assert len(cities) == len(ds.locations)
    assert len(text.encode("utf-8")) <= BUDGET


def test_json_size_does_not_grow_with_cases(ds, borders):
    small, large = (
        len(
            deck.deck_for(
                city_totals(synthetic(ds, n), ds.locations, people_rows(synthetic(ds, n), NO_PEOPLE)), borders=borders
            ).to_json()
        )
        # from 1,000 on every city has approximately dated decisions and the same groups of people,
        # so the tooltips hold the same lines at both sizes
        for n in (1_000, 10_000)
    )
    assert abs(large - small) < 400  # only the digits of the counts differ


def test_json_is_compact_and_unindented(ds, borders):
    text = deck.deck_for(city_totals_of(ds, ds.convictions), borders=borders).to_json()
    assert "\n" not in text and ": " not in text


def test_tooltips_are_text_and_carry_hostile_names_as_typed(ds):
    locations = ds.locations.copy()
    locations.loc[locations["location_id"] == "almaty", "name"] = "<img src=x onerror=alert(1)>"
    locations.loc[locations["location_id"] == "almaty", "name_ru"] = "<script>alert(1)</script>"
    spec = deck.deck_for(
        city_totals(ds.convictions, locations, people_rows(ds.convictions, ds.defendants)),
        event_totals(ds.events, locations),
    )
    # Text mode: deck.gl sets innerText, so nothing in a tooltip is parsed as HTML.
    assert set(spec._tooltip) == {"text", "style"} and spec._tooltip["text"] == "{tooltip}"
    rows = {
        r["location_id"]: r
        for l in json.loads(spec.to_json())["layers"]
        if l["id"] == "places"  # the pick areas carry the tooltips; the drawn layers only draw
        for r in l["data"]
    }
    assert rows["almaty"]["tooltip"].startswith("<img src=x onerror=alert(1)> · <script>alert(1)</script>")
    assert "&lt;" not in rows["almaty"]["tooltip"]  # not escaped twice: text mode shows it literally


def test_city_tooltip_states_counts_and_span(ds):
    rows = marks.city_rows(city_totals_of(ds, ds.convictions))
    shymkent = next(r for r in rows if r["location_id"] == "shymkent")
    # the trial and its appeal: two decisions about the same three people
    assert shymkent["tooltip"].split("\n") == [
        "Shymkent · Шымкент",
        "2 court decisions, 3 people",
        "3 convicted",
        "15 Jul 2022 – 20 Sep 2022",
    ]
    almaty = next(r for r in rows if r["location_id"] == "almaty")
    assert almaty["tooltip"].split("\n")[1:3] == [
        "3 court decisions, 4 people",
        "1 convicted, 1 acquitted, 2 convicted posthumously",
    ]
    assert almaty["badge"] == "1 acquitted, 2 posthumous" and shymkent["badge"] == ""


def test_radius_is_square_root_scaled_and_stable_across_filters(ds):
    assert legend.radius(100, 100, 40, 4) == 40
    assert legend.radius(25, 100, 40, 4) == 20  # a quarter of the count, a quarter of the area
    assert legend.radius(0, 100, 40, 4) == 4
    totals = city_totals_of(ds, ds.convictions)
    alone = totals[totals["location_id"] == "shymkent"]
    # With the dataset-wide maximum, Shymkent's circle does not grow when it is the only city shown.
    largest = float(totals["convicted"].max())
    assert marks.city_rows(alone, largest=largest)[0]["radius"] == next(
        r["radius"] for r in marks.city_rows(totals, largest=largest) if r["location_id"] == "shymkent"
    )


def test_view_is_fixed_and_there_is_no_basemap_by_default(ds):
    a = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions)).to_json())
    b = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions.iloc[:1])).to_json())
    assert a["initialViewState"] == b["initialViewState"]
    assert a["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in a
    online = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions), basemap=True).to_json())
    assert online["mapProvider"] == "carto"


def test_units_are_literal_pixels_not_expressions(ds):
    spec = json.loads(
        deck.deck_for(city_totals_of(ds, ds.convictions), event_totals(ds.events, ds.locations)).to_json()
    )
    for l in spec["layers"]:
        for key in ("radiusUnits", "lineWidthUnits"):
            if key in l:
                assert l[key] == "pixels"


def test_borders_are_drawn_as_shipped_with_their_colours(borders):
    """The shipped file is simplified when it is built: the map takes its geometry as it is and
    adds only how each country is drawn."""
    raw = deck.load_borders(SHIPPED_DATA_DIR / "borders.geojson")
    by_name = {f["properties"]["name"]: f for f in raw["features"]}
    assert len(borders["features"]) == len(raw["features"])
    for f in borders["features"]:
        assert f["geometry"] == by_name[f["properties"]["name"]]["geometry"]
        kz = f["properties"]["name"] == "Kazakhstan"
        assert f["properties"]["fill"] == (deck.KAZAKHSTAN_FILL if kz else deck.OTHER_FILL)
        assert f["properties"]["line"] == (deck.KAZAKHSTAN_LINE if kz else deck.OTHER_LINE)
    size = len(json.dumps(borders, separators=(",", ":")))
    assert size < 50_000
    assert borders["features"][-1]["properties"]["name"] == "Kazakhstan"  # drawn last, on top


def test_borders_for_map_puts_kazakhstan_last_whatever_the_file_order():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Kazakhstan", "is_kazakhstan": True}, "geometry": square},
            {"type": "Feature", "properties": None, "geometry": square},
            {"type": "Feature", "properties": {"name": "Other"}, "geometry": square},
        ],
    }
    out = deck.borders_for_map(collection)
    assert [f["properties"]["name"] for f in out["features"]] == [None, "Other", "Kazakhstan"]
    assert out["features"][-1]["properties"]["width"] > out["features"][0]["properties"]["width"]


def test_selected_city_reads_any_data_layer():
    assert deck.selected_city({"indices": {}, "objects": {}}) is None
    assert deck.selected_city(None) is None
    assert deck.selected_city({"objects": {"cities": [{"location_id": "almaty", "name": "Almaty"}]}}) == "almaty"
    assert deck.selected_city({"objects": {"events": [{"location_id": "shymkent"}]}}) == "shymkent"


def test_legend_follows_the_layers():
    both = ["Court decisions", "Acquitted, posthumous"]
    assert [e["label"] for e in legend.legend("decisions")] == [*both, "Events", "Borders"]
    assert "court decisions" in legend.legend("decisions")[0]["meaning"]
    assert "acquittals and posthumous verdicts are not counted" in legend.legend("convicted")[0]["meaning"]
    assert [e["label"] for e in legend.legend(events=False, mentions=True)] == [*both, "Article mentions", "Borders"]
    assert {e["color"] for e in legend.legend(mentions=True)} <= set(legend.RGB)


# --- the view fitted to the places and the screen -------------------------------------------


def on_screen(view: dict, lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    """Where ``lon``, ``lat`` lands on a map of that size in ``view``: Web Mercator, written out
    here apart from deck.py's own projection."""
    import math

    def world(lo, la):
        size = 512 * 2 ** view["zoom"]
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2
        return (lo + 180) / 360 * size, y * size

    cx, cy = world(view["longitude"], view["latitude"])
    x, y = world(lon, lat)
    return width / 2 + x - cx, height / 2 + y - cy


def every_place(ds, scale: float = 1.0) -> list[viewport.Footprint]:
    """The footprints of every court city and event city of the sample, from the reference totals."""
    totals = city_totals_of(ds, ds.convictions)
    events = event_totals(ds.events, ds.locations)
    largest = {
        "convicted": float(totals["convicted"].max()),
        "decisions": float(totals["decisions"].max()),
        "events": float(events["events"].max()),
    }
    return deck.footprints(totals, events, largest, scale)


@pytest.mark.parametrize("country", [True, False], ids=["all cities", "cities chosen"])
@pytest.mark.parametrize("width", [358, 940])  # the map's width on a 390 px phone and beside the sidebar
def test_the_fitted_view_shows_the_far_cities_whole_at_any_width(ds, width, country):
    scale = marks.mark_scale(width)
    places = every_place(ds, scale)
    height = marks.map_height(width)
    framed = places + viewport.KAZAKHSTAN if country else places
    view = viewport.view_for(framed, width, height, marks.STAMP_INSET_PX)
    where = {(round(p.longitude, 4), round(p.latitude, 4)): p.radius for p in places}
    for city in ("almaty", "ust-kamenogorsk", "zhanaozen", "kostanay"):  # south-east, east, west, north
        row = ds.locations.set_index("location_id").loc[city]
        r = where[(round(row["longitude"], 4), round(row["latitude"], 4))]
        x, y = on_screen(view, row["longitude"], row["latitude"], width, height)
        assert r <= x <= width - r and marks.STAMP_INSET_PX + r <= y <= height - r, (city, x, y, r)
    # the old fixed view cut Ust-Kamenogorsk off a phone's map altogether
    old = {"latitude": 48.3, "longitude": 67.7, "zoom": 3.75}
    x, _ = on_screen(old, 82.60586, 49.97143, 358, 560)
    assert x > 358
    # as large as fits: a tenth of a zoom level more pushes some circle over an edge
    closer = {**view, "zoom": view["zoom"] + 0.1}
    outside = []
    room_x, room_y = viewport.LABEL_ROOM_PX
    for p in framed + viewport.least_span(framed):
        x, y = on_screen(closer, p.longitude, p.latitude, width, height)
        rx, ry = (p.radius + room_x, p.radius + room_y) if p.radius else (0, 0)  # room for the labels too
        outside.append(not (rx <= x <= width - rx and marks.STAMP_INSET_PX + ry <= y <= height - ry))
    assert any(outside)


def test_a_narrow_map_fits_closer_to_the_country_and_draws_smaller_circles(ds):
    phone = viewport.view_for(every_place(ds, marks.mark_scale(358)) + viewport.KAZAKHSTAN, 358, marks.map_height(358))
    wide = viewport.view_for(every_place(ds) + viewport.KAZAKHSTAN, 940, marks.map_height(940))
    assert phone["zoom"] < wide["zoom"] and phone["min_zoom"] <= phone["zoom"]
    assert marks.mark_scale(358) < marks.mark_scale(940) == marks.mark_scale(None) == 1
    assert marks.map_height(358) < marks.map_height(940) == marks.map_height(None)


def test_one_city_is_centred_at_the_closest_fitting_zoom():
    view = viewport.view_for([viewport.Footprint(76.9115, 43.25249, 38)], 358, 340)
    assert (view["longitude"], view["latitude"]) == pytest.approx((76.9115, 43.25249), abs=1e-3)
    # not a street map around one circle: at least MIN_SPAN_DEGREES of land around it
    port = viewport.Viewport.of(view, 358, 340)
    (west, north), (east, south) = port.unproject(0, 0), port.unproject(358, 340)
    assert east - west >= viewport.MIN_SPAN_DEGREES[0] - 0.01 and north - south >= viewport.MIN_SPAN_DEGREES[1] - 0.01


def test_no_city_frames_kazakhstan():
    assert viewport.view_for([], 940, 560) == viewport.view_for(viewport.KAZAKHSTAN, 940, 560)
    view = viewport.view_for([], 358, 340)
    (west, north), (east, south) = [(p.longitude, p.latitude) for p in viewport.KAZAKHSTAN]
    for lon, lat in ((west, north), (east, south)):
        x, y = on_screen(view, lon, lat, 358, 340)
        assert 0 <= x <= 358 and 0 <= y <= 340
    assert (
        viewport.view_for([], marks.DEFAULT_WIDTH_PX, marks.WIDE_HEIGHT_PX, marks.STAMP_INSET_PX) == deck.INITIAL_VIEW
    )


def test_the_view_is_the_deck_initial_view_state(ds):
    view = viewport.view_for(every_place(ds), 940, 560)
    spec = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions), view=view).to_json())
    assert spec["initialViewState"]["zoom"] == view["zoom"]
    assert spec["initialViewState"]["longitude"] == view["longitude"]


def test_size_keys_use_the_map_radius_and_round_numbers():
    keys = legend.size_keys(12_345, 38, 4)
    assert [v for v, _ in keys] == [12_345, 2_000, 500]  # the largest, about a quarter and a twentieth
    assert [r for _, r in keys] == [legend.radius(v, 12_345, 38, 4) for v, _ in keys]
    assert keys[0][1] == 38
    assert legend.size_keys(1, 38, 4) == [(1, 38)]
    assert legend.size_keys(0, 38, 4) == []
    assert [legend.nice(x) for x in (0.3, 1.75, 2.9, 3.4, 7.4, 14, 480)] == [
        1,
        2,
        2,
        5,
        10,
        10,
        500,
    ]  # nearest by ratio


def test_size_key_draws_each_radius_with_its_count():
    import base64
    import re

    html = legend.size_key('Circle sizes <"people">:', [(12_345, 38.0), (2_000, 15.3)], "red", False)
    assert "<span>Circle sizes &lt;&quot;people&quot;&gt;:</span>" in html  # the title as text
    assert 'alt="Circle sizes &lt;&quot;people&quot;&gt;: 12,345, 2,000"' in html
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)).decode()
    assert re.findall(r' r="([\d.]+)"', svg) == ["38.0", "15.3"]
    assert re.findall(r">([\d,]+)</text>", svg) == ["12,345", "2,000"]
    ring = legend.size_key("Events", [(3, 26.0)], "orange", True)
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", ring).group(1)).decode()
    assert 'fill="none"' in svg and "stroke-width" in svg


@pytest.mark.parametrize(
    ("lang", "ust", "almaty_badge"),
    [
        ("en", "Ust-Kamenogorsk", "1 acquitted, 2 posthumous"),
        ("ru", "Усть-Каменогорск", "оправдано: 1, посмертно: 2"),
        ("kk", "Өскемен", "ақталды: 1, қайтыс болғаннан кейін: 2"),
    ],
)
def test_the_names_and_outcomes_drawn_on_the_map_are_in_the_readers_language(ds, lang, ust, almaty_badge):
    spec = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions), lang=lang).to_json())
    layers = {l["id"]: l for l in spec["layers"]}
    assert ust in {row["text"] for row in layers["labels"]["data"]}
    assert almaty_badge in {row["text"] for row in layers["outcomes"]["data"]}
    # the text layers build their font atlas from the characters they draw, Cyrillic included
    assert layers["labels"]["characterSet"] == "auto" and layers["outcomes"]["characterSet"] == "auto"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_city_with_events_only_is_named_in_the_readers_language(ds, lang):
    from geo.query.index import EventIndex

    index = EventIndex.build(ds.events, ds.locations)
    events = index.city_totals(np.ones(len(ds.events), dtype=bool), ds.locations)
    spec = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions.iloc[:0]), events, lang=lang).to_json())
    names = {row["text"] for layer in spec["layers"] if layer["id"] == "labels" for row in layer["data"]}
    column = f"name_{lang}"
    expected = set(ds.locations.set_index("location_id").loc[events["location_id"], column])
    assert expected and names == expected, (names, expected)
    assert not names & (set(ds.locations["name"]) - set(ds.locations[column]))  # no Latin-only name left


def test_the_fitted_view_is_made_once_per_cities_and_width_and_matches_a_fresh_one(ds):
    from geo.query.filters import Filters
    from geo.query.view import DatasetIndex

    index = DatasetIndex.build(ds)
    fresh = DatasetIndex.build(ds)
    for cities, width in [((), 940), (("almaty",), 940), ((), 358), (("almaty", "kostanay"), None)]:
        first = deck.fitted_view(index.view(Filters.of(cities=cities)), width)
        first["zoom"] = -1.0  # a caller's change to its copy does not reach the next rerun's
        again = deck.fitted_view(index.view(Filters.of(cities=cities)), width)
        assert again == deck.fitted_view(fresh.view(Filters.of(cities=cities)), width) and again["zoom"] != -1.0
    assert sum(key[0] == id(index) for key in deck._fitted_view.memo) == 4  # type: ignore[attr-defined]


def test_the_kept_map_views_stay_bounded_however_many_readers_ask(ds):
    from geo.query.filters import Filters
    from geo.query.view import DatasetIndex

    index = DatasetIndex.build(ds)
    v = index.view(Filters())
    first = deck.fitted_view(v, 800)
    for width in range(1000, 1000 + 2 * deck.FITTED_VIEWS):  # every width a browser may report
        deck.fitted_view(v, width)
    assert len(deck._fitted_view.memo) <= deck.FITTED_VIEWS  # type: ignore[attr-defined]
    assert deck.fitted_view(v, 800) == first  # made again after the memo was emptied, the same
