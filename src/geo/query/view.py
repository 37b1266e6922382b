"""The one query API the pages read: a dataset's indexes, built once, and a View of them per filter.

A :class:`DatasetIndex` holds what does not depend on the filter: the indexes over decisions and
events, the date range a slider offers, the largest per-city counts (so circle sizes mean the same
under every filter) and the city names. A :class:`View` is that index with one :class:`Filters`:
the dashboard builds one per rerun from its widgets and hands it to the page, and every table,
chart, map layer and download of the page comes from it. Nothing here sees a request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from geo.data.dataset import ARTICLE_TITLES, COURT_NAMES, Dataset
from geo.data.provenance import Provenance, provenance, provenance_of
from geo.i18n import DEFAULT_LANGUAGE, Translator, translation
from geo.query.aggregates import citations, coverage_by_year, mention_totals
from geo.query.comparison import documented_convictions, documented_series, official_comparison
from geo.query.filters import Filters
from geo.query.index import CaseIndex, EventIndex
from geo.query.search import PersonIndex, keyed_texts, search_key
from geo.query.window import period_bounds

#: The columns a search of the decisions reads, besides the defendants' names: courts, charges and
#: article titles in all three languages, so that a reader finds a court by the name their page shows.
SEARCHED = (
    "case_id",
    "court",
    *COURT_NAMES.values(),
    "charges",
    "charges_ru",
    "charges_kk",
    "code_articles",
    *ARTICLE_TITLES.values(),
    "summary",
    "summary_ru",
    "note",
)
#: The orders a table of decisions can be read in; the first is the default. Every order keeps
#: undated (or unsized) rows last and ties in date order.
SORTS = ("oldest", "newest", "longest", "shortest", "people", "city")


def sentence_bounds(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each decision's shortest and longest term in months as floats (NaN when neither is
    stated); a bound the sources leave open takes the value of the other."""
    low, high = frame["sentence_months_min"], frame["sentence_months_max"]
    return (
        low.fillna(high).to_numpy(dtype=float, na_value=np.nan),
        high.fillna(low).to_numpy(dtype=float, na_value=np.nan),
    )


