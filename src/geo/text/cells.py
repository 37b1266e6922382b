"""The patterns of a table cell: list items, dates and integers as text, and what makes a cell
dangerous to a spreadsheet or a browser (formula starts, HTML, invisible characters).

A leaf module: the validator checks cells with these, and the exports and the pages read list
cells and neutralise formulas with the same definitions.
"""

from __future__ import annotations

import re

#: Leading characters that make a spreadsheet evaluate a cell (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HTML_MARKUP = re.compile(r"<\s*[a-zA-Z!/]")
#: Characters nobody types on purpose that change how text displays: C0 controls other than tab,
#: newline and CR (which FORMULA_PREFIXES and CSV quoting cover), DEL, C1 controls, the
#: bidirectional overrides, isolates and marks that can show a name reversed or hide part of it
#: ("Trojan Source": U+202A-E, U+2066-9, U+200E/F, U+061C), characters that take no space (soft
#: hyphen U+00AD, zero-width space U+200B, word joiner and invisible operators U+2060-4, the
#: Mongolian vowel separator U+180E, a byte order mark inside text U+FEFF), line and paragraph
#: separators (U+2028/9, which end a line in JavaScript but not in a CSV reader) and the tag
#: characters U+E0000-E007F (invisible text a language model still reads). Zero-width (non-)joiners
#: (U+200C/D) are left alone: Persian and emoji sequences need them.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
#: A cell a spreadsheet would evaluate: a formula character after any run of spaces and invisible
#: characters (which a spreadsheet may strip on import, and a reader cannot see); or a leading tab
#: or CR (OWASP). The formula characters: = + - @, the minus sign, and every character that Unicode
#: compatibility (NFKC) folds into one of them: full-width ＝ ＋ － ＠, small ﹦ ﹢ ﹣ ﹫, super- and
#: subscript ⁼ ⁺ ⁻ ₌ ₊ ₋ and the Hebrew alternative plus ﬩ (some spreadsheets fold them on import).
_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"  # str.isspace, spelt out for RE2
_HIDDEN = "\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f"
_FORMULA_CHARS = "=+\\-@\u2212\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u207a-\u207c\u208a-\u208c\ufb29"
_FORMULA = "[" + _SPACES + _HIDDEN + "]*[" + _FORMULA_CHARS + "]"
FORMULA_START = re.compile("^(?:[\t\r]|" + _FORMULA + ")")
#: A formula start after a list separator inside a cell (``Ruled;=1+1``): a spreadsheet that splits
#: an unquoted CSV cell on ``;``, ``,`` or a tab (as Russian settings do on ``;``) would make it a cell.
FORMULA_AFTER_SEPARATOR = re.compile("[;,\t]" + _FORMULA)
# ASCII digits only: ``\d`` also matches Arabic-Indic or full-width digits, which the loader's
# number and date parsers reject, so such a cell must be an error here, not a crash there.
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INTEGER = re.compile(r"^[+-]?[0-9]+$")


def split_list(cell: str, delimiter: str | None = ";") -> list[str]:
    """Items of a ``;`` list cell, stripped, empties dropped."""
    return [item.strip() for item in cell.split(delimiter or ";") if item.strip()]


def first_match(pattern: re.Pattern[str], text: str) -> str:
    """The first match of ``pattern`` in ``text``, which the caller knows has one."""
    found = pattern.search(text)
    assert found is not None
    return found[0]


def formula_start(value: object) -> str | None:
    """The characters that make a spreadsheet evaluate ``value`` (e.g. ``'='``, ``'\u200b＝'``), or None."""
    if not isinstance(value, str) or not value:
        return None
    m = FORMULA_START.match(value)
    return m.group() if m else None


def anchored(pattern: str) -> str:
    """Table Schema patterns match the whole value."""
    return f"^(?:{pattern})$"
