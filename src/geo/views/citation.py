"""How to cite the dataset: the citation and its BibTeX, the line under the map image, and the
footer of every page with its link to how to cite.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.i18n import N_, translation
from geo.views.formats import NOT_STATED
from geo.views.reader_text import markdown_text

if TYPE_CHECKING:
    from geo.data.provenance import Provenance


def source_line(provenance: Provenance, lang: str = "en") -> str:
    """``Data: Kazakhstan, January 2022 (Qantar): … v1.0.0, from 254 news reports; borders: Natural Earth``,
    in ``lang``: one whole sentence with and one without a version (a translation may change any of it)."""
    tr = translation(lang)
    n = provenance.reports
    if provenance.version:
        template = tr.ngettext(
            "Data: {title} v{version}, from {reports} news report; borders: Natural Earth",
            "Data: {title} v{version}, from {reports} news reports; borders: Natural Earth",
            n,
        )
    else:
        template = tr.ngettext(
            "Data: {title}, from {reports} news report; borders: Natural Earth",
            "Data: {title}, from {reports} news reports; borders: Natural Earth",
            n,
        )
    return template.format(title=provenance.title, version=provenance.version, reports=tr.number(n))


#: How to cite the dataset, in the form APA gives a data set. One whole sentence per case (with
#: or without authors, with or without a version) for the translation catalogs.
CITATIONS = {
    (True, True): "{authors} ({year}). {title} (version {version}) [Data set]. Licence: {licence}.",
    (True, False): "{authors} ({year}). {title} [Data set]. Licence: {licence}.",
    (False, True): "{title} (version {version}) [Data set]. ({year}). Licence: {licence}.",
    (False, False): "{title} [Data set]. ({year}). Licence: {licence}.",
}

#: APA's "no date".
NO_DATE = "n.d."

LICENCE_NOT_STATED = N_("licence not stated")

#: The footer under every page (Markdown): the dataset's version and licence, and a link to the
#: About page's citation, which opens in a tab of its own.
FOOTER = N_("Qantar map · data v{version} · {licence} · [How to cite]({cite_link})")

FOOTER_NO_VERSION = N_("Qantar map · data version not stated · {licence} · [How to cite]({cite_link})")

#: The About page's section on citing (the anchor of its heading), relative to the page's URL, so
#: that it also works where the dashboard is served under a path prefix.
CITE_ANCHOR = "how-to-cite"

CITE_LINK = f"about#{CITE_ANCHOR}"


def citation_text(provenance: Provenance) -> str:
    """How to cite the dataset, e.g. ``Qantar map contributors (2026). Kazakhstan, January 2022
    (Qantar): events, verdicts and official figures (version 1.0.0) [Data set]. Licence: CC BY 4.0.``
    Plain text: the pages show it in a code block, the downloads write it as it is."""
    template = CITATIONS[bool(provenance.authors), bool(provenance.version)]
    return template.format(
        authors=provenance.authors,
        year=provenance.released[:4] or NO_DATE,
        title=provenance.title,
        version=provenance.version,
        licence=provenance.licence or NOT_STATED,
    )


#: Characters BibTeX (through LaTeX) would read as commands, groups or comments.
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_value(value: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in value)


def citation_bibtex(provenance: Provenance) -> str:
    """The same citation as a BibTeX ``@misc`` entry (biblatex reads ``version`` too). Each
    author is a group of its own, so that a team's name is not split into given and family
    names. Written here rather than with a BibTeX library: it is one entry of known fields."""
    year = provenance.released[:4]
    key = "_".join(re.findall(r"[a-z0-9]+", (provenance.authors or provenance.title).casefold())[:3] + [year or "nd"])
    authors = " and ".join("{" + bibtex_value(a.strip()) + "}" for a in provenance.authors.split(";") if a.strip())
    fields = [
        ("author", authors),
        ("title", "{" + bibtex_value(provenance.title) + "}"),
        ("year", year),
        ("version", bibtex_value(provenance.version)),
        ("howpublished", "Data set"),
        ("note", bibtex_value(f"Licence: {provenance.licence or NOT_STATED}")),
    ]
    lines = [f"  {name} = {{{value}}}," for name, value in fields if value]
    return "\n".join([f"@misc{{{key},", *lines, "}"])


def footer_text(provenance: Provenance, lang: str = "en", query: str = "") -> str:
    """The footer line (Markdown; the version and licence come from the descriptor, so escaped).
    ``query``: the page's own query string (``lang=ru&city=almaty``), which the link to the
    citation keeps, so that About opens in the reader's language and filter."""
    tr = translation(lang)
    template = tr.gettext(FOOTER if provenance.version else FOOTER_NO_VERSION)
    return template.format(
        version=markdown_text(provenance.version),
        licence=markdown_text(provenance.licence or tr.gettext(LICENCE_NOT_STATED)),
        cite_link=cite_link(query),
    )


def cite_link(query: str = "") -> str:
    """The About page's citation, relative to the page (``about?lang=ru#how-to-cite``). ``query``
    must be URL-encoded (no space, no parenthesis), as ``urllib.parse.urlencode`` gives it."""
    return f"about?{query}#{CITE_ANCHOR}" if query else CITE_LINK
