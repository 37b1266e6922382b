"""Text contrast computed from the colour values themselves (WCAG 2.x, by coloraide): the names and
the green notes of acquittals and posthumous verdicts on the map and in its image, the image's
legend, the size key's counts, and the captions' grey of geo/dashboard/access.css. axe-core checks
the page's HTML text (tests/e2e/test_accessibility_browser.py); it cannot read text drawn on a
canvas or in an image."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from coloraide import Color

from geo.data.dataset import load_dataset
from geo.views import deck, legend, map_image

from reference import city_totals_of
from testdata import SAMPLE

ROOT = Path(__file__).resolve().parents[1]
#: WCAG 2.2 AA for text below 18.66 px bold or 24 px (1.4.3): the map's names and notes are 14
#: and 12 pixels.
TEXT_AA = 4.5
WHITE = (255, 255, 255)
#: Streamlit's sidebar background (its light theme's secondary background colour).
SIDEBAR = (240, 242, 246)


def srgb(rgb, alpha: float = 1.0) -> Color:
    values = [c / 255 if max(rgb) > 1 else c for c in rgb]
    return Color("srgb", values, alpha)


def layered(*layers: Color) -> Color:
    """``layers`` drawn top first, over an opaque last one (source-over, as deck.gl and matplotlib do)."""
    return Color.layer(list(layers), space="srgb")


def contrast(text: Color, background: Color) -> float:
    return text.contrast(background, method="wcag21")


def under_the_labels() -> dict[str, Color]:
    """Everything a name's or note's light box can lie on: the country fills, the borders, each
    kind of circle (two red circles where cities overlap), the leader lines."""
    kazakhstan = srgb(deck.KAZAKHSTAN_FILL)
    red = srgb(legend.RGB["red"], 190 / 255)
    return {
        "white": srgb(WHITE),
        "Kazakhstan": kazakhstan,
        "a neighbour": srgb(deck.OTHER_FILL),
        "Kazakhstan's border": srgb(deck.KAZAKHSTAN_LINE),
        "a neighbour's border": srgb(deck.OTHER_LINE),
        "a red circle": layered(red, kazakhstan),
        "two red circles": layered(red, red, kazakhstan),
        "a mention disc under a red circle": layered(red, srgb(legend.RGB["violet"], 60 / 255), kazakhstan),
        "an event ring": srgb(legend.RGB["orange"]),
        "a leader line": layered(srgb((80, 80, 80), 200 / 255), kazakhstan),
    }


@pytest.mark.parametrize(("ink", "name"), [(legend.NAME_INK, "names"), (legend.OUTCOME_INK, "outcome notes")])
def test_the_map_labels_read_over_anything_their_box_lies_on(ink, name):
    box = srgb(WHITE, legend.LABEL_BOX_ALPHA / 255)
    found = {where: contrast(srgb(ink), layered(box, under)) for where, under in under_the_labels().items()}
    worst = min(found, key=found.__getitem__)
    assert found[worst] >= TEXT_AA, f"{name} over {worst}: {found[worst]:.2f}:1"


def test_the_map_and_its_image_draw_the_labels_in_those_colours():
    ds = load_dataset(SAMPLE)
    spec = json.loads(deck.deck_for(city_totals_of(ds, ds.convictions)).to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    for layer_id, ink in (("labels", legend.NAME_INK), ("outcomes", legend.OUTCOME_INK)):
        assert tuple(layers[layer_id]["getColor"]) == ink, layer_id
        assert layers[layer_id]["getBackgroundColor"] == [255, 255, 255, legend.LABEL_BOX_ALPHA], layer_id
    assert tuple(round(c * 255) for c in map_image.OUTCOME_INK) == legend.OUTCOME_INK
    assert tuple(round(c * 255) for c in map_image.INK) == legend.NAME_INK
    assert map_image.LABEL_BOX["facecolor"][3] == legend.LABEL_BOX_ALPHA / 255


@pytest.mark.parametrize(
    ("ink", "name"),
    [
        (map_image.INK, "the image's names and key headings"),
        (map_image.OUTCOME_INK, "the image's outcome notes and ✓ in its legend"),
        (map_image.GREY_TEXT, "the image's legend text"),
        ((0x26, 0x27, 0x30), "the size key's counts"),
    ],
)
def test_text_on_white_reads(ink, name):
    assert contrast(srgb(ink), srgb(WHITE)) >= TEXT_AA, name


def test_the_size_key_draws_its_counts_in_that_colour():
    html = legend.size_key("People convicted", [(10, 8.0)], "red", False)
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", html)[1]).decode()
    assert 'fill="#262730"' in svg


def test_captions_read_on_the_page_and_in_the_sidebar():
    css = (ROOT / "src/geo/dashboard/access.css").read_text(encoding="utf-8")
    rule = re.search(r'\[data-testid="stCaptionContainer"\]\s*\{([^}]*)\}', css)[1]
    assert re.search(r"opacity:\s*1;", rule), "Streamlit's fading of captions is undone"
    grey = Color(re.search(r"color:\s*(#[0-9a-fA-F]{6})", rule)[1])
    for background in (WHITE, SIDEBAR):
        assert contrast(grey, srgb(background)) >= TEXT_AA, background
