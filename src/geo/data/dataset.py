"""Load the whole dataset into typed pandas frames, in one read, driven by the Data Package.

Types follow the descriptor: dates become ``datetime64``, integers nullable ``Int64``,
numbers ``float64``, enums categoricals with their declared categories, text ``string``.
Dated tables gain ``period_start``/``period_end``: the span a date stands for given its
precision (a month-precision verdict covers its whole month), so range filters can count
a verdict in any range that overlaps it.

People are joined to their decisions once, here: ``defendants`` gains the decision's date,
city and instance, and ``convictions`` gains ``defendant_names`` (the named people, ``;``
separated) so that tables and searches need no join per rerun. So are courts and Criminal Code
articles: ``convictions`` gains the court's name in each language and the titles of its articles
(:func:`join_names`).

A data directory is never down for a bad row: :func:`load_or_last_good` gives the dataset of
the files on disk or, while they do not validate, the last version of that directory that did
(kept in memory by the caller, else the copy the columnar cache keeps), with the problems of
the files on disk beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.data import cache
from geo.data.dates import period_end
from geo.data.paths import data_dir as resolve_data_dir
from geo.data.people import people_rows
from geo.data.provenance import descriptor_of, package_keys
from geo.data.schema import load_tables
from geo.data.validate import WARNING, RawTable, Report, read_tables
from geo.text.cells import split_list

#: For each dated table: (date column, optional end column, precision column).
DATED = {
    "events": ("date_start", "date_end", "date_precision"),
    "convictions": ("verdict_date", None, "date_precision"),
}


class DataError(Exception):
    """The data directory has errors. ``report`` lists every one of them."""

    def __init__(self, report: Report, data_dir: Path | None = None) -> None:
        self.report = report
        self.data_dir = data_dir
        first = report.errors[0] if report.errors else None
        super().__init__(f"{len(report.errors)} problem(s) in {data_dir or 'the data'}; first: {first}")


@dataclass(frozen=True)
class Dataset:
    locations: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    convictions: pd.DataFrame
    defendants: pd.DataFrame  # people in the decisions (empty when defendants.csv is absent)
    persons: pd.DataFrame  # who each person_id is, names in both scripts (people.csv; empty when absent)
    official_stats: pd.DataFrame
    people: pd.DataFrame  # one row per person (or group) per decision: geo.data.people.people_rows
    mentions: pd.DataFrame  # which article names which city (empty when mentions.csv is absent)
    courts: pd.DataFrame  # the courts' names in three languages (empty when courts.csv is absent)
    code_articles: pd.DataFrame  # Criminal Code articles and their titles (empty when the file is absent)
    report: Report  # warnings only (a dataset with errors does not load)
    data_dir: Path
    #: The descriptor's package-level keys as they validated with these tables (see provenance_of).
    package: dict[str, Any] = field(default_factory=dict)
    validated_at: datetime | None = None  # when these tables validated (UTC)

    @property
    def span(self) -> tuple[date, date]:
        """First and last day any dated event or verdict covers."""
        starts = pd.concat([self.events["period_start"], self.convictions["period_start"]]).dropna()
        ends = pd.concat([self.events["period_end"], self.convictions["period_end"]]).dropna()
        return starts.min().date(), ends.max().date()


def on_map(locations: pd.DataFrame) -> np.ndarray:
    """Which locations have coordinates: the one rule for "can go on the map"."""
    return (locations["latitude"].notna() & locations["longitude"].notna()).to_numpy(dtype=bool)


def typed(raw: RawTable) -> pd.DataFrame:
    frame = raw.frame
    out: dict[str, pd.Series] = {}
    for fld in raw.table.fields:
        text = frame[fld.name].astype("string").str.strip()
        empty = text == ""
        if fld.type == "date":
            out[fld.name] = pd.to_datetime(text.mask(empty), format="%Y-%m-%d")
        elif fld.type == "integer":
            out[fld.name] = pd.to_numeric(text.mask(empty)).astype("Int64")
        elif fld.type == "number":
            out[fld.name] = pd.to_numeric(text.mask(empty)).astype("float64")
        elif fld.enum:
            out[fld.name] = pd.Categorical(text.mask(empty), categories=list(fld.enum))
        else:
            out[fld.name] = text.mask(empty)
    result = pd.DataFrame(out, index=frame.index)
    result["line"] = raw.lines  # where each row sits in its file, for messages and flags
    return result


def add_periods(frame: pd.DataFrame, start_col: str, end_col: str | None, precision_col: str) -> pd.DataFrame:
    start = frame[start_col]
    last = frame[end_col].fillna(start) if end_col else start
    return frame.assign(
        period_start=start,
        period_end=period_end(last, frame[precision_col]),
        approximate=(frame[precision_col].astype("string") != "day").fillna(True).astype(bool),
    )


#: Columns of a decision that each of its people's rows carries too.
DECISION_COLUMNS = [
    "verdict_date",
    "date_precision",
    "location_id",
    "instance",
    "period_start",
    "period_end",
    "approximate",
]


def join_people(
    convictions: pd.DataFrame, defendants: pd.DataFrame, counted: pd.DataFrame, persons: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``defendants`` with their decision's columns and their person's names (``person_name``,
    ``person_name_ru``: the canonical names of ``persons``, else the row's own); ``convictions``
    with ``defendant_names`` and ``defendant_names_ru`` (the named people's Latin and Cyrillic
    names, ``;`` separated, item for item: a person without a Cyrillic name keeps the Latin one
    there) and the people of each decision by outcome (``convicted_people``, ``acquitted_people``,
    ``posthumous_people``: :data:`geo.query.filters.OUTCOME_GROUPS`)."""
    # Positions rather than DataFrame.join: pandas cannot join two empty Arrow-backed key columns.
    where = pd.Index(convictions["case_id"].astype(object)).get_indexer(defendants["case_id"].astype(object))
    found = where >= 0
    people = defendants.assign(
        **{
            column: convictions[column].iloc[np.where(found, where, 0)].where(found).set_axis(defendants.index)
            if len(convictions)
            else pd.Series(pd.NA, index=defendants.index, dtype=convictions[column].dtype)
            for column in DECISION_COLUMNS
        }
    )
    people = people.assign(**canonical_names(defendants, persons))
    named = people[people["person_name"].notna().to_numpy()]
    by_case = named.assign(person_name_ru=named["person_name_ru"].fillna(named["person_name"])).groupby(
        "case_id", sort=False
    )
    names, names_ru = by_case["person_name"].agg(";".join), by_case["person_name_ru"].agg(";".join)
    by_group = counted.pivot_table(index="case_id", columns="group", values="count", aggfunc="sum", fill_value=0)
    counts = {
        f"{group}_people": convictions["case_id"].map(by_group.get(group, {})).fillna(0).astype("int64")
        for group in ("convicted", "acquitted", "posthumous")
    }
    convictions = convictions.assign(
        defendant_names=convictions["case_id"].map(names).astype("string"),
        defendant_names_ru=convictions["case_id"].map(names_ru).astype("string"),
        **counts,
    )
    return convictions, people


