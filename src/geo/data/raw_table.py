"""A table as the validator reads it: every cell text, each row's line; and how a value is quoted
in a problem's message. A leaf, so that the rules built beside the validator import it, not the
validator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data.schema import Table

MAX_SHOWN = 60  # characters of an offending value quoted in a message


@dataclass
class RawTable:
    """A table as text: every cell a ``str`` ('' when empty), plus each row's first line number."""

    table: Table
    frame: pd.DataFrame
    lines: np.ndarray

    @property
    def file(self) -> str:
        return self.table.path


def shown(value: object) -> str:
    text = str(value)
    text = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
    return repr(text)
