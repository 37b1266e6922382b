"""The date window: the range a slider offers for a dataset, and moving a window through it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

#: The slider starts with the unrest, whatever the data's first date.
FIRST_DAY = date(2022, 1, 1)
#: The slider never reaches further back, even for data whose own descriptor sets no x-minDate:
#: it sends microseconds as JavaScript numbers, which cannot hold a date before about 1685.
EARLIEST_DAY = date(1900, 1, 1)


def period_bounds(span: tuple[date | None, date | None]) -> tuple[date, date]:
    """The slider's range for a dataset whose dated rows cover ``span``: from the unrest (or the
    first date) to the last date; at least a day wide, and the unrest's first month when no row
    has a date (the tables may be empty)."""
    first, last = span
    first = FIRST_DAY if first is None or pd.isna(first) else min(FIRST_DAY, max(first, EARLIEST_DAY))
    last = FIRST_DAY + timedelta(days=30) if last is None or pd.isna(last) else max(last, FIRST_DAY)
    return first, max(last, first + timedelta(days=1))


def shift_window(start: date, end: date, lo: date, hi: date, days: int) -> tuple[date, date]:
    """The date window ``start..end`` moved by ``days`` within ``lo..hi``, keeping its width.

    From the full range ``lo..hi`` a step forward gives the first ``days`` days and a step back
    the last ones, so stepping through the whole period starts where one expects.
    """
    if (start, end) == (lo, hi):
        width = timedelta(days=abs(days) - 1)
        return (lo, min(hi, lo + width)) if days > 0 else (max(lo, hi - width), hi)
    width = end - start
    moved = max(lo, min(start + timedelta(days=days), hi - width))
    return moved, moved + width


def shift_months(start: date, end: date, lo: date, hi: date, months: int) -> tuple[date, date]:
    """The date window moved by whole calendar months within ``lo..hi``.

    A window of whole calendar months (from a 1st to a month's last day) moves by ``months`` and
    keeps its number of months, so stepping a one-month window reads January, February, March;
    any other window moves both ends by ``months``, keeping its day of the month where the month
    has it (31 January + 1 month is 28 or 29 February). From the full
    range, a step forward gives the first month and a step back the last."""
    if (start, end) == (lo, hi):
        month = pd.Timestamp(lo if months > 0 else hi).to_period("M")
        return max(lo, month.start_time.date()), min(hi, month.end_time.date())
    if start.day == 1 and pd.Timestamp(end).is_month_end:
        span = (pd.Timestamp(end).to_period("M") - pd.Timestamp(start).to_period("M")).n + 1
        first = pd.Timestamp(start).to_period("M") + months
        new_start, new_end = first.start_time.date(), (first + (span - 1)).end_time.date()
        if new_start > hi or new_end < lo:  # nothing of it left in the range: stay
            return start, end
        return max(lo, new_start), min(hi, new_end)  # the range's first or last month may be partial
    moved_start = (pd.Timestamp(start) + pd.DateOffset(months=months)).date()
    moved_end = (pd.Timestamp(end) + pd.DateOffset(months=months)).date()
    return clamp(moved_start, moved_end, lo, hi)


def clamp(start: date, end: date, lo: date, hi: date) -> tuple[date, date]:
    """``start..end`` inside ``lo..hi``: a window past an end stops there, keeping its width where it fits."""
    width = end - start
    if start < lo:
        start, end = lo, min(hi, lo + width)
    if end > hi:
        start, end = max(lo, hi - width), hi
    return start, end
