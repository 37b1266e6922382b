"""Check a data directory against its Data Package and report every problem.

Errors are values: :func:`read_tables` never raises on bad data. It returns the raw tables
it could read (all cells as text, with each row's line number in the file) and a
:class:`Report` listing every problem as ``file:line:column: message``. The loader builds
typed frames from the same raw tables, so there is one reading of the files, not two.

The checks are vectorised with pandas so that a million-row table validates in seconds;
``frictionless validate`` checks row by row and cannot express the cross-column rules.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data import borders_file, descriptor, safe_files
from geo.data.dates import period_end
from geo.data.people_rules import check_names
from geo.data.problems import ERROR, WARNING, Problem, Report
from geo.data.raw_table import RawTable, shown
from geo.data.schema import Field, Table
from geo.text.cells import (
    FORMULA_AFTER_SEPARATOR,
    FORMULA_PREFIXES,
    FORMULA_START,
    HTML_MARKUP,
    INTEGER,
    INVISIBLE,
    ISO_DATE,
    anchored,
    first_match,
    formula_start,
    split_list,
)

__all__ = [  # what other modules take from here, besides its own functions
    "ERROR",
    "FORMULA_AFTER_SEPARATOR",
    "FORMULA_PREFIXES",
    "FORMULA_START",
    "HTML_MARKUP",
    "INVISIBLE",
    "WARNING",
    "Problem",
    "Report",
    "formula_start",
    "split_list",
]

BOM = b"\xef\xbb\xbf"
#: Whole numbers must fit the loader's 64-bit integers; no count in this data comes near.
MAX_INTEGER_DIGITS = 18
#: Python's csv module refuses longer cells; the widest declared text (maxLength) is far below.
MAX_CELL = csv.field_size_limit()


def pattern_mask(col: pd.Series, pattern: str) -> np.ndarray:
    """Where ``col`` matches ``pattern`` whole, in RE2 (linear time whatever the pattern; see
    :func:`geo.data.descriptor.pattern_problem`), vectorised by pyarrow."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    try:
        values = pa.array(col.array)
    except (TypeError, pa.ArrowInvalid):
        values = pa.array(col.astype(object).to_numpy(), type=pa.large_string())
    matched = pc.match_substring_regex(values, anchored(pattern))
    return matched.to_numpy(zero_copy_only=False).astype(bool)


# --- reading ---------------------------------------------------------------------------------


def position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset`` in ``raw``."""
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


def decode(raw: bytes, file: str, report: Report) -> str | None:
    """The file's text, or None (with one error saying what the bytes are instead)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.add(file, 1, None, "is UTF-16 text (Excel's 'Unicode Text'), not UTF-8: save it as 'CSV UTF-8'")
        return None
    if raw.startswith(b"PK\x03\x04"):
        report.add(file, 1, None, "is a zip archive (an Excel workbook?), not CSV text: save it as 'CSV UTF-8'")
        return None
    if (nul := raw.find(b"\x00")) >= 0:
        line, column = position(raw, nul)
        report.add(file, line, str(column), "contains a NUL byte: this is a binary file, not CSV text")
        return None
    if raw.startswith(BOM):
        report.add(file, 1, None, "starts with a byte order mark (BOM); it was ignored", WARNING)
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position(raw, exc.start)
        hint = ""
        try:
            raw.decode("cp1251")
            hint = " (it looks like Windows-1251: re-save the file as UTF-8)"
        except UnicodeDecodeError:
            pass
        report.add(file, line, str(column), f"not valid UTF-8: byte 0x{raw[exc.start]:02x}{hint}")
        return None


