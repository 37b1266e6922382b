"""The data's enum values as a reader sees them, in the reader's language.

Each label is marked here with its context (the field it labels: ``other`` is *другое наказание*
as a sentence type but *иное решение* as an outcome) so that ``pybabel extract`` puts it in the
catalogs; :func:`enum_label` translates it where it is shown. The English labels are the ones
the pages show today (:mod:`geo.views.formats` and the other modules of :mod:`geo.views`). Terms follow ``GLOSSARY.md``.
"""

from __future__ import annotations

import functools
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

#: Where a court's name or an article's title in a language comes from (courts.csv, code_articles.csv).
WORDINGS = {
    "quoted": NC_("wording", "as a source gives it"),
    "translated": NC_("wording", "translated here, not from a source"),
}

UNITS = {
    "people": NC_("unit", "people"),
    "cases": NC_("unit", "cases"),
    "KZT": NC_("unit", "KZT"),
    "USD": NC_("unit", "USD"),
}

#: The official figures' metrics (official_stats.csv, defined in data/METRICS.md), as the Timeline names them.
METRICS = {
    "people_killed": NC_("metric", "People killed"),
    "law_enforcement_killed": NC_("metric", "Law enforcement killed"),
    "civilians_killed": NC_("metric", "Civilians killed"),
    "children_killed": NC_("metric", "Children killed"),
    "attackers_killed": NC_("metric", "Attackers killed"),
    "killed_attacking_buildings": NC_("metric", "Killed attacking buildings"),
    "killed_previously_convicted": NC_("metric", "Killed previously convicted"),
    "killed_suspected_rioters": NC_("metric", "Killed suspected rioters"),
    "killed_violating_emergency_regime": NC_("metric", "Killed violating emergency regime"),
    "killed_committing_other_crimes": NC_("metric", "Killed committing other crimes"),
    "deaths_in_medical_facilities": NC_("metric", "Deaths in medical facilities"),
    "deaths_from_torture": NC_("metric", "Deaths from torture"),
    "people_injured": NC_("metric", "People injured"),
    "law_enforcement_injured": NC_("metric", "Law enforcement injured"),
    "attackers_injured": NC_("metric", "Attackers injured"),
    "people_killed_or_injured": NC_("metric", "People killed or injured"),
    "people_hospitalized": NC_("metric", "People hospitalized"),
    "people_in_intensive_care": NC_("metric", "People in intensive care"),
    "protest_participants": NC_("metric", "Protest participants"),
    "messenger_group_members": NC_("metric", "Messenger group members"),
    "attackers_claimed_by_president": NC_("metric", "Attackers claimed by president"),
    "csto_troops_deployed": NC_("metric", "Csto troops deployed"),
    "lpg_price_per_litre": NC_("metric", "Lpg price per litre"),
    "people_detained": NC_("metric", "People detained"),
    "people_brought_to_police": NC_("metric", "People brought to police"),
    "suspects_detained": NC_("metric", "Suspects detained"),
    "people_detained_at_border": NC_("metric", "People detained at border"),
    "people_released_wrongly_detained": NC_("metric", "People released wrongly detained"),
    "people_in_temporary_detention": NC_("metric", "People in temporary detention"),
    "people_in_pretrial_detention": NC_("metric", "People in pretrial detention"),
    "people_in_pretrial_detention_police_cases": NC_("metric", "People in pretrial detention police cases"),
    "people_in_pretrial_detention_riot_participant_cases": NC_(
        "metric", "People in pretrial detention riot participant cases"
    ),
    "people_under_house_arrest": NC_("metric", "People under house arrest"),
    "people_non_custodial_measures": NC_("metric", "People non custodial measures"),
    "people_released_from_pretrial_detention": NC_("metric", "People released from pretrial detention"),
    "people_released_from_pretrial_detention_police_cases": NC_(
        "metric", "People released from pretrial detention police cases"
    ),
    "detainees_with_prior_convictions": NC_("metric", "Detainees with prior convictions"),
    "organisers_arrested": NC_("metric", "Organisers arrested"),
    "organisers_suspected": NC_("metric", "Organisers suspected"),
    "organisers_imprisoned": NC_("metric", "Organisers imprisoned"),
    "criminal_cases_opened": NC_("metric", "Criminal cases opened"),
    "criminal_cases_opened_police": NC_("metric", "Criminal cases opened police"),
    "criminal_cases_opened_grave_crimes": NC_("metric", "Criminal cases opened grave crimes"),
    "criminal_cases_opened_riot_participant_cases": NC_("metric", "Criminal cases opened riot participant cases"),
    "criminal_cases_under_investigation": NC_("metric", "Criminal cases under investigation"),
    "criminal_cases_under_investigation_police": NC_("metric", "Criminal cases under investigation police"),
    "criminal_cases_to_court": NC_("metric", "Criminal cases to court"),
    "terrorism_cases_open": NC_("metric", "Terrorism cases open"),
    "mass_riot_cases_open": NC_("metric", "Mass riot cases open"),
    "murder_cases_open": NC_("metric", "Murder cases open"),
    "calls_to_seize_power_cases_open": NC_("metric", "Calls to seize power cases open"),
    "theft_cases_opened": NC_("metric", "Theft cases opened"),
    "weapons_cases_opened": NC_("metric", "Weapons cases opened"),
    "hooliganism_cases_opened": NC_("metric", "Hooliganism cases opened"),
    "property_destruction_cases_opened": NC_("metric", "Property destruction cases opened"),
    "looting_robbery_cases_opened": NC_("metric", "Looting robbery cases opened"),
    "police_conduct_cases_opened": NC_("metric", "Police conduct cases opened"),
    "people_under_investigation": NC_("metric", "People under investigation"),
    "people_under_investigation_riot_participant_cases": NC_(
        "metric", "People under investigation riot participant cases"
    ),
    "people_questioned": NC_("metric", "People questioned"),
    "people_prosecuted": NC_("metric", "People prosecuted"),
    "people_prosecuted_police_cases": NC_("metric", "People prosecuted police cases"),
    "defendants_sent_to_court": NC_("metric", "Defendants sent to court"),
    "defendants_sent_to_court_police_cases": NC_("metric", "Defendants sent to court police cases"),
    "defendants_tried": NC_("metric", "Defendants tried"),
    "defendants_tried_police_cases": NC_("metric", "Defendants tried police cases"),
    "people_convicted": NC_("metric", "People convicted"),
    "people_convicted_police_cases": NC_("metric", "People convicted police cases"),
    "people_convicted_mass_riots": NC_("metric", "People convicted mass riots"),
    "convicted_imprisonment": NC_("metric", "Convicted imprisonment"),
    "convicted_imprisonment_police_cases": NC_("metric", "Convicted imprisonment police cases"),
    "convicted_restricted_freedom_police_cases": NC_("metric", "Convicted restricted freedom police cases"),
    "convicted_community_service_police_cases": NC_("metric", "Convicted community service police cases"),
    "convicted_fine_police_cases": NC_("metric", "Convicted fine police cases"),
    "administrative_cases": NC_("metric", "Administrative cases"),
    "administrative_cases_in_court": NC_("metric", "Administrative cases in court"),
    "administrative_cases_reviewed": NC_("metric", "Administrative cases reviewed"),
    "administrative_appeals": NC_("metric", "Administrative appeals"),
    "people_administratively_punished": NC_("metric", "People administratively punished"),
    "people_before_administrative_court": NC_("metric", "People before administrative court"),
    "administrative_arrests": NC_("metric", "Administrative arrests"),
    "administrative_fines": NC_("metric", "Administrative fines"),
    "administrative_warnings": NC_("metric", "Administrative warnings"),
    "people_released_from_administrative_arrest": NC_("metric", "People released from administrative arrest"),
    "torture_cases_opened": NC_("metric", "Torture cases opened"),
    "torture_cases_under_investigation": NC_("metric", "Torture cases under investigation"),
    "torture_cases_closed": NC_("metric", "Torture cases closed"),
    "officers_investigated_for_torture": NC_("metric", "Officers investigated for torture"),
    "officers_detained_for_torture": NC_("metric", "Officers detained for torture"),
    "officers_held_liable_for_torture": NC_("metric", "Officers held liable for torture"),
    "torture_victims": NC_("metric", "Torture victims"),
    "torture_victims_in_court_cases": NC_("metric", "Torture victims in court cases"),
    "people_eligible_for_amnesty": NC_("metric", "People eligible for amnesty"),
    "people_amnestied": NC_("metric", "People amnestied"),
    "sentences_reduced_by_amnesty": NC_("metric", "Sentences reduced by amnesty"),
    "amnesty_releases_expected": NC_("metric", "Amnesty releases expected"),
    "property_damage": NC_("metric", "Property damage"),
    "business_damage": NC_("metric", "Business damage"),
    "state_property_damage": NC_("metric", "State property damage"),
    "compensation_paid": NC_("metric", "Compensation paid"),
    "funds_recovered": NC_("metric", "Funds recovered"),
    "restitution_ordered": NC_("metric", "Restitution ordered"),
}

#: Each vocabulary by the name of its context, in the order :func:`enum_label` searches them for
#: a value given without its field (the order of ``geo.views.formats.label``).
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
    "metric": METRICS,
    "wording": WORDINGS,
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
    "metric": "metric",
    "name_ru_source": "wording",
    "name_kk_source": "wording",
    "title_source": "wording",
    "title_ru_source": "wording",
    "title_kk_source": "wording",
    "charges_ru_source": "wording",
    "charges_kk_source": "wording",
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
    "other": NP_("count", "{count} with another outcome", "{count} with another outcome"),
    "events": NP_("count", "{count} event", "{count} events"),
    "sources": NP_("count", "{count} source", "{count} sources"),
}


# The map's tooltips and the pages' lines ask for the same few hundred counts on every rerun.
@functools.lru_cache(maxsize=4096)
def count_text(what: str, n: int, lang: str) -> str:
    """``count_text("decisions", 5, "ru")`` -> ``5 решений суда``: the plural form the language's rule
    picks for ``n``, with ``n`` written the language's way (``1 400``)."""
    context, singular, plural = COUNTS[what]
    tr = translation(lang)
    return tr.npgettext(context, singular, plural, n).format(count=tr.number(n))
