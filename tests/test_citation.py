"""Citing and versioning: CITATION.cff against the CFF 1.2.0 schema, one version and one release
date in CITATION.cff, data/datapackage.json and CHANGELOG.md, the licence files, and the citation
text, BibTeX entry and footer line the pages and downloads show."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from geo.data.provenance import Provenance, provenance
from geo.views.citation import citation_bibtex, citation_text, footer_text

from testdata import MINIMAL, ROOT, SHIPPED, copy_dataset

CITATION = ROOT / "CITATION.cff"
CHANGELOG = ROOT / "CHANGELOG.md"
#: A version heading of Keep a Changelog: ``## [1.0.0] - 2026-12-02``.
VERSION_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.M)
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def descriptor() -> dict:
    return json.loads((SHIPPED / "datapackage.json").read_text(encoding="utf-8"))


def citation() -> dict:
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def validate_cff(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with the CFF 1.2.0 schema it ships: nothing is fetched."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.citation-file-format", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_citation_cff_validates_against_the_cff_schema():
    checked = validate_cff(CITATION)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert citation()["cff-version"] == "1.2.0" and citation()["type"] == "dataset"


@pytest.mark.parametrize(
    "change",
    [
        lambda cff: cff.pop("authors"),
        lambda cff: cff.update(type="datasets"),
        lambda cff: cff.update({"date-released": "2 December 2026"}),
        lambda cff: cff.update(license="CC BY 4.0"),  # not an SPDX id
    ],
    ids=["no authors", "unknown type", "date not ISO", "licence not SPDX"],
)
def test_a_broken_citation_cff_fails_the_check(change, tmp_path):
    cff = citation()
    change(cff)
    broken = tmp_path / "CITATION.cff"
    broken.write_text(yaml.safe_dump(cff, allow_unicode=True), encoding="utf-8")
    checked = validate_cff(broken)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Schema validation errors" in checked.stdout + checked.stderr


def test_citation_cff_states_the_descriptors_version_date_authors_and_licence():
    cff, package = citation(), descriptor()
    assert cff["version"] == package["version"]
    assert cff["date-released"] == package["created"][:10]
    assert [a["name"] for a in cff["authors"]] == [c["title"] for c in package["contributors"]]
    assert cff["license"] == package["licenses"][0]["name"] == "CC-BY-4.0"
    assert cff["title"] == package["title"]


def test_the_code_has_its_own_version():
    """pyproject's version is the code's, apart from the dataset's (README and CHANGELOG say so); the code is MIT."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", project["version"])
    assert project["license"] == "MIT"


def test_the_top_version_in_the_changelog_is_the_datasets():
    """A version bump without its changelog entry (or the other way round) fails here."""
    text = CHANGELOG.read_text(encoding="utf-8")
    top = VERSION_HEADING.search(text)
    assert top, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' heading"
    package = descriptor()
    assert top["version"] == package["version"]
    assert top["date"] == package["created"][:10]
    # Each version has its data part and its code part.
    entry = text[top.end() : (VERSION_HEADING.search(text, top.end()) or re.compile(r"\Z").search(text)).start()]
    assert re.search(r"^### Data$", entry, re.M) and re.search(r"^### Code$", entry, re.M)


