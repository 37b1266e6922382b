"""What a reader is told when a download is not made (:class:`geo.downloads.limits.Refusal`), in
their language. Plain text: a refusal is shown under the button that was clicked, as typed."""

from __future__ import annotations

import math

from geo.downloads.limits import MiB, Refusal
from geo.downloads.store import Refused
from geo.i18n import translation


def full_data_hint(lang: str = "en") -> str:
    """Where the whole dataset is, for a reader who needs more than one download may hold."""
    return translation(lang).gettext(
        "The whole dataset is in the project's data files: the CSV tables in the data/ folder of its "
        "repository (see About)."
    )


def too_many_rows(rows: int, limit: int, lang: str = "en") -> str:
    """Beside a download disabled for its size: how many rows it would hold, the limit, and where
    the full data is."""
    tr = translation(lang)
    said = tr.ngettext(
        "This choice holds {rows} decision; a file made here holds at most {limit}.",
        "This choice holds {rows} decisions; a file made here holds at most {limit}.",
        rows,
    ).format(rows=tr.number(rows), limit=tr.number(limit))
    return f"{said} {tr.gettext('Narrow the filter, or take the full data.')} {full_data_hint(lang)}"


def refusal_text(refused: Refused, lang: str = "en") -> str:
    """Why the file was not made and what to do, under the clicked button."""
    tr = translation(lang)
    reason = refused.reason
    if reason is Refusal.TOO_MANY_ROWS:
        limit = refused.limit or 0
        return (
            tr.gettext("A file made here holds at most {limit} rows. Narrow the filter, or take the full data.").format(
                limit=tr.number(limit)
            )
            + " "
            + full_data_hint(lang)
        )
    if reason is Refusal.ONE_AT_A_TIME:
        return tr.gettext("Another file is being made for you. When it has downloaded, ask for this one again.")
    if reason is Refusal.BUDGET:
        seconds = max(1, math.ceil(refused.retry_after or 60))
        return tr.ngettext(
            "You have asked for {files} files within a minute, the most one reader may. Try again in {seconds} second.",
            "You have asked for {files} files within a minute, the most one reader may. Try again in {seconds} "
            "seconds.",
            seconds,
        ).format(files=tr.number(refused.limit or 0), seconds=tr.number(seconds))
    if reason is Refusal.SERVER_BUSY:
        return tr.gettext("The server is busy making other readers' files. Try again in a minute.")
    if reason is Refusal.TOO_BIG:
        size = math.ceil((refused.limit or 0) / MiB)
        return (
            tr.gettext(
                "This file would be larger than the {size} MB a file made here may be. Narrow the filter, or take the "
                "full data."
            ).format(size=tr.number(size))
            + " "
            + full_data_hint(lang)
        )
    return tr.gettext("The file could not be made. Try again; if it fails again, take the full data.") + (
        " " + full_data_hint(lang)
    )


def gone_text(lang: str = "en") -> str:
    """The answer to a made file's address once the file is no longer kept."""
    return translation(lang).gettext(
        "This file is no longer kept: made files are kept for a few minutes, until their page is closed. "
        "Click the download button again."
    )
