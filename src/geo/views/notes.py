"""Notes to the reader about the data itself: what the map cannot place, what loaded with
warnings (and where), and an update that does not validate yet or is loading. Fixed wording:
no text from the data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from geo.data.dataset import (
    MARKER,
    row_warnings,
)
from geo.data.validate import Report
from geo.i18n import N_, count_text, translation
from geo.i18n.enums import NP_
from geo.views.formats import day_text

if TYPE_CHECKING:
    pass


def unmapped_note(decisions: int, people: int, lang: str = "en") -> str | None:
    """``2 court decisions (12 people) whose court city is not stated or not geocoded are not on the map.``"""
    if not decisions:
        return None
    return (
        translation(lang)
        .ngettext(
            "{decisions} ({people}) whose court city is not stated or has no coordinates is not on the map; "
            "they are in the counts above and on the Cases page.",
            "{decisions} ({people}) whose court city is not stated or has no coordinates are not on the map; "
            "they are in the counts above and on the Cases page.",
            decisions,
        )
        .format(decisions=count_text("decisions", decisions, lang), people=count_text("people", people, lang))
    )


def approximate_note(decisions: int, lang: str = "en") -> str | None:
    if not decisions:
        return None
    return (
        translation(lang)
        .ngettext(
            "{decisions} is dated only to the week, month or year; each counts in any date range that touches "
            "its period.",
            "{decisions} are dated only to the week, month or year; each counts in any date range that touches "
            "its period.",
            decisions,
        )
        .format(decisions=count_text("decisions", decisions, lang))
    )


def events_unmapped_note(events: int, lang: str = "en") -> str | None:
    if not events:
        return None
    return (
        translation(lang)
        .ngettext(
            "{events} has no city (nationwide or not stated) and is not on the map.",
            "{events} have no city (nationwide or not stated) and are not on the map.",
            events,
        )
        .format(events=count_text("events", events, lang))
    )


def warnings_note(report: Report, lang: str = "en") -> str | None:
    """One Markdown sentence of fixed wording: the data loaded with N warnings, what that means;
    None without warnings. Where they are is :func:`warnings_places` (plain text)."""
    warnings = report.warnings
    if not warnings:
        return None
    tr, n = translation(lang), len(warnings)
    return tr.ngettext(
        "**The data loaded with {count} warning.** Text that looks like a formula or HTML is shown as typed, "
        "never run, and downloads neutralise formulas. `python -m geo validate` lists the same warnings.",
        "**The data loaded with {count} warnings.** Text that looks like a formula or HTML is shown as typed, "
        "never run, and downloads neutralise formulas. `python -m geo validate` lists the same warnings.",
        n,
    ).format(count=tr.number(n))


#: What every page says when no version of the data has validated (Markdown, fixed wording: no path,
#: no file, no problem from the data reaches a reader).
DATA_UNAVAILABLE = N_(
    "**The data cannot be shown right now.** The data files on this server do not pass validation, and no "
    "earlier version that did is kept here. The problems are in the server's log; `python -m geo validate` "
    "lists them too."
)


def loading_update_note(validated_at: datetime | None, lang: str = "en") -> str:
    """Above every page while a changed version of the data files is being read and validated, off
    the readers' path: the version shown is the one served before (Markdown, fixed wording)."""
    tr = translation(lang)
    if validated_at is None:
        return tr.gettext(
            "**An update to the data is being loaded:** this page shows the version before it until the update "
            "has been checked."
        )
    return tr.gettext(
        "**An update to the data is being loaded:** this page shows the version before it, validated on {day} "
        "at {time} UTC, until the update has been checked."
    ).format(**_validated_when(validated_at, lang))


def pending_update_note(validated_at: datetime | None, lang: str = "en") -> str:
    """Above every page while the data files on disk do not validate and the last version that did
    is shown (Markdown, fixed wording; the time is the one that version validated, in UTC)."""
    tr = translation(lang)
    if validated_at is None:
        return tr.gettext(
            "**An update to the data is pending:** it does not pass validation yet. This page shows the "
            "last version that passed."
        )
    return tr.gettext(
        "**An update to the data is pending:** it does not pass validation yet. This page shows the last "
        "version that passed, validated on {day} at {time} UTC."
    ).format(**_validated_when(validated_at, lang))


def _validated_when(validated_at: datetime, lang: str) -> dict[str, str]:
    """The day and the UTC time a version of the data validated, as both update notes state them."""
    at = validated_at.astimezone(UTC)
    return {"day": day_text(at, lang), "time": f"{at:%H:%M}"}


#: Where the data's warnings are (plain text: file names), one message per piece.
WARNING_LINES = NP_("warnings", "{file} line {lines}", "{file} lines {lines}")

WARNING_ROWS = NP_(
    "warnings", "{count} row is marked {marker} in the tables.", "{count} rows are marked {marker} in the tables."
)


def warnings_places(report: Report, max_lines: int = 8, lang: str = "en") -> str:
    """Where the warnings are, as plain text (it names files: never render it as Markdown), e.g.
    ``In convictions.csv lines 2, 3; sources.csv line 2. 3 rows are marked ⚠ in the tables.``
    Line numbers are written as the files count them, without grouping."""
    tr = translation(lang)
    places: dict[str, list[int]] = {}
    for p in sorted(report.warnings, key=lambda p: (p.file, p.line or 0)):
        lines = places.setdefault(p.file, [])
        if p.line and p.line not in lines:
            lines.append(p.line)
    parts = []
    for file, lines in places.items():
        shown_lines = [str(n) for n in lines[:max_lines]] + (["…"] if len(lines) > max_lines else [])
        parts.append(
            tr.npgettext(*WARNING_LINES, len(lines)).format(file=file, lines=", ".join(shown_lines)) if lines else file
        )
    flagged = sum(len(row_warnings(report, f)) for f in places)
    rows = " " + tr.npgettext(*WARNING_ROWS, flagged).format(count=tr.number(flagged), marker=MARKER) if flagged else ""
    return tr.gettext("In {places}.").format(places="; ".join(parts)) + rows
