"""A data API request's query string read into what the dashboard would show for the same link.

The parameters are the dashboard's own (``?city=almaty&period=2022-06-01&period=2022-07-31``): a
link copied from any page, with ``/api/v1/decisions.csv`` in front of its query string, names the
same rows. They are read by the same functions the dashboard's URL state uses
(:mod:`geo.query.link`, :mod:`geo.places.resolve`, :meth:`geo.query.filters.Filters.from_widgets`),
with one difference: where the page says that a value named nothing and shows something else, the
API refuses the request (:class:`ApiError`, status 400) and says which parameter and value, in the
``lang`` asked (English when ``lang`` itself is not understood). A script must not mistake "all
cities" for the city it asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl

from geo.i18n import LANGUAGES, N_, normalize, translation
from geo.places.resolve import resolve_places
from geo.query.filters import Filters
from geo.query.link import MALFORMED, PAGE_NUMBER, NotUnderstood, choices_from_link, period_from_link
from geo.query.view import SORTS, DatasetIndex, View
from geo.views import case_tables, formats, marks, people_tables, place_labels, timeline
from geo.views.case_groups import ALL, case_groups
from geo.views.reader_text import isolated, quoted

#: The dashboard's link parameters (its widgets' keys; ``embed`` and ``embed_options`` are Streamlit's own).
FILTERS = ("lang", "period", "city", "sentence", "role", "event", "cumulative")
PAGE_PARAMETERS = ("tab", "who", "sort", "page", "person", "size", "map_city", "metric", "embed", "embed_options")
#: The API's own: rows per answer and the first row's position (the ``next`` link carries both).
PAGING = ("limit", "offset")
KNOWN = (*FILTERS, *PAGE_PARAMETERS, *PAGING)
#: Parameters that take several values (``period`` exactly two); every other one takes one.
MANY = ("period", "city", "sentence", "role", "event", "embed_options")
#: Bounds of what one request may say: longer values and query strings are refused, not read.
MAX_QUERY = 8192
MAX_VALUE = 500
MAX_FIELDS = 200
#: Rows of one JSON answer unless ``limit`` says otherwise, and the most ``limit`` may ask for: a CSV
#: as many as a download holds; JSON fewer, each of its cells being typed one by one.
DEFAULT_LIMIT = 1000
MAX_LIMIT = 100_000
MAX_JSON_LIMIT = 10_000

NOT_UTF8 = N_("The query string is not UTF-8 text.")
TOO_LONG = N_("The query string is longer than {limit} characters.")
TOO_MANY_FIELDS = N_("The query string has more than {limit} parameters.")
VALUE_TOO_LONG = N_('The value of "{key}" is longer than {limit} characters.')
UNKNOWN_PARAMETER = N_('Unknown parameter "{key}". The parameters are: {known}.')
ONE_VALUE = N_('The parameter "{key}" takes one value; it was given {count}.')
NAMES_NOTHING = N_('The value "{value}" of "{key}" names nothing in this dataset.')
SEVERAL_PLACES = N_('The value "{value}" of "{key}" names several places; use the place\'s id.')
PERIOD_FORM = N_(
    '"period" takes two dates (YYYY-MM-DD), as period=2022-06-01&period=2022-07-31; it was given "{value}".'
)
PERIOD_OUTSIDE = N_('The dates "{value}" of "period" are outside the record ({start} – {end}).')
WHOLE_NUMBER = N_('The parameter "{key}" takes a whole number from {low} to {high}; it was given "{value}".')
TRUE_OR_FALSE = N_('The parameter "{key}" takes true or false; it was given "{value}".')
LANGUAGE = N_('The parameter "lang" takes one of {languages}; it was given "{value}".')


class ApiError(Exception):
    """A request the API refuses: ``status``, the ``parameter`` at fault (None for the whole
    request) and a sentence saying why, in the language asked."""

    def __init__(self, status: int, message: str, parameter: str | None = None, lang: str = "en") -> None:
        super().__init__(message)
        self.status, self.message, self.parameter, self.lang = status, message, parameter, lang


@dataclass(frozen=True)
class Query:
    """What a request asks for, every value checked."""

    lang: str
    filters: Filters
    tab: str = "all"  # the Cases page's group: "all", a location_id or "no-city"
    who: str = ""  # the Cases page's search
    sort: str = SORTS[0]
    metric: str | None = None  # the Timeline's official figure
    limit: int | None = None  # None: every row (a CSV), else at most this many
    offset: int = 0
    pairs: tuple[tuple[str, str], ...] = ()  # the query as given, for the next page's link


def _shown(value: str) -> str:
    """A value as a message quotes it: cut, and unable to reorder the sentence around it."""
    return isolated(quoted(value))


def decode(raw: bytes, lang_hint: str = "en") -> list[tuple[str, str]]:
    """The raw query string's pairs, blank values kept; refused when it is not UTF-8 (percent-encoded
    or not), too long or has too many parameters."""
    tr = translation(lang_hint)
    if len(raw) > MAX_QUERY:
        raise ApiError(414, tr.gettext(TOO_LONG).format(limit=tr.number(MAX_QUERY)))
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise ApiError(400, tr.gettext(NOT_UTF8)) from None
    except ValueError:  # parse_qsl past max_num_fields
        raise ApiError(400, tr.gettext(TOO_MANY_FIELDS).format(limit=tr.number(MAX_FIELDS))) from None


def language(pairs: Sequence[tuple[str, str]]) -> str:
    """``lang`` of the query (one of :data:`geo.i18n.LANGUAGES`; English without one)."""
    values = [v for k, v in pairs if k == "lang"]
    if not values:
        return "en"
    found = normalize(values[-1]) if len(values) == 1 and len(values[-1]) <= MAX_VALUE else None
    if found is None:
        tr = translation("en")
        if len(values) > 1:
            raise ApiError(400, tr.gettext(ONE_VALUE).format(key="lang", count=len(values)), "lang")
        message = tr.gettext(LANGUAGE).format(languages=", ".join(LANGUAGES), value=_shown(values[-1]))
        raise ApiError(400, message, "lang")
    return found


def _grouped(pairs: Sequence[tuple[str, str]], lang: str) -> dict[str, list[str]]:
    tr = translation(lang)
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        if key not in KNOWN:
            known = ", ".join(KNOWN)
            raise ApiError(400, tr.gettext(UNKNOWN_PARAMETER).format(key=_shown(key), known=known), key[:MAX_VALUE])
        if len(value) > MAX_VALUE:
            raise ApiError(400, tr.gettext(VALUE_TOO_LONG).format(key=key, limit=tr.number(MAX_VALUE)), key)
        grouped.setdefault(key, []).append(value)
    for key, values in grouped.items():
        if key not in MANY and len(values) > 1:
            raise ApiError(400, tr.gettext(ONE_VALUE).format(key=key, count=tr.number(len(values))), key)
    return grouped


def _names_nothing(key: str, value: str, lang: str) -> ApiError:
    return ApiError(400, translation(lang).gettext(NAMES_NOTHING).format(key=key, value=_shown(value)), key, lang)


def _refuse(item: NotUnderstood | None, lang: str) -> None:
    if item is not None:
        raise _names_nothing(item.key, item.values[0] if item.values else "", lang)


def cities(values: Sequence[str], index: DatasetIndex, lang: str) -> tuple[str, ...]:
    """``?city=almaty,shymkent`` as the dashboard reads it (ids, labels, any name or alias)."""
    labels, names = place_labels.place_names(index.data.locations)
    found = resolve_places(values, names, labels)
    tr = translation(lang)
    if found.unknown:
        raise _names_nothing("city", found.unknown[0], lang)
    if found.ambiguous:
        raise ApiError(400, tr.gettext(SEVERAL_PLACES).format(key="city", value=_shown(found.ambiguous[0])), "city")
    return found.ids


def _choices(key: str, values: Sequence[str], options: Sequence[str], field: str, lang: str) -> list[str]:
    found, unknown = choices_from_link(key, values, options, lambda v: formats.label(v, lang, field))
    _refuse(unknown, lang)
    return found


def _one_of(key: str, value: str, options: Sequence[str], label_of, lang: str) -> str:
    found, unknown = choices_from_link(key, [value], options, label_of)
    _refuse(unknown, lang)
    return found[0]


def _number(key: str, value: str, low: int, high: int, lang: str) -> int:
    text = value.strip()
    if not PAGE_NUMBER.fullmatch(text) or not low <= int(text) <= high:
        tr = translation(lang)
        message = tr.gettext(WHOLE_NUMBER).format(
            key=key, low=tr.number(low), high=tr.number(high), value=_shown(value)
        )
        raise ApiError(400, message, key, lang)
    return int(text)


def _period(values: Sequence[str], bounds: tuple[date, date], lang: str) -> tuple[date, date] | None:
    period, unread = period_from_link(values, bounds)
    if unread is None:
        return period
    tr = translation(lang)
    shown = _shown(", ".join(values))
    if unread.reason == MALFORMED:
        raise ApiError(400, tr.gettext(PERIOD_FORM).format(value=shown), "period", lang)
    message = tr.gettext(PERIOD_OUTSIDE).format(
        value=shown, start=formats.day_text(bounds[0], lang), end=formats.day_text(bounds[1], lang)
    )
    raise ApiError(400, message, "period", lang)


def read(
    raw: bytes, index: DatasetIndex, default_limit: int | None = DEFAULT_LIMIT, max_limit: int = MAX_LIMIT
) -> Query:
    """The query string ``raw`` (bytes, as the request holds it) over ``index``: every parameter
    checked as the dashboard reads it; :class:`ApiError` for the first that names nothing.
    ``default_limit``: rows per answer when ``limit`` is not given (None: all), ``max_limit`` the
    most it may ask for."""
    pairs = decode(raw)
    lang = language(pairs)
    given = _grouped(pairs, lang)
    ds, bounds = index.data, index.bounds

    def one(key: str) -> str | None:
        return given[key][-1] if key in given else None

    period = _period(given.get("period", []), bounds, lang)
    chosen = cities(given.get("city", []), index, lang)
    sentences = _choices(
        "sentence", given.get("sentence", []), _categories(ds.convictions, "sentence_type"), "sentence_type", lang
    )
    roles = _choices("role", given.get("role", []), _categories(ds.convictions, "defendant_role"), "role", lang)
    events = _choices("event", given.get("event", []), _categories(ds.events, "event_type"), "event_type", lang)
    cumulative = False
    if (value := one("cumulative")) is not None:
        if value.strip().lower() not in ("true", "false"):
            tr = translation(lang)
            raise ApiError(
                400, tr.gettext(TRUE_OR_FALSE).format(key="cumulative", value=_shown(value)), "cumulative", lang
            )
        cumulative = value.strip().lower() == "true"
    filters = Filters.from_widgets(period, bounds, chosen, sentences, events, roles, cumulative)

    sort = SORTS[0]
    if (value := one("sort")) is not None:
        sort = _one_of("sort", value, SORTS, lambda s: case_tables.sort_label(s, lang), lang)
    if (value := one("size")) is not None:
        _one_of("size", value, marks.SIZE_BY, str, lang)
    if (value := one("page")) is not None:
        _number("page", value, 1, 10**9 - 1, lang)
    if (value := one("map_city")) is not None and value.strip():
        cities([value], index, lang)
    if (value := one("person")) is not None:
        labels = people_tables.person_labels(ds.defendants, lang)
        _one_of("person", value, list(labels), labels.__getitem__, lang)
    metric = None
    if (value := one("metric")) is not None:
        metric = _one_of("metric", value, index.official_metrics, lambda m: timeline.metric_label(m, lang), lang)
    limit = default_limit
    if (value := one("limit")) is not None:
        limit = _number("limit", value, 1, max_limit, lang)
    offset = _number("offset", one("offset") or "0", 0, 10**9 - 1, lang)
    tab = one("tab")
    return Query(
        lang,
        filters,
        tab=ALL if tab is None else case_group(index.view(filters, lang), tab, lang),
        who=one("who") or "",
        sort=sort,
        metric=metric,
        limit=limit,
        offset=offset,
        pairs=tuple(pairs),
    )


def _categories(frame, column: str) -> list[str]:
    return [str(c) for c in frame[column].cat.categories]


def case_group(v: View, value: str, lang: str) -> str:
    """``?tab=`` as the Cases page reads it: a group's key or label, or any name of its place."""
    groups = {group.key: group.label for group in case_groups(v)}
    wanted = value.strip()
    found, _ = choices_from_link("tab", [wanted], list(groups), groups.__getitem__)
    if not found:
        labels, names = place_labels.place_names(v.data.locations)
        ids = resolve_places([wanted], names, labels).ids
        found = [ids[0]] if len(ids) == 1 and ids[0] in groups else []
    if not found:
        raise _names_nothing("tab", value, lang)
    return found[0]