def parse_rows(text: str, table: Table, report: Report) -> tuple[list[str], list[list[str]], list[int]] | None:
    """CSV rows with their first line numbers; quoting errors stop the table (nothing after is trustworthy)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    next_line = 1
    try:
        for row in reader:
            lines.append(next_line)
            rows.append(row)
            next_line = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            report.add(
                table.path,
                next_line,
                None,
                f"a cell runs past {MAX_CELL:,} characters; check this row for a quote that is never closed",
            )
        else:
            report.add(table.path, next_line, None, f"broken CSV quoting ({exc}); check the quotes on this row")
        return None
    if not rows:
        report.add(table.path, 1, None, "file is empty: it needs at least a header row")
        return None
    return rows[0], rows[1:], lines[1:]


def check_header(header: list[str], table: Table, report: Report) -> bool:
    file = table.path
    if len(header) == 1 and len(table.columns) > 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            if header[0].count(sep) >= len(table.columns) // 2:
                report.add(
                    file,
                    1,
                    None,
                    f"the columns are separated by {name}, not commas (a spreadsheet "
                    "set to another locale does this): save it as 'CSV UTF-8 (comma delimited)'",
                )
                return False
    seen: set[str] = set()
    for name in header:
        if name in seen:
            report.add(file, 1, name, f"column {name!r} appears twice in the header")
        seen.add(name)
    missing = [c for c in table.columns if c not in seen]
    for name in missing:
        report.add(file, 1, name, f"missing column {name!r}")
    for name in header:
        if name not in table.columns:
            report.add(
                file,
                1,
                name,
                f"unknown column {name!r} is ignored (expected one of: {', '.join(table.columns)})",
                WARNING,
            )
    return not missing and len(seen) == len(header)


def read_table(data_dir: Path, table: Table, report: Report) -> RawTable | None:
    try:  # a regular file inside the data directory, of bounded size (see geo.data.safe_files)
        raw = safe_files.read_inside(data_dir, table.path, safe_files.MAX_TABLE_BYTES)
    except FileNotFoundError:
        if table.optional:
            empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in table.columns})
            return RawTable(table, empty, np.empty(0, dtype=np.int64))
        report.add(table.path, None, None, "file is missing")
        return None
    except safe_files.UnsafeFile as exc:
        report.add(table.path, None, None, str(exc))
        return None
    except OSError as exc:
        report.add(table.path, None, None, f"cannot be read: {exc.strerror}")
        return None
    text = decode(raw, table.path, report)
    if text is None:
        return None
    parsed = parse_rows(text, table, report)
    if parsed is None:
        return None
    header, rows, lines = parsed
    if not check_header(header, table, report):
        return None
    width = len(header)
    good_rows, good_lines = [], []
    for row, line in zip(rows, lines):
        if row == [] or (row == [""] and width > 1):
            continue  # blank line
        if len(row) != width:
            report.add(table.path, line, None, f"has {len(row)} cells where the header has {width}")
            continue
        good_rows.append(row)
        good_lines.append(line)
    if not table.optional and not any(row not in ([], [""]) for row in rows):
        report.add(table.path, 1, None, "has a header but no rows: was the table cut by mistake?", WARNING)
    frame = pd.DataFrame(good_rows, columns=header, dtype=object)[table.columns]
    return RawTable(table, frame.reset_index(drop=True), np.asarray(good_lines, dtype=np.int64))


# --- checks ----------------------------------------------------------------------------------


def flag(
    raw: RawTable, report: Report, mask: pd.Series | np.ndarray, column: str, message, severity: str = ERROR
) -> None:
    """Report ``message(value)`` for each row where ``mask`` holds."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    values = raw.frame[column].to_numpy()
    for i in np.flatnonzero(mask):
        report.add(raw.file, int(raw.lines[i]), column, message(values[i]), severity)


def parse_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.where(values.str.match(ISO_DATE.pattern)), format="%Y-%m-%d", errors="coerce")


