"""The gettext catalogs: one :class:`Translator` per language, loaded once per process.

The catalogs are Babel's: ``locale/messages.pot`` is extracted from the code, ``locale/<lang>/
LC_MESSAGES/messages.po`` holds a language's translations (both kept in git), and ``messages.mo``
beside it is their compiled form (a build product: ``make catalogs`` or any ``make run``/``make test``
builds it). Where the ``.mo`` is missing or older than its ``.po`` (a fresh clone, a ``.po`` just
edited), the ``.po`` is compiled in memory at start instead, so the pages never show a stale catalog.

The language is passed explicitly, as a ``lang`` argument or a :class:`Translator`, never read from
ambient state: results that are cached (per process, per dataset, per rerun) are then keyed by it.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel.messages import mofile, pofile
from babel.support import NullTranslations, Translations

from geo.i18n import formats
from geo.i18n.languages import LANGUAGES, SOURCE_LANGUAGE

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def catalog_file(lang: str, suffix: str = ".po") -> Path:
    """``locale/<lang>/LC_MESSAGES/messages.po`` (or ``.mo``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def compile_po(po: Path) -> bytes:
    """A ``.po`` file compiled as ``pybabel compile`` does it (fuzzy entries left out)."""
    with po.open("rb") as source:
        catalog = pofile.read_po(source, locale=po.parent.parent.name, abort_invalid=True)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


@functools.cache
def _catalog(lang: str) -> NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    po, mo = catalog_file(lang, ".po"), catalog_file(lang, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return Translations(compiled, domain=DOMAIN)
    return Translations(io.BytesIO(compile_po(po)), domain=DOMAIN)


@dataclass(frozen=True)
class Translator:
    """The messages, plurals and formats of one language. Build it with :func:`translation`."""

    lang: str
    catalog: NullTranslations = field(repr=False, compare=False)

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for ``n`` by the language's plural rule (Russian has three, Kazakh and English two)."""
        return self.catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose translation depends on what it labels (``other`` as a sentence type, a role …)."""
        return str(self.catalog.pgettext(context, message))  # Babel types it as object

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.catalog.npgettext(context, singular, plural, n)

    def day(self, d: date) -> str:
        return formats.format_day(d, self.lang)

    def month(self, d: date) -> str:
        return formats.format_month(d, self.lang)

    def number(self, n: float) -> str:
        return formats.format_number(n, self.lang)

    def percent(self, share: float) -> str:
        return formats.format_percent(share, self.lang)


@functools.cache
def translation(lang: str) -> Translator:
    """The :class:`Translator` of one of :data:`~geo.i18n.languages.LANGUAGES` (``ValueError`` for
    any other: choose it with :func:`~geo.i18n.languages.choose_language` first)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalog for language {lang!r}; languages: {', '.join(LANGUAGES)}")
    return Translator(lang, _catalog(lang))


def gettext(message: str, lang: str) -> str:
    return translation(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    return translation(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: str) -> str:
    return translation(lang).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int, lang: str) -> str:
    return translation(lang).npgettext(context, singular, plural, n)
