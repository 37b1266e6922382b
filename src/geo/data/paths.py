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


def relative_inside(value: str) -> bool:
    """Whether ``value`` names a file below a directory, read as a POSIX or a Windows path: relative
    (no leading ``/`` or ``\\``, no drive such as ``C:``), no ``..`` step, no NUL; ``en/x.md``,
    ``seeds/001.txt``. Only the text is judged: nothing is looked up on disk."""
    from pathlib import PurePosixPath, PureWindowsPath  # noqa: PLC0415

    if not value or "\x00" in value or value.startswith(("/", "\\", "~")):
        return False
    windows = PureWindowsPath(value)
    if windows.drive or windows.root or PurePosixPath(value).is_absolute():
        return False
    return ".." not in windows.parts and ".." not in PurePosixPath(value).parts