def check_field(raw: RawTable, fld: Field, report: Report, today: date) -> None:
    col = raw.frame[fld.name].astype(str)
    filled = col != ""
    name = fld.name
    if fld.required:
        flag(raw, report, ~filled, name, lambda v: "missing value (required)")
        # The loader strips cells: one of spaces only would arrive empty where a value is required.
        blank = filled & (col.str.strip() == "")
        flag(raw, report, blank, name, lambda v: "missing value (required): the cell holds only spaces")
    if fld.type == "integer":
        bad = filled & ~col.str.match(INTEGER.pattern)
        flag(raw, report, bad, name, lambda v: f"not a whole number: {shown(v)}")
        huge = filled & ~bad & (col.str.len() > MAX_INTEGER_DIGITS)  # cheap test first: rarely true
        if huge.any():
            huge &= col.str.lstrip("+-").str.lstrip("0").str.len() > MAX_INTEGER_DIGITS
        flag(raw, report, huge, name, lambda v: f"{shown(v)} is too large (more than {MAX_INTEGER_DIGITS} digits)")
        bad = bad | huge
        numbers = pd.to_numeric(col.where(filled & ~bad), errors="coerce")
    elif fld.type == "number":
        numbers = pd.to_numeric(col.where(filled), errors="coerce")
        bad = filled & ~np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan))
        flag(raw, report, bad, name, lambda v: f"not a finite number: {shown(v)}")
        numbers = numbers.where(~bad)
    elif fld.type == "date":
        form = filled & ~col.str.match(ISO_DATE.pattern)
        flag(raw, report, form, name, lambda v: f"not a date in YYYY-MM-DD form: {shown(v)}")
        parsed = parse_dates(col.where(filled & ~form, ""))
        impossible = filled & ~form & parsed.isna()
        flag(raw, report, impossible, name, lambda v: f"impossible date {shown(v)}")
        if fld.not_in_future:
            future = (parsed > pd.Timestamp(today)).to_numpy(dtype=bool, na_value=False)
            flag(raw, report, future, name, lambda v: f"date {v} is in the future (today is {today.isoformat()})")
        if fld.min_date:
            early = (parsed < pd.Timestamp(fld.min_date)).to_numpy(dtype=bool, na_value=False)
            flag(
                raw,
                report,
                early,
                name,
                lambda v: f"date {v} is before {fld.min_date}, the earliest this column accepts (x-minDate): a typo?",
            )
        numbers = None
    else:
        numbers = None
    if numbers is not None:
        if fld.minimum is not None:
            flag(raw, report, numbers < fld.minimum, name, lambda v: f"{v} is below the minimum {fld.minimum}")
        if fld.maximum is not None:
            flag(raw, report, numbers > fld.maximum, name, lambda v: f"{v} is above the maximum {fld.maximum}")
    if fld.enum:
        bad = filled & ~col.isin(fld.enum)
        flag(raw, report, bad, name, lambda v: f"{shown(v)} is not one of: {', '.join(fld.enum)}")
    if fld.pattern and fld.type == "string":
        bad = filled & ~pattern_mask(col, fld.pattern)
        flag(raw, report, bad, name, lambda v: f"{shown(v)} does not match the pattern {fld.pattern}")
    if fld.max_length:
        flag(
            raw,
            report,
            col.str.len() > fld.max_length,
            name,
            lambda v: f"is {len(v)} characters long; the limit is {fld.max_length}",
        )
    if fld.unique:
        dup = filled & col.duplicated(keep="first")
        if dup.any():
            first_line = dict(zip(col[filled].iloc[::-1], raw.lines[filled.to_numpy()][::-1]))
            flag(raw, report, dup, name, lambda v: f"duplicate value {shown(v)} (first on line {first_line[v]})")
    if fld.type in ("string", "list"):
        check_hostile_text(raw, name, col, filled, report)


