"""The map as one self-contained, interactive HTML file: the page's deck, drawn by deck.gl in
the reader's browser from the file alone, with the image's title, keys, notes, source line and
the dataset's citation around it.

Nothing is fetched when the file is opened: deck.gl's script is the bundle the installed pydeck
ships (:func:`deckgl_bundle`, the one ``Deck.to_html(offline=True)`` inlines), the deck carries its
borders and no tiles, the text is in the system's sans-serif font, and the size keys are images
written into the file (``data:`` URLs). pydeck's own page is not used: its template links Mapbox's
script and style sheets, Bootstrap and Font Awesome from CDNs even when ``offline=True``. The
file's ``Content-Security-Policy`` forbids every fetch (it allows the inline script and style,
``data:`` images, and the WebAssembly deck.gl compiles from its inline script), so an address that
slipped in would be refused by the browser, not reached.

What surrounds the map is what the PNG/SVG carries, from the same functions
(:mod:`geo.views.map_image`'s marks and key rows, :mod:`geo.views.legend`); the page is written
by a Jinja2 template (``map_html.html.j2``) that escapes every value, data included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from geo.i18n import N_
from geo.views import citation, deck, descriptions, legend, marks

if TYPE_CHECKING:
    import pandas as pd

    from geo.query.view import View

TEMPLATE = Path(__file__).with_name("map_html.html.j2")
#: The mentions' key has no heading on the page (it shows no mentions key); the file needs one.
MENTIONS_KEY_TITLE = N_("Disc size, article mentions:")
HOW_TO_USE = N_("Drag to move the map, scroll or pinch to zoom; point at or tap a place for its decisions.")
NO_SCRIPT = N_("The interactive map needs JavaScript; the keys and notes below describe it.")
#: Stated in the file itself: no fetch of any kind (the images are ``data:`` URLs, the script inline).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
#: Characters that could end the ``<script>`` element the deck's JSON sits in, written as JSON escapes.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def deckgl_bundle() -> str:
    """deck.gl's browser bundle as the installed pydeck ships it (pydeck's ``offline=True`` reads
    the same file), made safe to sit inside a ``<script>`` element."""
    text = (resources.files("pydeck") / "nbextension" / "static" / "index.js").read_text(encoding="utf-8")
    if "<!--" in text:  # would switch the HTML parser into a script-comment state
        raise ValueError("pydeck's deck.gl bundle holds '<!--': it cannot be written inside a <script> element")
    # "</script" can only occur in a string, a comment or a regular expression, where "<\/" means the same
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def script_json(value: object) -> str:
    """``value`` as JSON that cannot close the ``<script>`` element holding it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _template() -> jinja2.Template:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return environment.from_string(TEMPLATE.read_text(encoding="utf-8"))


def map_html(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    width_px: float = marks.DEFAULT_WIDTH_PX,
) -> bytes:
    """The map of ``view`` as an HTML file (UTF-8): the deck the Map page draws at ``width_px``
    (the same view, circles, names and pick areas), deck.gl inlined, and around it the title, the
    date stamp, the size keys, what each mark means, the notes, the source line and the citation.
    The arguments are :func:`geo.views.map_image.map_png`'s."""
    from geo.views import map_image  # noqa: PLC0415 -- matplotlib: loaded only when a file is asked for

    lang, tr = view.lang, view.tr
    width = float(width_px)
    drawn = map_image.drawn(view, size_by, events, mentions, width)
    state = deck.fitted_view(view, width)
    event_totals = view.event_totals() if events else None
    the_deck = deck.deck_for(
        view.city_totals(),
        events=event_totals,
        mentions=mentions,
        borders=borders,
        size_by=size_by,
        largest=view.index.largest,
        view=state,
        width_px=width,
        circle_scale=drawn.scale,
        lang=lang,
        marks=drawn.marks,
    )
    deck_json = json.loads(the_deck.to_json())
    deck_json.pop("mapStyle", None)  # Streamlit's "no style" sentinel; deck.gl draws no basemap without a provider
    mentions_largest = float(mentions["mentions"].max()) if mentions is not None and len(mentions) else 0.0
    keys = [
        Markup(
            legend.size_key(
                tr.gettext(MENTIONS_KEY_TITLE) if measure == "mentions" else descriptions.size_key_title(measure, lang),
                found,
                colour,
                ring=colour == "orange",
                lang=lang,
            )
        )
        for colour, measure, found in map_image.key_rows(
            size_by, events, mentions is not None, view.index.largest, mentions_largest, drawn.scale
        )
    ]
    entries = [
        {**e, "rgb": "rgb({}, {}, {})".format(*legend.RGB[e["color"]])}
        for e in legend.legend(size_by, events=events, mentions=mentions is not None, lang=lang)
    ]
    provenance = view.index.provenance
    page = _template().render(
        lang=lang,
        csp=CONTENT_SECURITY_POLICY,
        page_title=f"{tr.gettext('Qantar map')} — {descriptions.window_stamp(view.filters, view.bounds, lang)}",
        title=legend.title(view),
        stamp=descriptions.window_stamp(view.filters, view.bounds, lang),
        alt=tr.gettext("Map of Kazakhstan with a circle for each city where court decisions were handed down"),
        how_to_use=tr.gettext(HOW_TO_USE),
        no_script=tr.gettext(NO_SCRIPT),
        width=round(width),
        height=round(drawn.port.height),
        keys=keys,
        entries=entries,
        notes=legend.map_notes(view, events, drawn.marks.unnamed(), drawn.marks.without_note()),
        source=citation.source_line(provenance, lang),
        cite_heading=tr.gettext("How to cite"),
        citation=citation.citation_text(provenance),
        deck_data=Markup(script_json({"deck": deck_json, "tooltip": deck.TOOLTIP})),
        bundle=Markup(deckgl_bundle()),
    )
    return page.encode("utf-8")
