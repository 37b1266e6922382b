"""The data's enum values as a reader sees them, in the reader's language.

Each label is marked here with its context (the field it labels: ``other`` is *другое наказание*
as a sentence type but *иное решение* as an outcome) so that ``pybabel extract`` puts it in the
catalogs; :func:`enum_label` translates it where it is shown. The English labels are the ones
the pages show today (:mod:`geo.views.present`). Terms follow ``GLOSSARY.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.i18n.catalog import translation


def NC_(context: str, message: str) -> tuple[str, str]:
    """Marks a label and its context for the catalogs (``babel.cfg`` names this keyword)."""
    return context, message


def NP_(context: str, singular: str, plural: str) -> tuple[str, str, str]:
    """Marks a count's singular and plural message and its context for the catalogs."""
    return context, singular, plural


SENTENCE_TYPES = {
    "imprisonment": NC_("sentence_type", "imprisonment"),
    "restricted_freedom": NC_("sentence_type", "restricted freedom"),
    "probation": NC_("sentence_type", "probation"),
    "suspended": NC_("sentence_type", "suspended sentence"),
    "fine": NC_("sentence_type", "fine"),
    "community_service": NC_("sentence_type", "community service"),
    "other": NC_("sentence_type", "other"),
    "unknown": NC_("sentence_type", "type not stated"),
    "none": NC_("sentence_type", "no sentence"),
}

OUTCOMES = {
    "convicted": NC_("outcome", "convicted"),
    "acquitted": NC_("outcome", "acquitted"),
    "posthumous": NC_("outcome", "convicted posthumously"),
    "mixed": NC_("outcome", "mixed"),
    "annulled": NC_("outcome", "annulled"),
    "upheld": NC_("outcome", "upheld"),
    "changed": NC_("outcome", "sentence changed"),
    "returned": NC_("outcome", "sent back for retrial"),
    "other": NC_("outcome", "other"),
}

INSTANCES = {
    "first": NC_("instance", "first instance"),
    "appeal": NC_("instance", "appeal"),
    "cassation": NC_("instance", "cassation"),
    "supreme": NC_("instance", "Supreme Court"),
    "other": NC_("instance", "other"),
}

ROLES = {
    "protester": NC_("role", "protester"),
    "activist": NC_("role", "activist"),
    "journalist": NC_("role", "journalist"),
    "official": NC_("role", "official"),
    "security_officer": NC_("role", "security officer"),
    "military": NC_("role", "military"),
    "other": NC_("role", "other"),
    "unknown": NC_("role", "role not stated"),
}

#: Who the defendants were, as the description line names a group of them ("protesters or activists").
ROLE_GROUPS = {
    "protester": NC_("role_group", "protesters"),
    "activist": NC_("role_group", "activists"),
    "journalist": NC_("role_group", "journalists"),
    "official": NC_("role_group", "officials"),
    "security_officer": NC_("role_group", "security officers"),
    "military": NC_("role_group", "military"),
    "other": NC_("role_group", "others"),
    "unknown": NC_("role_group", "defendants of unstated role"),
}

EVENT_TYPES = {
    "protest": NC_("event_type", "protest"),
    "unrest": NC_("event_type", "unrest"),
    "violence": NC_("event_type", "violence"),
    "seizure": NC_("event_type", "seizure"),
    "security_operation": NC_("event_type", "security operation"),
    "arrest": NC_("event_type", "arrest"),
    "dismissal": NC_("event_type", "dismissal"),
    "official_statement": NC_("event_type", "official statement"),
    "amnesty": NC_("event_type", "amnesty"),
    "trial": NC_("event_type", "trial"),
    "other": NC_("event_type", "other"),
}

#: A date's precision as a table's short column says it (the date itself is the period's first day).
DATE_PRECISIONS = {
    "day": NC_("date_precision", "day"),
    "week": NC_("date_precision", "week"),
    "month": NC_("date_precision", "month only"),
    "year": NC_("date_precision", "year only"),
}

LOCATION_PRECISIONS = {
    "city": NC_("location_precision", "city"),
    "region": NC_("location_precision", "region only"),
}

#: How exact an official's figure is.
QUALIFIERS = {
    "exact": NC_("qualifier", "exact"),
    "at_least": NC_("qualifier", "at least"),
    "more_than": NC_("qualifier", "more than"),
    "approx": NC_("qualifier", "approx"),
    "derived": NC_("qualifier", "derived"),
}

UNITS = {
    "people": NC_("unit", "people"),
    "cases": NC_("unit", "cases"),
    "KZT": NC_("unit", "KZT"),
    "USD": NC_("unit", "USD"),
}

#: Each vocabulary by the name of its context, in the order :func:`enum_label` searches them for
#: a value given without its field (the order of ``geo.views.present.label``).
ENUMS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "sentence_type": SENTENCE_TYPES,
    "outcome": OUTCOMES,
    "instance": INSTANCES,
    "role": ROLES,
    "event_type": EVENT_TYPES,
    "qualifier": QUALIFIERS,
    "date_precision": DATE_PRECISIONS,
    "location_precision": LOCATION_PRECISIONS,
    "unit": UNITS,
    "role_group": ROLE_GROUPS,
}

#: The data's columns (data/datapackage.json) that hold each vocabulary's values.
FIELDS = {
    "sentence_type": "sentence_type",
    "outcome": "outcome",
    "instance": "instance",
    "role": "role",
    "defendant_role": "role",
    "event_type": "event_type",
    "qualifier": "qualifier",
    "fatalities_qualifier": "qualifier",
    "date_precision": "date_precision",
    "published_precision": "date_precision",
    "as_of_precision": "date_precision",
    "location_precision": "location_precision",
    "unit": "unit",
}


def enum_label(value: object, lang: str, field: str | None = None) -> str:
    """An enum value as a reader of ``lang`` sees it: ``enum_label("imprisonment", "ru")`` ->
    ``лишение свободы``. ``field`` is a vocabulary of :data:`ENUMS` or a column of :data:`FIELDS`
    (``defendant_role``); without it the vocabularies are searched in order, so pass it where a value
    such as ``other`` or ``unknown`` means different things. A value no vocabulary knows is shown as
    it is, underscores as spaces."""
    text = str(value)
    vocabularies = list(ENUMS.values()) if field is None else [ENUMS[FIELDS.get(field, field)]]
    for vocabulary in vocabularies:
        if text in vocabulary:
            context, message = vocabulary[text]
            return translation(lang).pgettext(context, message)
    return text.replace("_", " ")


#: Counts the pages state, as whole messages with their number (``{count} court decisions``).
COUNTS = {
    "decisions": NP_("count", "{count} court decision", "{count} court decisions"),
    "people": NP_("count", "{count} person", "{count} people"),
    "convicted": NP_("count", "{count} convicted", "{count} convicted"),
    "acquitted": NP_("count", "{count} acquitted", "{count} acquitted"),
    "posthumous": NP_("count", "{count} convicted posthumously", "{count} convicted posthumously"),
    "events": NP_("count", "{count} event", "{count} events"),
    "sources": NP_("count", "{count} source", "{count} sources"),
}


def count_text(what: str, n: int, lang: str) -> str:
    """``count_text("decisions", 5, "ru")`` -> ``5 решений суда``: the plural form the language's rule
    picks for ``n``, with ``n`` written the language's way (``1 400``)."""
    context, singular, plural = COUNTS[what]
    tr = translation(lang)
    return tr.npgettext(context, singular, plural, n).format(count=tr.number(n))