def check_hostile_text(raw: RawTable, name: str, col: pd.Series, filled: pd.Series, report: Report) -> None:
    """Warn (the rows still load) about text a spreadsheet would run or a browser would parse."""
    formula = filled & col.str.contains(FORMULA_START.pattern, regex=True)
    flag(
        raw,
        report,
        formula,
        name,
        lambda v: f"starts with {formula_start(v)!r}, which spreadsheets treat as a formula; downloads neutralise it",
        WARNING,
    )
    inside = filled & col.str.contains(FORMULA_AFTER_SEPARATOR.pattern, regex=True)
    flag(
        raw,
        report,
        inside,
        name,
        lambda v: (
            f"holds {first_match(FORMULA_AFTER_SEPARATOR, v)!r}: a spreadsheet that splits cells on that "
            "separator would run a formula; downloads quote the cell"
        ),
        WARNING,
    )
    # The usual column holds neither kind of text: two searches over the whole column joined
    # (Python's re skips ahead to a '<' or a control character) are much faster than a regex per
    # cell. A match across the joining newline only costs the exact per-cell pass below.
    whole = "\n".join(col.tolist())
    if HTML_MARKUP.search(whole):
        markup = filled & col.str.contains(HTML_MARKUP.pattern, regex=True)
        flag(raw, report, markup, name, lambda v: "contains HTML markup; it is shown as plain text", WARNING)
    if not INVISIBLE.search(whole):
        return
    invisible = filled & col.str.contains(INVISIBLE.pattern, regex=True)
    flag(raw, report, invisible, name, lambda v: invisible_message(first_match(INVISIBLE, v)), WARNING)


def invisible_message(ch: str) -> str:
    import unicodedata  # noqa: PLC0415

    name = unicodedata.name(ch, "")
    return (
        f"contains the invisible control character U+{ord(ch):04X}{f' ({name})' if name else ''}, which can "
        "hide text or show it reversed; delete it"
    )


def check_primary_key(raw: RawTable, report: Report) -> None:
    """Composite keys must be unique as a whole (single-column keys carry ``unique`` already)."""
    key = list(raw.table.primary_key)
    if len(key) < 2:
        return
    frame = raw.frame[key].astype(str)
    duplicated = frame.duplicated(keep="first").to_numpy()
    if not duplicated.any():
        return
    first_line: dict[tuple, int] = {}
    for values, line in zip(frame.itertuples(index=False, name=None), raw.lines):
        first_line.setdefault(values, int(line))
    for i in np.flatnonzero(duplicated):
        values = tuple(frame.iloc[i])
        report.add(
            raw.file,
            int(raw.lines[i]),
            key[0],
            f"duplicate key ({', '.join(key)}) = ({', '.join(values)}) (first on line {first_line[values]})",
        )


def check_rules(raw: RawTable, report: Report) -> None:
    f = raw.frame
    for rule in raw.table.rules:
        kind = rule["rule"]
        if kind in CROSS_TABLE_RULES:
            continue  # needs a second table: check_cross_rules, once every table is read
        if kind == "ordered":
            a, b = rule["fields"]
            kind_a = raw.table.field(a).type
            conv = parse_dates if kind_a == "date" else (lambda s: pd.to_numeric(s, errors="coerce"))
            va, vb = conv(f[a].astype(str)), conv(f[b].astype(str))
            for i in np.flatnonzero((va > vb).fillna(False).to_numpy(dtype=bool)):
                report.add(raw.file, int(raw.lines[i]), a, f"{f[a].iat[i]} is greater than {b} {f[b].iat[i]}")
        elif kind == "precision":
            dcol, pcol = rule["date"], rule["precision"]
            d, p = f[dcol].astype(str), f[pcol].astype(str)
            flag(
                raw,
                report,
                (d != "") & (p == ""),
                pcol,
                lambda v, dcol=dcol: f"missing: {dcol} is given, so say how precise it is",
            )
            flag(raw, report, (d == "") & (p != ""), dcol, lambda v, pcol=pcol: f"missing, but {pcol} is set")
            month = (p == "month") & d.str.match(r"^\d{4}-\d{2}-\d{2}$") & ~d.str.endswith("-01")
            flag(
                raw,
                report,
                month,
                dcol,
                lambda v: f"{v} has month precision: write the first day of the month ({v[:8]}01)",
            )
            year = (p == "year") & d.str.match(r"^\d{4}-\d{2}-\d{2}$") & ~d.str.endswith("-01-01")
            flag(raw, report, year, dcol, lambda v: f"{v} has year precision: write 1 January ({v[:5]}01-01)")
        elif kind == "together":
            a, b = rule["fields"]
            fa, fb = f[a].astype(str) != "", f[b].astype(str) != ""
            flag(raw, report, fa & ~fb, b, lambda v, a=a: f"missing: it goes together with {a}")
            flag(raw, report, fb & ~fa, a, lambda v, b=b: f"missing: it goes together with {b}")
        elif kind == "needs":
            # A translation (charges_ru) without the words it translates (charges) could not be checked.
            a, b = rule["fields"]
            fa, fb = f[a].astype(str) != "", f[b].astype(str) != ""
            flag(raw, report, fa & ~fb, b, lambda v, a=a, b=b: f"missing: {a} is given, so give {b} too")
        else:
            raise ValueError(f"unknown rule {kind!r} in {raw.table.name}'s x-rules")