@dataclass(frozen=True, eq=False)
class DatasetIndex:
    """A dataset and everything about it that no filter changes."""

    data: Dataset
    cases: CaseIndex
    events: EventIndex
    bounds: tuple[date, date]  # the full date range (a slider's ends)
    largest: dict[str, float]  # per-city maxima over the whole dataset: convicted, decisions, events

    @classmethod
    def build(cls, data: Dataset) -> DatasetIndex:
        cases = CaseIndex.build(data.convictions, data.locations, data.people)
        events = EventIndex.build(data.events, data.locations)
        every = Filters()
        cities = cases.city_totals(cases.select(every), data.locations)
        event_cities = events.city_totals(events.select(every), data.locations)
        largest = {
            "convicted": float(cities["convicted"].max()) if len(cities) else 0.0,
            "decisions": float(cities["decisions"].max()) if len(cities) else 0.0,
            "events": float(event_cities["events"].max()) if len(event_cities) else 0.0,
        }
        return cls(data, cases, events, period_bounds(data.span), largest)

    @cached_property
    def provenance(self) -> Provenance:
        """Title, version and licence of the dataset, and how many news reports it cites."""
        if self.data.package:  # as it validated, whatever the descriptor on disk says now
            return provenance_of(self.data.package, len(self.data.sources))
        return provenance(self.data.data_dir, len(self.data.sources))

    @cached_property
    def official_comparison(self) -> pd.DataFrame:
        """Each national official count of people convicted beside what the record documents by
        its date: :func:`geo.query.comparison.official_comparison`, the one source of every share."""
        return official_comparison(self.data, self.cases)

    @cached_property
    def mentions(self) -> pd.DataFrame | None:
        """The dataset's ``mentions.csv`` table, or None when the file has not been built (the
        Dataset then holds an empty table, which would read as "no city is ever mentioned")."""
        return self.data.mentions if (self.data.data_dir / "mentions.csv").exists() else None

    @cached_property
    def citations(self) -> dict[str, dict[str, list[str]]]:
        """For each source, the decisions, events and official figures citing it (whole dataset)."""
        ds = self.data
        return citations(ds.sources, convictions=ds.convictions, events=ds.events, official_stats=ds.official_stats)

    @cached_property
    def summary(self) -> dict[str, Any]:
        """What the record holds, whatever the filter: ``decisions``, ``people`` (:attr:`View.people`
        of everything), ``events``, ``official_figures``, ``sources`` and ``span`` (first, last day)."""
        ds = self.data
        return {
            "decisions": len(ds.convictions),
            "people": self.view().people,
            "events": len(ds.events),
            "official_figures": len(ds.official_stats),
            "sources": len(ds.sources),
            "span": ds.span,
        }

    @cached_property
    def official_metrics(self) -> list[str]:
        """The metrics of the official figures, most figures first."""
        return list(self.data.official_stats["metric"].astype(str).value_counts().index)

    def official_figures(self, metric: str) -> pd.DataFrame:
        """Every official figure of one metric, national and local, oldest first, undated last."""
        stats = self.data.official_stats
        rows = stats[(stats["metric"].astype(str) == metric).to_numpy()]
        return rows.sort_values(["as_of", "stat_id"], na_position="last")

    @cached_property
    def coverage(self) -> pd.DataFrame:
        """The record per year against the official counts: :func:`geo.query.aggregates.coverage_by_year`."""
        return coverage_by_year(self.data, self.cases, self.official_comparison)

    @cached_property
    def every_place(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per-city totals of every decision and of every event: the most any filter can draw
        in each place (a map frames them, so its view stays put while the dates change)."""
        every = Filters()
        return (
            self.cases.city_totals(self.cases.select(every), self.data.locations),
            self.events.city_totals(self.events.select(every), self.data.locations),
        )

    @cached_property
    def decision_of_defendant(self) -> np.ndarray:
        """For each row of the defendants table, the position of its decision in the convictions
        table (case ids are unique there); ``len(convictions)`` where none has its case id."""
        cases = pd.Index(self.data.convictions["case_id"].astype(str))
        found = cases.get_indexer(self.data.defendants["case_id"].astype(str))
        return np.where(found < 0, len(cases), found)

    @cached_property
    def person_index(self) -> PersonIndex:
        """Every named person's names and spellings as a search compares them (geo.query.search)."""
        return PersonIndex.build(self.data.persons)

    @cached_property
    def folded_text(self) -> pd.Series:
        """Per decision (frame order), the words a search reads besides names: case id, court,
        charges, code articles and summaries, case-folded once."""
        frame = self.data.convictions
        parts = [frame[c].fillna("").astype(str) for c in SEARCHED if c in frame]
        joined = parts[0].str.cat(parts[1:], sep="\n") if parts else pd.Series("", index=frame.index)
        return joined.str.casefold()

    @cached_property
    def keyed_text(self) -> pd.Series:
        """Per decision (frame order), :attr:`folded_text` as a search compares it with a query
        (:func:`geo.query.search.search_key`, as it compares names)."""
        return keyed_texts(self.folded_text)

    @cached_property
    def city_rank(self) -> dict[str, int]:
        """location_id -> its place in an A–Z list of the cities' English names."""
        names = self.data.locations.set_index("location_id")["name"].fillna("").astype(str)
        return {ident: rank for rank, ident in enumerate(sorted(names.index, key=lambda i: names[i].casefold()))}

    def view(self, filters: Filters = Filters(), lang: str = DEFAULT_LANGUAGE) -> View:  # noqa: B008 -- frozen
        return View(self, filters, lang)


@dataclass(frozen=True, eq=False)
class Search:
    """What a search of the decisions found (:meth:`View.search`)."""

    text: str  # the query, stripped
    decisions: np.ndarray  # a mask like View.selected: every decision when the query is empty
    people: tuple[str, ...] = ()  # the person_ids whose names it matched
    near: bool = False  # nothing held the query: ``people`` are the nearest names to it

    def names(self, index: DatasetIndex) -> list[tuple[str, str]]:
        """(Latin, Cyrillic) name of each person found, for a "Showing results for" line."""
        at = {pid: i for i, pid in enumerate(index.person_index.ids)}
        p = index.person_index
        return [(p.latin[at[pid]], p.cyrillic[at[pid]]) for pid in self.people if pid in at]


@dataclass(frozen=True, eq=False)
class View:
    """One filter over one dataset: what a page shows. Masks are over the index's sorted rows."""

    index: DatasetIndex
    filters: Filters
    #: The reader's language (one of :data:`geo.i18n.LANGUAGES`): every text the page draws from
    #: this view is in it. Carried here rather than read from ambient state, so caches keyed by a
    #: view's arguments keep the languages apart.
    lang: str = DEFAULT_LANGUAGE

    @cached_property
    def tr(self) -> Translator:
        """The messages, plurals and formats of :attr:`lang`."""
        return translation(self.lang)

    @property
    def data(self) -> Dataset:
        return self.index.data

    @property
    def cases(self) -> CaseIndex:
        return self.index.cases

    @property
    def bounds(self) -> tuple[date, date]:
        return self.index.bounds

    @property
    def window(self) -> tuple[date, date]:
        """The date range the view covers, as dates (no date filter: the full range)."""
        return self.filters.start or self.bounds[0], self.filters.end or self.bounds[1]

    @cached_property
    def selected(self) -> np.ndarray:
        """The decisions in the filter."""
        return self.cases.select(self.filters)

    @cached_property
    def events_selected(self) -> np.ndarray:
        """The events in the filter."""
        return self.index.events.select(self.filters)

    @cached_property
    def people(self) -> dict[str, int]:
        """People in the filter's decisions: ``total`` and by outcome, each person once."""
        return self.cases.people(self.selected)

    def rows(
        self, selected: np.ndarray | None = None, limit: int | None = None, offset: int = 0, sort: str = SORTS[0]
    ) -> pd.DataFrame:
        """Decisions (default: the filter's) in a :data:`SORTS` order (oldest first unless told),
        optionally one page of them: the order is over every selected row, not one page."""
        selected = self.selected if selected is None else selected
        if sort == SORTS[0]:
            return self.data.convictions.iloc[self.cases.positions(selected, limit, offset)]
        positions = self.ordered(self.cases.positions(selected), sort)
        return self.data.convictions.iloc[positions[offset : None if limit is None else offset + limit]]

    def ordered(self, positions: np.ndarray, sort: str) -> np.ndarray:
        """Frame positions (oldest first) put in ``sort`` order; a stable sort, so ties stay by date."""
        frame = self.data.convictions
        if sort == "newest":
            start = frame["period_start"].to_numpy()[positions]
            missing = np.isnat(start)
            key = -start.astype("datetime64[D]").astype(np.int64)
        elif sort in ("longest", "shortest"):
            # A range is as short as its lower bound and as long as its upper one (a bound alone
            # stands for both): "1 y – 20 y" comes early in either order. Ties by the other bound.
            low, high = sentence_bounds(frame)
            low, high = low[positions], high[positions]
            missing = np.isnan(low)
            first, then = (-high, -low) if sort == "longest" else (low, high)
            return positions[np.lexsort((np.where(missing, 0, then), np.where(missing, 0, first), missing))]
        elif sort == "people":
            missing = np.zeros(len(positions), dtype=bool)
            key = -frame["defendants"].to_numpy(dtype=np.int64)[positions]
        elif sort == "city":
            rank = self.index.city_rank
            ranks = frame["location_id"].map(rank).to_numpy(dtype=float, na_value=np.nan)[positions]
            missing = np.isnan(ranks)
            key = ranks
        else:
            raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
        return positions[np.lexsort((np.where(missing, 0, key), missing))]

    def event_rows(self) -> pd.DataFrame:
        """The filter's events, oldest first."""
        return self.data.events.iloc[self.index.events.positions(self.events_selected)]

    def defendants(self, selected: np.ndarray | None = None) -> pd.DataFrame:
        """The people rows of the filter's decisions (or of ``selected``), by person, then date."""
        selected = self.selected if selected is None else selected
        chosen = np.zeros(len(self.data.convictions) + 1, dtype=bool)  # the last: a person of no decision
        chosen[self.cases.order[selected]] = True
        rows = self.data.defendants[chosen[self.index.decision_of_defendant]]
        return rows.sort_values(["person_id", "period_start", "case_id"], na_position="last", kind="stable")

    def deciding(self, person_ids) -> np.ndarray:
        """The decisions (all of them, as a mask like :attr:`selected`) with a row for one of
        ``person_ids``."""
        people = self.data.defendants
        found = people["person_id"].astype(str).isin(list(person_ids)).to_numpy(dtype=bool)
        cases = people["case_id"][found].astype(str).unique()
        frame_ids = self.data.convictions["case_id"].astype(str).to_numpy()[self.cases.order]
        return np.isin(frame_ids, cases)

    def naming(self, text: str) -> np.ndarray:
        """The decisions (all of them, as a mask like :attr:`selected`) that name a person one of
        whose names or spellings, in either script, holds ``text`` as :mod:`geo.query.search`
        compares them (``масимов`` finds Karim Masimov, ``Sabytov`` Aibek Sabitov)."""
        if not text.strip():
            return np.ones(len(self.cases), dtype=bool)
        p = self.index.person_index
        return self.deciding(p.ids[i] for i in p.exact(text))

    def search(self, text: str) -> Search:
        """The decisions that name a person as :meth:`naming` finds, or whose case id, court,
        charges, code articles, summary or note hold ``text`` as the names do (one matching:
        :func:`geo.query.search.search_key`, so ``Massimov`` finds a summary's ``Масимов``);
        when none does, those of the people whose names are nearest to ``text``
        (:meth:`geo.query.search.PersonIndex.near`, flagged ``near``)."""
        wanted = text.strip()
        if not wanted:
            return Search("", np.ones(len(self.cases), dtype=bool))
        p = self.index.person_index
        people = [p.ids[i] for i in p.exact(wanted)]
        found = self.deciding(people)
        key = search_key(wanted)
        if key:
            found |= self.index.keyed_text.str.contains(key, regex=False).to_numpy(dtype=bool)[self.cases.order]
        if found.any():
            return Search(wanted, found, tuple(people))
        near = [p.ids[i] for i in p.near(wanted)]
        return Search(wanted, self.deciding(near), tuple(near), near=bool(near))

    def searching(self, text: str) -> np.ndarray:
        """The decisions :meth:`search` finds, as a mask like :attr:`selected`."""
        return self.search(text).decisions

    def city_totals(self, selected: np.ndarray | None = None) -> pd.DataFrame:
        """Per-city totals of the filter's decisions (or of ``selected``): see CaseIndex.city_totals.
        The filter's are made once per view (the map, its table and its downloads all ask); the
        frame is shared, so callers read it and never change it."""
        if selected is None:
            return self._city_totals
        return self.cases.city_totals(selected, self.data.locations)

    def event_totals(self) -> pd.DataFrame:
        """Per-city totals of the filter's events, made once per view (shared: read, never changed)."""
        return self._event_totals

    @cached_property
    def _city_totals(self) -> pd.DataFrame:
        return self.cases.city_totals(self.selected, self.data.locations)

    @cached_property
    def _event_totals(self) -> pd.DataFrame:
        return self.index.events.city_totals(self.events_selected, self.data.locations)

    def monthly_decisions(self) -> pd.DataFrame:
        """``month``, ``count`` (decisions) and ``convicted_people`` per month of the window."""
        return self.cases.monthly(self.selected, *self.window, convicted_people=self.cases.convicted_people)

    def monthly_events(self) -> pd.DataFrame:
        return self.index.events.monthly(self.events_selected, *self.window)

    def documented_line(self) -> pd.DataFrame:
        """``date``, ``people``: people documented as convicted by each day the count changes in
        the filter's window (and on its first and last days), in its cities, sentence types and
        roles, each person once and of the population the official counts cover: the line set
        beside them (:mod:`geo.query.comparison`)."""
        return documented_series(documented_convictions(self.data, self.cases, self.filters), *self.window)

    @cached_property
    def mention_totals(self) -> pd.DataFrame | None:
        """Article mentions per city with coordinates, in the filter's cities (None without a
        mentions table): :func:`geo.query.aggregates.mention_totals`."""
        table = self.index.mentions
        return None if table is None else mention_totals(table, self.data.locations, self.filters.cities)

    def cited_sources(self, in_filter: bool = False) -> tuple[pd.DataFrame, dict[str, dict[str, list[str]]]]:
        """The sources and what cites each (:attr:`DatasetIndex.citations`); ``in_filter``: only the
        sources cited by the filter's decisions or events, with those citations alone."""
        ds = self.data
        if not in_filter:
            return ds.sources, self.index.citations
        cited = citations(
            ds.sources, convictions=self.rows(), events=self.event_rows(), official_stats=ds.official_stats
        )
        keep = [any(cited[s][t] for t in ("convictions", "events")) for s in ds.sources["source_id"]]
        return ds.sources[keep], cited

    def national_in_window(self, figures: pd.DataFrame) -> pd.DataFrame:
        """The national rows of official ``figures`` dated inside the filter's window: one series."""
        start, end = (pd.Timestamp(d) for d in self.window)
        dated = (figures["as_of"] >= start) & (figures["as_of"] <= end)
        return figures[(dated & figures["location_id"].isna()).to_numpy(dtype=bool, na_value=False)]

    def official_in_window(self) -> pd.DataFrame:
        """The rows of :attr:`DatasetIndex.official_comparison` dated inside the filter's window."""
        compared = self.index.official_comparison
        start, end = (pd.Timestamp(d) for d in self.window)
        return compared[
            ((compared["as_of"] >= start) & (compared["as_of"] <= end)).to_numpy(dtype=bool, na_value=False)
        ]

    def with_filters(self, **changes) -> View:
        return View(self.index, replace(self.filters, **changes), self.lang)
