"""The data rows of a large worksheet as SpreadsheetML, a column at a time, put into a workbook that
XlsxWriter made with everything else (styles, header, frozen pane, autofilter, other sheets).

XlsxWriter writes a cell through several Python calls, which for the hundreds of thousands of rows
of a full download is what the reader waits for (see the README's bench table). Here each distinct
value of a column becomes its XML once, and a row is the join of its cells' XML. The rows are
written a chunk at a time into the worksheet's part of the zip, which is compressed as it goes, so
memory holds one chunk, as in XlsxWriter's constant-memory mode.

Cells are the ones XlsxWriter's constant-memory mode writes: inline strings (``t="inlineStr"``),
escaped as it escapes them (``& < >``, control characters as ``_xHHHH_``, whitespace kept), and
numbers, with a style index for dates. Unlike XlsxWriter, a text that looks like rich-string XML
(``<r>…</r>``) is escaped like any other: XlsxWriter writes such a string unescaped, which let a data
cell close its own cell and add a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: A literal ``_xHHHH_`` in text, which a reader would decode: its underscore is escaped first.
LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
#: Characters XML 1.0 cannot hold (tab and line feed it can; a carriage return it would normalise).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
#: Leading or trailing whitespace, which needs ``xml:space="preserve"`` to survive.
EDGE_SPACE = re.compile(r"^\s|\s$")
#: Anything :func:`text_tail` would change; most text has none of it.
SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
#: The big worksheet part is compressed fast: level 1 makes a file about a third larger than the
#: default level, in a third of the time.
SHEET_COMPRESSION = 1


def column_letter(col: int) -> str:
    """0 -> ``A``, 26 -> ``AA``."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def text_tail(value: str, style: int | None = None) -> str:
    """What follows ``<c r="A2"`` for a text cell holding ``value`` (in the cell format ``style``)."""
    styled = f' s="{style}"' if style else ""
    if not SPECIAL.search(value):
        return f'{styled} t="inlineStr"><is><t>{value}</t></is></c>'
    escaped = LITERAL_ESCAPE.sub(r"_x005F\1", value)
    escaped = CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", escaped)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if EDGE_SPACE.search(escaped) else ""
    return f'{styled} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def number_tail(value: int | float, style: int | None = None) -> str:
    """What follows ``<c r="A2"`` for a number cell (a date is a number with a date style)."""
    number = str(value) if isinstance(value, int) else f"{value:.16G}"
    return f' s="{style}"><v>{number}</v></c>' if style else f"><v>{number}</v></c>"


def rows_xml(first_row: int, columns: Sequence[np.ndarray]) -> str:
    """``<row>`` elements for consecutive rows from ``first_row`` (0-based), one array of cell tails
    (:func:`text_tail`, :func:`number_tail`; None for an empty cell) per column, in column order.

    Rows with the same empty cells share one template, ``<row r="{0}"><c r="A{0}"{1}…</row>``,
    filled by one ``str.format`` a row; a table has few such shapes."""
    if not len(columns) or not len(columns[0]):
        return ""
    count = len(columns[0])
    numbers = np.asarray([str(r) for r in range(first_row + 1, first_row + 1 + count)], dtype=object)
    tails = [np.asarray(t, dtype=object) for t in columns]
    filled = np.column_stack([pd.notna(t) for t in tails])
    # a row's shape as one number, bit i set where column i has a cell
    bits = filled.astype(object if filled.shape[1] > 62 else np.int64) * (2 ** np.arange(filled.shape[1])).astype(
        object if filled.shape[1] > 62 else np.int64
    )
    keys, shapes = pd.factorize(bits.sum(axis=1))
    out = np.empty(count, dtype=object)
    for key in range(len(shapes)):
        rows = np.flatnonzero(keys == key)
        present = np.flatnonzero(filled[rows[0]])
        template = (
            '<row r="{0}">'
            + "".join(f'<c r="{column_letter(int(col))}{{0}}"{{{i + 1}}}' for i, col in enumerate(present))
            + "</row>"
        )
        out[rows] = list(map(template.format, numbers[rows], *(tails[col][rows] for col in present)))
    return "".join(out)


def with_rows(workbook: bytes, sheets: Mapping[str, tuple[Iterable[str], str]]) -> bytes:
    """``workbook`` (an .xlsx) with rows appended to the sheet data of some of its worksheets:
    ``sheets`` maps a worksheet's part (e.g. ``xl/worksheets/sheet1.xml``) to its rows
    (:func:`rows_xml` chunks, consumed as the part is written) and its last cell (its dimension
    becomes ``A1:last``). Every other part is copied as it is, with its date, so equal input gives
    equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=SHEET_COMPRESSION) as target,
    ):
        missing = set(sheets) - set(source.namelist())
        if missing:
            raise ValueError(f"the workbook has no part {sorted(missing)}")
        for info in source.infolist():
            data = source.read(info)
            if info.filename not in sheets:
                target.writestr(info, data)
                continue
            rows, last = sheets[info.filename]
            xml = data.decode("utf-8")
            end = xml.find("</sheetData>")
            if end < 0:  # no row at all: XlsxWriter wrote an empty element
                empty = xml.index("<sheetData/>")
                head, tail = xml[:empty] + "<sheetData>", "</sheetData>" + xml[empty + len("<sheetData/>") :]
            else:
                head, tail = xml[:end], xml[end:]
            head = DIMENSION.sub(f'<dimension ref="A1:{last}"/>', head, count=1)
            # A ZipInfo made from a name is dated 1980-01-01, as XlsxWriter dates every part.
            with target.open(info.filename, "w") as sheet:
                sheet.write(head.encode("utf-8"))
                for chunk in rows:
                    sheet.write(chunk.encode("utf-8"))
                sheet.write(tail.encode("utf-8"))
    return out.getvalue()