def check_references(raws: dict[str, RawTable], report: Report) -> None:
    def keys(ref) -> set[str] | None:
        target = raws.get(ref.table)
        return None if target is None else set(target.frame[ref.column].astype(str))

    for raw in raws.values():
        for fk in raw.table.foreign_keys:
            known = keys(fk.references)
            if known is None:
                continue
            col = raw.frame[fk.column].astype(str)
            bad = (col != "") & ~col.isin(known)
            flag(
                raw,
                report,
                bad,
                fk.column,
                lambda v, fk=fk: f"unknown {fk.references.column} {shown(v)} (not in {raws[fk.references.table].file})",
            )
        for fld in raw.table.fields:
            if fld.references is None or (known := keys(fld.references)) is None:
                continue
            cells = raw.frame[fld.name].astype(str)
            for i in np.flatnonzero((cells != "").to_numpy()):  # most cells of an optional list are empty
                unknown = [x for x in split_list(cells.iat[i], fld.delimiter) if x not in known]
                if unknown:
                    names = ", ".join(shown(x) for x in unknown)
                    target = raws[fld.references.table].file
                    report.add(
                        raw.file,
                        int(raw.lines[i]),
                        fld.name,
                        f"unknown {fld.references.column} {names} (not in {target})",
                    )


# --- rules across tables ----------------------------------------------------------------------

#: Court levels in the order a case climbs them; ``other`` has no place in the order.
INSTANCE_RANK = {"first": 0, "appeal": 1, "cassation": 2, "supreme": 3}
#: The Supreme Court sits in the capital: a review may be heard there whatever the first court.
CAPITAL = "astana"
#: ``field: other value (source_id)`` or ``(source_a, source_b)``.
DISPUTED_ITEM = re.compile(r"^(?P<field>[a-z_]+): (?P<value>.+) \((?P<sources>[a-z0-9-]+(?:, ?[a-z0-9-]+)*)\)$")


def numbers(col: pd.Series) -> pd.Series:
    return pd.to_numeric(col.astype(str).where(col.astype(str).str.match(INTEGER.pattern)), errors="coerce")