def test_the_changelog_row_counts_are_the_tables():
    import pandas as pd

    text = CHANGELOG.read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\w+\.csv)`[^|]*\| (\d+) \|$", text, re.M))
    assert table, "no table of rows in CHANGELOG.md"
    for name, rows in table.items():
        assert len(pd.read_csv(SHIPPED / name, dtype=str)) == int(rows), name


def test_licence_files():
    data_licence = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in data_licence
    assert "Section 8 -- Interpretation." in data_licence  # the legal code in full, to its last section
    assert "GeoNames" in data_licence and "Made with Natural Earth" in data_licence
    assert "this project's own words" in data_licence
    code_licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code_licence.startswith("MIT License") and "Copyright (c) 2026 Qantar map contributors" in code_licence
    assert descriptor()["licenses"][0]["path"] == CC_BY


def test_the_shipped_provenance_and_its_citation():
    shipped = provenance(SHIPPED, 254)
    assert (shipped.authors, shipped.released, shipped.licence, shipped.licence_url) == (
        "Qantar map contributors",
        descriptor()["created"][:10],
        "CC BY 4.0",
        CC_BY,
    )
    assert citation_text(shipped) == (
        f"Qantar map contributors ({shipped.released[:4]}). Kazakhstan, January 2022 (Qantar): events, verdicts "
        f"and official figures (version {descriptor()['version']}) [Data set]. Licence: CC BY 4.0."
    )


def own_descriptor(tmp_path: Path, **keys) -> Path:
    """The minimal dataset with a descriptor of its own: the shipped one with ``keys`` set (None removes)."""
    data = copy_dataset(MINIMAL, tmp_path / "data")
    package = descriptor()
    for key, value in keys.items():
        if value is None:
            package.pop(key, None)
        else:
            package[key] = value
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return data


def test_a_descriptor_without_version_date_or_authors_is_cited_without_them(tmp_path):
    bare = provenance(own_descriptor(tmp_path, version=None, created=None, contributors=None), 3)
    assert (bare.version, bare.released, bare.authors) == ("", "", "")
    assert citation_text(bare) == (
        "Kazakhstan, January 2022 (Qantar): events, verdicts and official figures [Data set]. (n.d.). "
        "Licence: CC BY 4.0."
    )
    assert footer_text(bare).startswith("Qantar map · data version not stated · CC BY 4.0 · ")


def test_authors_are_the_contributors_with_the_author_role(tmp_path):
    people = [
        {"title": "Team A", "role": "author"},
        {"title": "Wrangler W", "role": "wrangler"},
        {"title": "Team B", "role": "author"},
    ]
    assert provenance(own_descriptor(tmp_path, contributors=people), 1).authors == "Team A; Team B"
    others = [{"title": "C1", "role": "contributor"}, {"title": "C2"}]
    assert provenance(own_descriptor(tmp_path, contributors=others, created="not a date"), 1).authors == "C1; C2"
    assert provenance(own_descriptor(tmp_path, created="not a date"), 1).released == ""


def test_bibtex_entry():
    shipped = provenance(SHIPPED, 254)
    entry = citation_bibtex(shipped)
    year = shipped.released[:4]
    assert entry.startswith(f"@misc{{qantar_map_contributors_{year},\n")
    assert "  author = {{Qantar map contributors}},\n" in entry  # one group: a team, not a person's name
    assert f"  version = {{{shipped.version}}},\n" in entry and f"  year = {{{year}}},\n" in entry
    assert entry.endswith("\n}")


def test_bibtex_escapes_what_latex_would_read_and_keeps_braces_balanced():
    odd = Provenance(
        title="50% of {cases} & #1_top $x ~y ^z \\end",
        version="2.0.0",
        licence="CC BY 4.0",
        licence_url=CC_BY,
        reports=1,
        authors="Team A; Team B",
        released="2027-01-31",
    )
    entry = citation_bibtex(odd)
    assert (
        r"title = {{50\% of \{cases\} \& \#1\_top \$x \textasciitilde{}y \textasciicircum{}z \textbackslash{}end}}"
        in entry
    )
    assert "author = {{Team A} and {Team B}}" in entry
    unescaped = re.sub(r"\\[{}]", "", entry)
    depth = 0
    for char in unescaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_footer_line_escapes_the_descriptors_text():
    shipped = provenance(SHIPPED, 254)
    assert footer_text(shipped) == (
        f"Qantar map · data v{shipped.version} · CC BY 4.0 · [How to cite](about#how-to-cite)"
    )
    hostile = Provenance("t", "1.0 [x](https://evil.invalid)", "**bold**", "", 0)
    footer = footer_text(hostile)
    assert "[x](" not in footer and "**bold**" not in footer
    assert footer.endswith("· [How to cite](about#how-to-cite)")
