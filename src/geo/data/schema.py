"""The tables, read from ``datapackage.json``: declared once, used by the loader and the validator.

The descriptor is a standard Frictionless Data Package. Checks that Table Schema cannot
express live in keys prefixed ``x-`` (standard tools ignore them):

- field ``x-notInFuture``: a date may not lie after today;
- field ``x-minDate``: the earliest date a field accepts (``YYYY-MM-DD``). The shipped descriptor
  sets 2022-01-01, the start of the unrest, on every date: a verdict dated ``1022-07-07`` is a
  typo, and a date centuries away would also break the dashboard's date slider;
- field ``x-references``: every item of a ``;`` list must exist in another table;
- field ``x-disputed``: a ``;`` list of ``field: other value (source_id)``, the values other
  sources give where they disagree (the field itself holds one of them);
- resource ``x-optional``: the file may be absent (the table is then empty);
- schema ``x-rules``: cross-column rules, ``ordered`` (a <= b), ``precision`` (a date agrees
  with its precision) and ``together`` (filled in together or not at all); and rules that
  look at a second table, checked once every table is read: ``appeal`` (a review comes after
  the decision it reviews, in a plausible court), ``count`` (a decision's defendants equal the
  people its rows in another table stand for) and ``within`` (a person's sentence lies inside
  the range of the decision).

The descriptor itself is checked by :mod:`geo.data.descriptor` (against ``datapackage.schema.json``)
before any table is read; :func:`load_tables` assumes a descriptor that passed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.data.paths import SHIPPED_DATA_DIR

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Reference:
    table: str
    column: str


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    max_length: int | None = None
    delimiter: str | None = None  # set for ``list`` fields
    references: Reference | None = None  # list fields pointing at another table
    not_in_future: bool = False
    disputed: bool = False  # ``field: other value (source_id)`` items
    min_date: str | None = None  # x-minDate, YYYY-MM-DD
    description: str = ""

    @classmethod
    def from_descriptor(cls, d: dict) -> Field:
        c = d.get("constraints", {})
        ref = d.get("x-references")
        return cls(
            name=d["name"],
            type=d.get("type", "string"),
            required=bool(c.get("required", False)),
            unique=bool(c.get("unique", False)),
            enum=tuple(c.get("enum", ())),
            minimum=c.get("minimum"),
            maximum=c.get("maximum"),
            pattern=c.get("pattern"),
            max_length=c.get("maxLength"),
            delimiter=d.get("delimiter"),
            references=Reference(ref["resource"], ref["field"]) if ref else None,
            not_in_future=bool(d.get("x-notInFuture", False)),
            disputed=bool(d.get("x-disputed", False)),
            min_date=d.get("x-minDate"),
            description=d.get("description", ""),
        )


@dataclass(frozen=True)
class ForeignKey:
    column: str
    references: Reference


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rules: tuple[dict, ...] = field(default_factory=tuple)
    title: str = ""
    optional: bool = False  # the file may be absent: the table is then empty

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @classmethod
    def from_descriptor(cls, r: dict) -> Table:
        s = r["schema"]
        fks = tuple(
            ForeignKey(fk["fields"][0], Reference(fk["reference"]["resource"], fk["reference"]["fields"][0]))
            for fk in s.get("foreignKeys", ())
        )
        pk = s.get("primaryKey", ())
        return cls(
            name=r["name"],
            path=r["path"],
            fields=tuple(Field.from_descriptor(f) for f in s["fields"]),
            primary_key=(pk,) if isinstance(pk, str) else tuple(pk),
            foreign_keys=fks,
            rules=tuple(s.get("x-rules", ())),
            title=r.get("title", r["name"]),
            optional=bool(r.get("x-optional", False)),
        )


def descriptor_path(data_dir: Path) -> Path:
    """A data directory may carry its own descriptor; otherwise the shipped one applies."""
    own = Path(data_dir) / DESCRIPTOR
    return own if own.exists() else SHIPPED_DATA_DIR / DESCRIPTOR


def tables_from(descriptor: dict) -> dict[str, Table]:
    return {r["name"]: Table.from_descriptor(r) for r in descriptor["resources"]}


@lru_cache(maxsize=8)
def _tables_from(path: Path, mtime_ns: int) -> dict[str, Table]:
    from geo.data.safe_files import MAX_DESCRIPTOR_BYTES, read_regular  # noqa: PLC0415

    # A regular file of bounded size only: a FIFO here would hang, /dev/zero exhaust memory.
    return tables_from(json.loads(read_regular(path, MAX_DESCRIPTOR_BYTES).decode("utf-8")))


def load_tables(data_dir: Path) -> dict[str, Table]:
    """The declared tables by name, in the descriptor's order (referenced tables come first)."""
    path = descriptor_path(data_dir)
    return _tables_from(path, path.stat().st_mtime_ns)
