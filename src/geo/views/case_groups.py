"""The groups the Cases page lists its decisions in, one box for all of them: every decision, each
court city with a decision in the filter, and those not on the map. The page and the data API
(``?tab=``) read the same groups, so a link names the same rows in both."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from geo.query.filters import Filters
from geo.query.view import View
from geo.views import place_labels

#: The groups besides the cities: every decision, and those whose court city is not on the map.
ALL, NO_CITY = "all", "no-city"


class CaseGroup(NamedTuple):
    key: str  # ALL, a location_id or NO_CITY: the link's value
    label: str  # in the view's language; no counts, so that a link survives a change of filter
    rows: np.ndarray  # a mask over the index's decisions, like View.selected
    named: Filters  # the filter a download's file name states


def case_groups(v: View) -> list[CaseGroup]:
    """The groups of ``v``: all cities first, the cities A–Z by their name in ``v``'s language,
    the decisions not on the map last (when there are any)."""
    tr, selected, cases = v.tr, v.selected, v.cases
    names = place_labels.city_names(v.data.locations, v.lang)
    groups = [CaseGroup(ALL, tr.gettext("All cities"), selected, v.filters)]
    for city in sorted(v.city_totals()["location_id"], key=lambda c: names[c].casefold()):
        groups.append(CaseGroup(city, names[city], selected & cases.of_city(city), replace(v.filters, cities=(city,))))
    unplaced = selected & ~cases.on_map
    if unplaced.any():
        named = replace(v.filters, cities=("not-on-the-map",))
        groups.append(CaseGroup(NO_CITY, tr.gettext("Not on the map"), unplaced, named))
    return groups
