"""The download buttons' recipes: what a click makes (:mod:`geo.dashboard.made_downloads` makes
and serves it), and the key that tells one data version's files from another's.
"""

from __future__ import annotations

import functools

import streamlit as st

from geo.dashboard.loading import borders
from geo.downloads.store import Recipe
from geo.query.view import View
from geo.views import export


def map_image_bytes(kind: str, v: View, size_by: str, events: bool, with_mentions: bool) -> bytes:
    """The Map page's view as a PNG (twice the screen size, for print) or an SVG, as it is drawn:
    the same circles, rings, mentions and borders. Called on a download click only."""
    from geo.views import map_image as image  # noqa: PLC0415 -- matplotlib loads on the first click

    ds = v.data
    shown = v.mention_totals if with_mentions else None
    draw = image.map_png if kind == "png" else image.map_svg
    return draw(v, size_by=size_by, events=events, mentions=shown, borders=borders(ds))


def map_downloads(v: View, size_by: str, events: bool, with_mentions: bool) -> None:
    """ "Download map": PNG and SVG of the map as shown, each made when its button is clicked."""
    tr = v.tr
    with st.popover(tr.gettext("Download map"), icon=":material/download:"):
        for kind, text, tip in (
            (
                "png",
                tr.gettext("PNG, for print"),
                tr.gettext("Twice the screen size: borders, circles, names, title, key and source."),
            ),
            ("svg", "SVG", tr.gettext("A vector image whose text stays text, for editing and publishing.")),
        ):
            name = export.export_filename("map", v.filters, kind, v.bounds, v.index.provenance.version)
            st.download_button(
                text,
                key=f"download_map_{kind}",
                on_click="ignore",
                icon=":material/download:",
                data=Recipe(
                    functools.partial(map_image_bytes, kind, v, size_by, events, with_mentions),
                    key=("map", data_key(v), v.lang, kind, v.filters, size_by, events, with_mentions),
                    kind=kind,
                    rows=0,
                    file_name=name,
                    mime=export.MEDIA_TYPES[kind],
                    lang=v.lang,
                ),
                file_name=name,
                mime=export.MEDIA_TYPES[kind],
                help=tip,
            )


def data_key(v: View) -> tuple:
    """What tells this data version apart in a made file's key: a file made from an earlier
    version is never handed out for a later one."""
    data = v.index.data
    return (v.index.provenance.version, data.validated_at.isoformat() if data.validated_at else id(v.index))