#: Columns a decision gains from courts.csv and code_articles.csv, by language (en, ru, kk).
COURT_NAMES = {"en": "court_name", "ru": "court_name_ru", "kk": "court_name_kk"}
ARTICLE_TITLES = {"en": "article_titles", "ru": "article_titles_ru", "kk": "article_titles_kk"}
#: Where each of those names and titles comes from (``quoted`` or ``translated``, courts.csv's and
#: code_articles.csv's ``*_source`` columns); the courts' English names are the sources' own.
COURT_NAME_ORIGINS = {"ru": "court_name_ru_source", "kk": "court_name_kk_source"}
ARTICLE_TITLE_ORIGINS = {
    "en": "article_titles_source",
    "ru": "article_titles_ru_source",
    "kk": "article_titles_kk_source",
}
#: Between the titles of :data:`ARTICLE_TITLES`: the descriptor forbids it inside a title.
TITLE_SEPARATOR = ";"


def join_names(convictions: pd.DataFrame, courts: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``convictions`` with its court's name in each language (:data:`COURT_NAMES`) and the titles
    of its ``code_articles`` in each language (:data:`ARTICLE_TITLES`): one title per article, in
    the order of ``code_articles``, joined by :data:`TITLE_SEPARATOR`, an empty title where the
    data has none; and where each comes from (:data:`COURT_NAME_ORIGINS`,
    :data:`ARTICLE_TITLE_ORIGINS`, the same way). Joined once at load, so that pages, downloads
    and searches need no lookup."""
    suffix = {"en": "", "ru": "_ru", "kk": "_kk"}  # courts.csv's and code_articles.csv's column of a language
    court_columns = {COURT_NAMES[lang]: f"name{suffix[lang]}" for lang in COURT_NAMES}
    court_columns.update({COURT_NAME_ORIGINS[lang]: f"name{suffix[lang]}_source" for lang in COURT_NAME_ORIGINS})
    court_ids = convictions["court_id"].astype(object)
    out = {}
    for column, source in court_columns.items():
        names = dict(zip(courts["court_id"].astype(object), courts[source].astype(object))) if len(courts) else {}
        out[column] = court_ids.map(names).astype("string")
    title_columns = {ARTICLE_TITLES[lang]: f"title{suffix[lang]}" for lang in ARTICLE_TITLES}
    title_columns.update({ARTICLE_TITLE_ORIGINS[lang]: f"title{suffix[lang]}_source" for lang in ARTICLE_TITLES})
    refs = convictions["code_articles"].astype(object)
    for column, source in title_columns.items():
        titles = (
            {a: ("" if pd.isna(t) else str(t)) for a, t in zip(articles["article"], articles[source])}
            if len(articles)
            else {}
        )

        def joined(cell: object, titles: dict[str, str] = titles) -> object:
            if cell is None or pd.isna(cell):
                return pd.NA
            return TITLE_SEPARATOR.join(titles.get(ref, "") for ref in split_list(str(cell)))

        out[column] = refs.map(joined).astype("string")
    return convictions.assign(**out)


def canonical_names(defendants: pd.DataFrame, persons: pd.DataFrame | None) -> dict[str, pd.Series]:
    """Each row's person's Latin and Cyrillic names as ``persons`` (people.csv) records them,
    falling back on the row's own spelling where it has none."""
    out = {}
    for column, target in (("name", "person_name"), ("name_ru", "person_name_ru")):
        own = defendants[column].astype("string")
        if persons is None or not len(persons):
            out[target] = own
            continue
        recorded = persons.drop_duplicates("person_id").set_index("person_id")[column]
        out[target] = defendants["person_id"].map(recorded).astype("string").fillna(own)
    return out


def _from_cache(directory: Path, entry: cache.Entry) -> Dataset | None:
    """The dataset a cache entry holds; None when its frames are not those a Dataset has."""
    try:
        ds = Dataset(
            report=entry.report,
            data_dir=directory,
            package=entry.package,
            validated_at=entry.validated_at,
            **entry.frames,
        )
    except TypeError:  # tables the dashboard does not know, or lacks
        return None
    return flag_warnings(ds, entry.files)


def load_dataset(directory: str | Path | None = None, today: date | None = None, use_cache: bool = True) -> Dataset:
    """Read, validate and type every table. Raises :class:`DataError` carrying the full report.

    A fresh columnar cache (see :mod:`geo.data.cache`) skips reading and validating the CSV files;
    a load that validates writes it, which makes it the directory's last good copy too.
    """
    directory = resolve_data_dir(directory)
    fingerprinted = cache.current_fingerprint(directory) if use_cache else None
    cached = cache.read(directory, fingerprinted) if fingerprinted else None
    if cached is not None:
        ds = _from_cache(directory, cached)
        if ds is not None:
            return ds
        cache.discard(directory)  # rebuild it from the CSV files
    raws, report = read_tables(directory, today)
    if not report.ok:
        raise DataError(report, directory)
    validated_at = datetime.now(UTC)
    frames = {name: typed(raw) for name, raw in raws.items()}
    for name, (start, end, precision) in DATED.items():
        frames[name] = add_periods(frames[name], start, end, precision)
    frames["people"] = people_rows(frames["convictions"], frames["defendants"])
    frames["convictions"], frames["defendants"] = join_people(
        frames["convictions"], frames["defendants"], frames["people"], frames["persons"]
    )
    frames["convictions"] = join_names(frames["convictions"], frames["courts"], frames["code_articles"])
    files = {name: table.path for name, table in load_tables(directory).items()}
    package = package_keys(descriptor_of(directory))
    if fingerprinted:
        cache.write(directory, cache.Entry(frames, report, files, package, validated_at), fingerprinted)
    ds = Dataset(report=report, data_dir=directory, package=package, validated_at=validated_at, **frames)
    return flag_warnings(ds, files)


def last_good(directory: str | Path | None = None) -> Dataset | None:
    """The last version of ``directory`` that validated, as the columnar cache keeps it, whatever
    the files on disk hold now; None when it has none."""
    directory = resolve_data_dir(directory)
    entry = cache.read_last_good(directory)
    return None if entry is None else _from_cache(directory, entry)


@dataclass(frozen=True)
class Loaded:
    """What a data directory can show now."""

    #: The files on disk; while they do not validate, the last version that did; None when no
    #: version of this directory ever validated (here, or in the cache on this machine).
    dataset: Dataset | None
    #: Every problem of the files on disk when they do not validate (None when they do): for the
    #: server's log, never for readers.
    problems: Report | None = None

    @property
    def pending(self) -> bool:
        """An update is on disk that does not validate yet, and ``dataset`` is the version before it."""
        return self.problems is not None and self.dataset is not None


def load_or_last_good(
    directory: str | Path | None = None, today: date | None = None, kept: Dataset | None = None
) -> Loaded:
    """The dataset of ``directory``; while its files do not validate, the last version that did:
    ``kept`` (the caller's last good dataset of this directory, in memory), else the copy the
    columnar cache keeps on disk (:func:`last_good`)."""
    directory = resolve_data_dir(directory)
    try:
        return Loaded(load_dataset(directory, today))
    except DataError as error:
        return Loaded(kept if kept is not None else last_good(directory), error.report)


# --- rows the validator warned about: a dataset with warnings loads, and its tables say which rows

#: Column the flagged frames gain (see :func:`flag_warnings`) and the tables' marker column.
WARNINGS_COLUMN = "warnings"
MARKER = "⚠"
#: Dataset attributes that hold a table, by table name.
TABLES = (
    "locations",
    "sources",
    "courts",
    "code_articles",
    "events",
    "convictions",
    "defendants",
    "persons",
    "official_stats",
    "mentions",
)


def row_warnings(report: Report, file: str) -> dict[int, list[str]]:
    """line -> ``["column: message", …]``: the warnings about the data rows of ``file`` (the header,
    line 1, is not a row)."""
    out: dict[int, list[str]] = {}
    for p in report.sorted():
        if p.severity == WARNING and p.file == file and p.line and p.line > 1:
            out.setdefault(p.line, []).append(f"{p.column}: {p.message}" if p.column else p.message)
    return out


def warning_flags(report: Report, file: str, lines) -> list[str]:
    """For each row (given by its line in ``file``): ``""``, or ``"⚠ column: message; …"``."""
    by_line = row_warnings(report, file)
    return [f"{MARKER} " + "; ".join(by_line[int(n)]) if int(n) in by_line else "" for n in lines]


def flag_warnings(ds: Dataset, files: dict[str, str]) -> Dataset:
    """``ds`` with a ``warnings`` column (:func:`warning_flags`) on each table that has flagged
    rows; ``ds`` itself when nothing is flagged (the usual case costs nothing). ``files``: each
    table's file as the descriptor declared it when the tables validated."""
    if not ds.report.warnings:
        return ds
    changes = {}
    for name in TABLES:
        frame = getattr(ds, name)
        file = files.get(name, f"{name}.csv")
        if row_warnings(ds.report, file) and "line" in frame:
            changes[name] = frame.assign(**{WARNINGS_COLUMN: warning_flags(ds.report, file, frame["line"])})
    return replace(ds, **changes) if changes else ds
