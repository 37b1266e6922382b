"""Where the data lives. One rule for the whole project, the dashboard included."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The shipped dataset, installed with the package (``geo/shipped``; in a checkout, a link to ``data/``).
SHIPPED_DATA_DIR = Path(str(files("geo") / "shipped")).resolve()


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``explicit`` (``--data-dir``), else ``$GEO_DATA_DIR``, else the shipped dataset."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("GEO_DATA_DIR")
    return Path(env) if env else SHIPPED_DATA_DIR
