"""Numbers, dates and month names in the reader's language, by Babel (CLDR's data), never by hand."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

#: A day as the pages write it. English keeps the short month of the tables (``11 Jun 2024``);
#: Russian writes the month in full without "г." as the press does (``11 июня 2024``); Kazakh is
#: CLDR's long date (``2024 ж. 11 маусым``).
DAY_PATTERNS = {"en": "d MMM y", "ru": "d MMMM y", "kk": "y 'ж'. d MMMM"}
#: A month of a year: ``Jun 2024``, ``июнь 2024`` (the nominative, CLDR's stand-alone form),
#: ``2024 ж. маусым``.
MONTH_PATTERNS = {"en": "MMM y", "ru": "LLLL y", "kk": "y 'ж'. MMMM"}

#: A day as Streamlit's own widgets draw it (the slider, the tables' date columns), in moment.js
#: notation. Streamlit's browser side knows English month names only, so Russian and Kazakh get
#: the numeric day their courts and press use (``11.06.2024``), as the date boxes already show.
WIDGET_DAY_FORMATS = {"en": "D MMM YYYY", "ru": "DD.MM.YYYY", "kk": "DD.MM.YYYY"}


def widget_day_format(lang: str) -> str:
    """The moment.js pattern of a day in Streamlit's widgets for ``lang`` (see :data:`WIDGET_DAY_FORMATS`)."""
    return WIDGET_DAY_FORMATS[lang]


def vega_time_locale(lang: str) -> dict:
    """The d3 time locale of Vega charts (``config.locale.time``) in ``lang``, from CLDR: the
    month and day names that time axes and tooltips print (``янв. 2022``, ``қаң. 2022``)."""
    names = Locale.parse(lang)
    days = [names.days["format"]["wide"][(d + 6) % 7] for d in range(7)]  # d3 starts on Sunday, CLDR on Monday
    short_days = [names.days["format"]["abbreviated"][(d + 6) % 7] for d in range(7)]
    return {
        "dateTime": "%x, %X",
        "date": "%d.%m.%Y" if lang != "en" else "%m/%d/%Y",
        "time": "%H:%M:%S",
        "periods": [names.day_periods["format"]["abbreviated"][p] for p in ("am", "pm")],
        "days": days,
        "shortDays": short_days,
        "months": [names.months["stand-alone"]["wide"][m] for m in range(1, 13)],
        "shortMonths": [names.months["stand-alone"]["abbreviated"][m] for m in range(1, 13)],
    }


def format_day(d: date, lang: str) -> str:
    """``11 Jun 2024``, ``11 июня 2024``, ``2024 ж. 11 маусым`` (a datetime or pandas Timestamp
    gives its day)."""
    return format_date(d, DAY_PATTERNS[lang], locale=lang)


def format_month(d: date, lang: str) -> str:
    """The month ``d`` falls in: ``Jun 2024``, ``июнь 2024``, ``2024 ж. маусым``."""
    return format_date(d, MONTH_PATTERNS[lang], locale=lang)


def month_names(lang: str) -> Sequence[str]:
    """January to December as a month stands alone (a list, a picker): ``январь`` … ``декабрь``."""
    names = Locale.parse(lang).months["stand-alone"]["wide"]
    return [names[m] for m in range(1, 13)]


# A map's tooltips and labels format the same few counts on every rerun, and babel looks the
# locale up again on each call: the same (number, type, language) always formats the same.
@functools.lru_cache(maxsize=8192, typed=True)
def format_number(n: float, lang: str) -> str:
    """``1,400``, ``1 400``, ``1 400`` (Russian and Kazakh group digits with a no-break space)."""
    return format_decimal(n, locale=lang)


def format_share(share: float, lang: str) -> str:
    """A share to a tenth of a per cent, in the locale's percent pattern: ``1.9%``, ``1,9 %``
    (whole per cents would round most shares of the official counts to 0% or 2%)."""
    pattern = Locale.parse(lang).percent_formats[None].pattern.replace("0%", "0.0%").replace("0\xa0%", "0.0\xa0%")
    return babel_percent(share, format=pattern, locale=lang)


def format_percent(share: float, lang: str) -> str:
    """A share as a whole per cent: ``8%``, ``8 %`` (Russian puts a no-break space before the sign)."""
    return babel_percent(share, locale=lang)


def vega_number_locale(lang: str) -> dict:
    """The d3 number locale of Vega charts (``config.locale.number``) in ``lang``, from CLDR: the
    decimal sign and the digit grouping that axes and tooltips print (``1 400``, ``2,5``)."""
    symbols = Locale.parse(lang).number_symbols["latn"]
    return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3], "currency": ["", ""]}
