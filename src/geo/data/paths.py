"""Where the data lives. One rule for the whole project, the dashboard included."""

from __future__ import annotations

import os
from pathlib import Path

#: The shipped dataset: ``<repo>/data``.
SHIPPED_DATA_DIR = Path(__file__).resolve().parents[3] / "data"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``explicit`` (``--data-dir``), else ``$GEO_DATA_DIR``, else the shipped ``data/``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("GEO_DATA_DIR")
    return Path(env) if env else SHIPPED_DATA_DIR
