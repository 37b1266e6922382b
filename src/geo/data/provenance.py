"""Where a dataset comes from, as every download, map image and page footer states it: the
Data Package's title, version, licence, authors and release date, and how many news reports its
rows cite."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.data import safe_files
from geo.data.paths import SHIPPED_DATA_DIR

DESCRIPTOR = "datapackage.json"
#: The date a ``created`` timestamp starts with (RFC 3339, as the Data Package standard asks).
RELEASED = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|T)")


@dataclass(frozen=True)
class Provenance:
    title: str
    version: str  # "" when the descriptor states none
    licence: str  # the licence's title, else its name ("" when none is stated)
    licence_url: str
    reports: int  # news reports (rows of sources.csv) the dataset cites
    authors: str = ""  # the contributors whose role is author (else every contributor), joined by "; "
    released: str = ""  # YYYY-MM-DD, the date part of the descriptor's ``created`` ("" when none)


def descriptor_of(data_dir: Path) -> dict:
    """The package-level keys of ``data_dir``'s descriptor (its own, else the shipped one). Called
    on a dataset that loaded, so the descriptor has validated."""
    own = Path(data_dir) / DESCRIPTOR
    if own.exists() or own.is_symlink():
        raw = safe_files.read_inside(data_dir, DESCRIPTOR, safe_files.MAX_DESCRIPTOR_BYTES)
    else:
        raw = safe_files.read_regular(SHIPPED_DATA_DIR / DESCRIPTOR, safe_files.MAX_DESCRIPTOR_BYTES)
    return json.loads(raw)


def package_keys(descriptor: Mapping) -> dict:
    """A descriptor without its resources: what a dataset keeps of it (title, version, licences …)."""
    return {key: value for key, value in descriptor.items() if key != "resources"}


def provenance(data_dir: Path, reports: int) -> Provenance:
    return provenance_of(descriptor_of(data_dir), reports)


def provenance_of(package: Mapping, reports: int) -> Provenance:
    """From the package-level keys a dataset kept when it validated (``Dataset.package``): while
    an update is pending, the descriptor on disk may already describe another version."""
    licences = package.get("licenses") or [{}]
    first = licences[0] if isinstance(licences[0], dict) else {}
    contributors = [c for c in package.get("contributors") or [] if isinstance(c, dict) and c.get("title")]
    authors = [c for c in contributors if c.get("role") == "author"] or contributors
    created = str(package.get("created") or "")
    return Provenance(
        title=str(package.get("title") or package.get("name") or ""),
        version=str(package.get("version") or ""),
        licence=str(first.get("title") or first.get("name") or ""),
        licence_url=str(first.get("path") or ""),
        reports=reports,
        authors="; ".join(str(c["title"]) for c in authors),
        released=created[:10] if RELEASED.match(created) else "",
    )