def check_appeal(raw: RawTable, rule: dict, raws: dict[str, RawTable], report: Report) -> None:
    """A review names a decision of this table, of a lower instance, dated no later than itself,
    heard in the same city or region (or by the Supreme Court in the capital)."""
    f = raw.frame
    key = raw.table.primary_key[0]
    of, when, level, where = rule["of"], rule["date"], rule["instance"], rule["location"]
    position = {k: i for i, k in enumerate(f[key].astype(str))}
    dates = parse_dates(f[when].astype(str))
    precision = next((r["precision"] for r in raw.table.rules if r["rule"] == "precision" and r["date"] == when), None)
    ends = period_end(dates, f[precision].astype(str)) if precision else dates
    regions = {}
    if (places := raws.get("locations")) is not None:
        regions = dict(zip(places.frame["location_id"].astype(str), places.frame["region"].astype(str)))
    for i, (case, reviewed, instance) in enumerate(zip(f[key].astype(str), f[of].astype(str), f[level].astype(str))):
        line = int(raw.lines[i])
        if not reviewed:
            continue
        if reviewed == case:
            report.add(raw.file, line, of, "a decision cannot review itself")
            continue
        if instance == "first":
            report.add(
                raw.file,
                line,
                of,
                f"a first-instance decision reviews nothing: empty {of}, or set {level} "
                "to appeal, cassation, supreme or other",
            )
            continue
        j = position.get(reviewed)
        if j is None:
            continue  # an unknown id: check_references reports it
        above, below = INSTANCE_RANK.get(instance), INSTANCE_RANK.get(str(f[level].iat[j]))
        if above is not None and below is not None and above <= below:
            report.add(
                raw.file,
                line,
                level,
                f"{instance} cannot review {reviewed}, a decision of the {f[level].iat[j]} instance",
            )
        if (
            pd.notna(ends.iat[i])
            and pd.notna(dates.iat[j])
            and (
                ends.iat[i] < dates.iat[j]
                or (
                    ends.iat[i] == dates.iat[j] == dates.iat[i]
                    and str(f[precision].iat[i] if precision else "day") == "day"
                )
            )
        ):
            report.add(
                raw.file,
                line,
                when,
                f"{f[when].iat[i]} is not after {f[when].iat[j]}, the date of {reviewed}, the decision it reviews",
            )
        court, first_court = str(f[where].iat[i]), str(f[where].iat[j])
        if (
            court
            and first_court
            and court != first_court
            and court != CAPITAL
            and (regions.get(court, "") == "" or regions.get(court) != regions.get(first_court))
        ):
            report.add(
                raw.file,
                line,
                where,
                f"{shown(court)} is neither the city nor the region of {reviewed} "
                f"({shown(first_court)}), nor the capital: is it the right court?",
            )


def check_count(raw: RawTable, rule: dict, raws: dict[str, RawTable], report: Report) -> None:
    """Where another table lists a decision's people, they add up to its count."""
    children = raws.get(rule["children"])
    if children is None or not len(children.frame):
        return
    c = children.frame
    listed = numbers(c[rule["sum"]]).groupby(c[rule["key"]].astype(str)).sum(min_count=1)
    f = raw.frame
    stated = numbers(f[rule["field"]])
    for i, case in enumerate(f[rule["key"]].astype(str)):
        if (
            case in listed.index
            and pd.notna(stated.iat[i])
            and pd.notna(listed[case])
            and listed[case] != stated.iat[i]
        ):
            report.add(
                raw.file,
                int(raw.lines[i]),
                rule["field"],
                f"{int(stated.iat[i])}, but {children.file} lists {int(listed[case])} for {case}",
            )


def check_within(raw: RawTable, rule: dict, raws: dict[str, RawTable], report: Report) -> None:
    """A row's ``low..high`` lies inside the range of its parent row."""
    parent = raws.get(rule["parent"])
    if parent is None:
        return
    low, high = rule["fields"]
    p = parent.frame.drop_duplicates(rule["key"]).set_index(
        parent.frame.drop_duplicates(rule["key"])[rule["key"]].astype(str)
    )
    f = raw.frame
    keys = f[rule["key"]].astype(str)
    p_low, p_high = numbers(p[low]).reindex(keys).to_numpy(), numbers(p[high]).reindex(keys).to_numpy()
    own_low, own_high = numbers(f[low]).to_numpy(), numbers(f[high]).to_numpy()
    with np.errstate(invalid="ignore"):
        checks = (
            (own_low < p_low, low, lambda i: f"below {keys.iat[i]}'s shortest term {int(p_low[i])}"),
            (own_high > p_high, high, lambda i: f"above {keys.iat[i]}'s longest term {int(p_high[i])}"),
            (own_low > p_high, low, lambda i: f"above {keys.iat[i]}'s longest term {int(p_high[i])}"),
            (own_high < p_low, high, lambda i: f"below {keys.iat[i]}'s shortest term {int(p_low[i])}"),
        )
        for mask, column, message in checks:
            for i in np.flatnonzero(mask):
                report.add(raw.file, int(raw.lines[i]), column, f"{f[column].iat[i]} months is {message(i)}")


