"""The interface languages and how a reader's one is chosen: the link's ``?lang=``, else the
browser's preferred language, else English."""

from __future__ import annotations

from babel.core import negotiate_locale

#: Each language named in itself, so that a reader finds theirs whatever the page is in now.
#: These names are not translated.
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
#: The language the messages are written in (the msgids).
SOURCE_LANGUAGE = "en"
#: The language of a reader whose link and browser name none of :data:`LANGUAGES`.
DEFAULT_LANGUAGE = "en"
#: The query parameter that keeps the language in a link (``?lang=ru``).
QUERY_PARAM = "lang"


def N_(message: str) -> str:
    """Marks a message for the catalogs (``pybabel extract`` finds it); it is translated where it is
    shown, in the reader's language, with :func:`geo.i18n.gettext`."""
    return message


#: The language switch's own words.
LANGUAGE_LABEL = N_("Language")
LANGUAGE_HELP = N_("The language of the page. A link copied from the address bar opens in it.")


def normalize(value: object) -> str | None:
    """A language tag as one of :data:`LANGUAGES`: ``RU``, ``ru-RU``, ``ru_RU`` -> ``ru``;
    ``None`` for anything else (``fr``, ``""``, ``None``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    tag = value.strip().replace("_", "-").lower()
    return negotiate_locale([tag], list(LANGUAGES), sep="-", aliases={})


def choose_language(requested: object = None, browser: object = None) -> str:
    """The reader's language: the link's (``?lang=``) when it names one we have, else the browser's
    preferred language (``navigator.language``, e.g. ``ru-RU``) when we have it, else English."""
    return normalize(requested) or normalize(browser) or DEFAULT_LANGUAGE
