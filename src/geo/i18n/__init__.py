"""The interface in English, Russian and Kazakh (issue 13): languages, catalogs, formats, labels.

Pure code: no Streamlit here. The dashboard (``geo.dashboard.url_state``) chooses the reader's language once per rerun
(:func:`choose_language`) and hands it on explicitly, as ``lang`` or as the :class:`Translator` of
:func:`translation`; nothing here reads a global or context variable for it.

- :mod:`~geo.i18n.languages`: the languages, ``?lang=``, the choice from link and browser;
- :mod:`~geo.i18n.catalog`: the gettext catalogs (Babel), ``gettext``/``ngettext``/``pgettext``;
- :mod:`~geo.i18n.formats`: days, months, numbers and shares by Babel (CLDR);
- :mod:`~geo.i18n.enums`: the data's enum values and the counts, in the catalogs;
- :mod:`~geo.i18n.fields`: which column (``name_ru``, ``summary_ru`` …) a reader gets.

``GLOSSARY.md`` beside this file fixes the legal terms of the translations.
"""

from geo.i18n.catalog import Translator, gettext, ngettext, npgettext, pgettext, translation
from geo.i18n.enums import count_text, enum_label
from geo.i18n.fields import person_name, place_name, summary_text
from geo.i18n.formats import format_day, format_month, format_number, format_percent, month_names
from geo.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, N_, QUERY_PARAM, choose_language, normalize

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "QUERY_PARAM",
    "Translator",
    "choose_language",
    "count_text",
    "enum_label",
    "format_day",
    "format_month",
    "format_number",
    "format_percent",
    "gettext",
    "month_names",
    "ngettext",
    "normalize",
    "npgettext",
    "person_name",
    "pgettext",
    "place_name",
    "summary_text",
    "translation",
]