def check_disputed(raw: RawTable, fld: Field, raws: dict[str, RawTable], report: Report) -> None:
    """Each item names a column of the table, a value and the sources that give it."""
    known = set(raws["sources"].frame["source_id"].astype(str)) if "sources" in raws else None
    for i, cell in enumerate(raw.frame[fld.name].astype(str)):
        for item in split_list(cell, fld.delimiter):
            match = DISPUTED_ITEM.match(item)
            line = int(raw.lines[i])
            if match is None:
                report.add(
                    raw.file, line, fld.name, f"{shown(item)} is not of the form 'field: other value (source_id)'"
                )
            elif match["field"] not in raw.table.columns:
                report.add(raw.file, line, fld.name, f"{shown(match['field'])} is not a column of {raw.file}")
            elif known is not None and (unknown := [s for s in re.split(r", ?", match["sources"]) if s not in known]):
                report.add(
                    raw.file,
                    line,
                    fld.name,
                    f"unknown source_id {', '.join(map(shown, unknown))} (not in {raws['sources'].file})",
                )


CROSS_TABLE_RULES = {"appeal": check_appeal, "count": check_count, "within": check_within, "names": check_names}


def check_cross_rules(raws: dict[str, RawTable], report: Report) -> None:
    for raw in raws.values():
        for rule in raw.table.rules:
            if rule["rule"] in CROSS_TABLE_RULES:
                CROSS_TABLE_RULES[rule["rule"]](raw, rule, raws, report)
        for fld in raw.table.fields:
            if fld.disputed:
                check_disputed(raw, fld, raws, report)


#: Columns that name a file relative to the data directory: (table, column).
STORED_PATHS = (("sources", "file"),)


def check_stored_paths(raws: dict[str, RawTable], report: Report) -> None:
    """Each path must stay inside the data directory (nothing reads it yet: a future reader must not
    be led to ``/etc/passwd`` or ``../../x``)."""
    from geo.data.paths import relative_inside  # noqa: PLC0415

    for table, column in STORED_PATHS:
        raw = raws.get(table)
        if raw is None or column not in raw.frame:
            continue
        col = raw.frame[column].astype(str)
        bad = (col != "") & ~col.map(relative_inside).astype(bool)
        flag(
            raw,
            report,
            bad,
            column,
            lambda v: f"{shown(v)} is not a relative path inside the data directory (no leading / or drive, no ..)",
        )


def read_tables(data_dir: Path, today: date | None = None) -> tuple[dict[str, RawTable], Report]:
    """Read and check every declared table in ``data_dir``. Never raises on bad data."""
    today = today or date.today()
    report = Report()
    declared = descriptor.read(Path(data_dir), report)  # the descriptor is untrusted input too
    if declared is None:
        return {}, report
    wanted = list(declared)
    raws: dict[str, RawTable] = {}
    for name in wanted:
        raw = read_table(Path(data_dir), declared[name], report)
        if raw is None:
            continue
        for fld in raw.table.fields:
            check_field(raw, fld, report, today)
        check_primary_key(raw, report)
        check_rules(raw, report)
        raws[name] = raw
    check_references(raws, report)
    check_cross_rules(raws, report)
    check_stored_paths(raws, report)
    borders_file.check_dir(Path(data_dir), report)
    return raws, report


def validate_dir(data_dir: Path, today: date | None = None) -> Report:
    return read_tables(data_dir, today)[1]
