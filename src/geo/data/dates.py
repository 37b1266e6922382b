"""The span a date stands for, given its precision (day, week, month, year): one reading, shared by
the validator (an appeal dated before the decision it reviews) and the loader (``period_end``)."""

from __future__ import annotations

import pandas as pd


def period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Last day covered by a date of the given precision (day, week, month, year)."""
    p = precision.astype("string")
    end = start.copy()
    end = end.mask(p == "week", start + pd.Timedelta(days=6))
    end = end.mask(p == "month", start + pd.offsets.MonthEnd(0))
    end = end.mask(p == "year", start + pd.offsets.YearEnd(0))
    return end
