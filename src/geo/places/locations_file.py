"""``locations.csv`` as the geocoder sees it: names to index, and coordinates to fill in place.

Filling rewrites only the rows it fills. Every other record is copied as the exact text it was
(quoting, number formatting, line endings), so a diff shows the filled rows and nothing else.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.data.atomic import atomic_writer

FILENAME = "locations.csv"
COORDINATE_COLUMNS = ("latitude", "longitude", "geocoder")


@dataclass(frozen=True)
class Location:
    location_id: str
    name: str
    name_ru: str
    name_kk: str
    aliases: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    geocoder: str

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def names(self) -> list[str]:
        """Every spelling, primary ones first: what ``--update`` tries, in order."""
        return [n for n in (self.name, self.name_kk, self.name_ru, *self.aliases) if n]


@dataclass(frozen=True)
class Fill:
    latitude: float
    longitude: float
    geocoder: str


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _location(row: Mapping[str, str]) -> Location:
    return Location(
        location_id=row["location_id"].strip(),
        name=(row.get("name") or "").strip(),
        name_ru=(row.get("name_ru") or "").strip(),
        name_kk=(row.get("name_kk") or "").strip(),
        aliases=tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()),
        latitude=_float(row.get("latitude")),
        longitude=_float(row.get("longitude")),
        geocoder=(row.get("geocoder") or "").strip(),
    )


def _read(path: Path) -> bytes:
    """The bytes of ``path``, a regular file inside its folder (never a pipe, a device or a link
    out: see :mod:`geo.data.safe_files`)."""
    from geo.data.safe_files import MAX_TABLE_BYTES, UnsafeFile, read_inside  # noqa: PLC0415

    try:
        return read_inside(path.parent, path.name, MAX_TABLE_BYTES)
    except UnsafeFile as e:
        e.filename = str(path)
        raise


def read_locations(path: str | os.PathLike[str]) -> list[Location]:
    text = _read(Path(path)).decode("utf-8-sig")
    return [
        _location(row)
        for row in csv.DictReader(io.StringIO(text, newline=""))
        if (row.get("location_id") or "").strip()
    ]


def _records(text: str) -> Iterator[tuple[list[str], str]]:
    """Each CSV record with the exact text it was parsed from (quoted newlines included)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    for row in csv.reader(lines()):
        raw = "".join(consumed)
        consumed.clear()
        yield row, raw


def _coordinate(value: float) -> str:
    return repr(round(value, 5))  # ~1 m, as in the shipped rows; repr drops trailing zeros


def fill_coordinates(path: str | os.PathLike[str], fills: Mapping[str, Fill]) -> int:
    """Write ``fills`` (by location_id) into ``path`` atomically; returns the number of rows changed.

    Nothing is written when there is nothing to fill; on any error the file is left as it was.
    """
    path = Path(path)
    if not fills:
        return 0
    text = _read(path).decode("utf-8")
    records = _records(text)
    header, header_raw = next(records)
    columns = {name.lstrip("\ufeff"): i for i, name in enumerate(header)}
    changed = 0
    with atomic_writer(path) as out:
        out.write(header_raw)
        for row, raw in records:
            fill = fills.get(row[columns["location_id"]].strip()) if row else None
            if fill is None:
                out.write(raw)
                continue
            row = row + [""] * (len(header) - len(row))
            row[columns["latitude"]] = _coordinate(fill.latitude)
            row[columns["longitude"]] = _coordinate(fill.longitude)
            row[columns["geocoder"]] = fill.geocoder
            ending = "\r\n" if raw.endswith("\r\n") else "\n" if raw.endswith("\n") else ""
            buf = io.StringIO()
            csv.writer(buf, lineterminator=ending).writerow(row)
            out.write(buf.getvalue())
            changed += 1
    return changed
