"""JSON files of the data directory (``datapackage.json``, ``borders.geojson``) read as untrusted
input: every problem is a :class:`geo.data.problems.Problem` at the file's line and column.

``json`` reports where a syntax error is, but not where a well-formed value sits, and neither
does ``jsonschema`` (it gives a path of keys and indexes). :func:`locate` turns such a path into
a line and column. It is hand-written because no maintained library that the project already
uses does this; it walks only the path's own keys and lets ``json``'s C scanner skip every other
value, so locating a value near the end of a 20 MB file stays a fraction of a second.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from geo.data.problems import ERROR, Report

_WS = re.compile(r"[ \t\n\r]*")
#: Strings (skipped whole) and brackets, to find where nesting runs too deep.
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
MAX_SHOWN_MESSAGE = 300


def shown(value: object, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: parsing a large JSON file makes millions of lists, and
    collecting them again and again while they are still being made tripled the time taken."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def path_text(path: Sequence[str | int]) -> str:
    """``["resources", 3, "path"]`` -> ``resources[3].path``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(the whole file)"


def _skip(text: str, pos: int) -> int:
    """The offset of the first character at or after ``pos`` that is not JSON white space."""
    found = _WS.match(text, pos)
    assert found is not None  # the pattern matches the empty string
    return found.end()


def locate(text: str, path: Sequence[str | int]) -> int:
    """The character offset of the value at ``path`` in the JSON ``text`` (which must parse).
    Where the path cannot be followed (a key that is missing), the offset of the deepest value
    that exists. A key given twice counts as its last occurrence, as ``json.loads`` keeps it."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    for step in path:
        if pos >= len(text):
            break
        if text[pos] == "{" and isinstance(step, str):
            found = None
            pos = _skip(text, pos + 1)
            while pos < len(text) and text[pos] == '"':
                key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]  # public, untyped
                pos = _skip(text, pos) + 1  # the colon
                pos = _skip(text, pos)
                if key == step:
                    found = pos
                _, pos = decoder.raw_decode(text, pos)
                pos = _skip(text, pos)
                if pos < len(text) and text[pos] == ",":
                    pos = _skip(text, pos + 1)
            if found is None:
                return pos
            pos = found
        elif text[pos] == "[" and isinstance(step, int):
            pos = _skip(text, pos + 1)
            for _ in range(step):
                _, pos = decoder.raw_decode(text, pos)
                pos = _skip(text, pos)
                if pos < len(text) and text[pos] == ",":
                    pos = _skip(text, pos + 1)
        else:
            break
    return pos


def where(text: str, path: Sequence[str | int]) -> tuple[int, int]:
    try:
        with no_gc():
            return line_column(text, locate(text, path))
    except (ValueError, IndexError, RecursionError):  # cannot happen on text that parsed; be safe
        return 1, 1


def too_deep_at(text: str, limit: int) -> int:
    """Offset of the first bracket nested deeper than ``limit`` (0 when none is)."""
    depth = 0
    for m in _NESTING.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif token in "]}":
            depth -= 1
    return 0


def add(report: Report, file: str, text: str, path: Sequence[str | int], message: str, severity: str = ERROR) -> None:
    """Report ``message`` about the value at ``path``, located in ``text``."""
    line, column = where(text, path)
    if len(message) > MAX_SHOWN_MESSAGE:
        message = message[: MAX_SHOWN_MESSAGE - 1] + "…"
    report.add(file, line, str(column), f"{path_text(path)}: {message}", severity)


def parse(raw: bytes, file: str, report: Report) -> tuple[Any, str] | None:
    """The parsed value and its text, or None with one located error (not UTF-8, not JSON,
    nested too deep for the parser)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(file, line, str(column), f"not valid UTF-8: byte 0x{raw[exc.start]:02x}")
        return None
    try:
        with no_gc():
            return json.loads(text), text
    except json.JSONDecodeError as exc:
        report.add(file, exc.lineno, str(exc.colno), f"not valid JSON: {exc.msg}")
    except RecursionError:
        line, column = line_column(text, too_deep_at(text, 200))
        report.add(file, line, str(column), "not usable JSON: nested too deeply (hundreds of levels of [ or {)")
    return None
