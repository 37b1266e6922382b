"""The shipped record against the stored sources in ``../shared`` (skipped when they are not beside
the clone): every stored page is a source, a sample of facts read from the pages independently of
the data each has its row, and no run of ten words of a page appears anywhere in the project."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.validate import split_list

from testdata import ROOT, SHIPPED

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "sources"
FACTS = Path(__file__).parent / "source_facts.csv"
RUN = 10  # words in a row that would be a copied sentence

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the stored sources are not beside this clone")


def body(path: Path) -> str:
    """A stored page's text without its header lines (url, publisher, …)."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if "\n---\n" in text else text


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SHIPPED)


def stored_pages() -> dict[str, dict[str, str]]:
    """``{"en/x.txt": INDEX row}`` for every stored page."""
    out = {}
    for language in ("en", "ru"):
        with open(CORPUS / language / "INDEX.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                out[f"{language}/{row['file']}"] = row
    return out


def test_every_stored_page_is_a_source_with_its_url(ds):
    by_file = {str(f): row for f, row in zip(ds.sources["file"], ds.sources.itertuples(index=False))}
    missing, wrong_url = [], []
    for file, index_row in stored_pages().items():
        row = by_file.get(f"sources/{file}")
        if row is None:
            missing.append(file)
        elif (index_row["url"] or "").strip() and str(row.url) != index_row["url"].strip():
            wrong_url.append(file)
    assert missing == [] and wrong_url == []


def citing(ds, source_id: str) -> set[str]:
    """The source ids a row may cite for a page: the page itself, and the original it copies."""
    via = ds.sources.set_index("source_id")["via"]
    out = {source_id}
    if source_id in via.index and pd.notna(via[source_id]):
        out.add(str(via[source_id]))
    return out


def cites(cell: object, wanted: set[str]) -> bool:
    return cell is not None and not pd.isna(cell) and bool(set(split_list(str(cell))) & wanted)


def facts() -> list[dict[str, str]]:
    with open(FACTS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def source_of(ds, file: str) -> str:
    where = {str(f): str(s) for f, s in zip(ds.sources["file"], ds.sources["source_id"])}
    key = file if file.startswith("seeds/") else f"sources/{file}"
    assert key in where, f"{file} is not in sources.csv"
    return where[key]


def same_date(value: object, precision: object, stated: str) -> bool:
    """A stated ``YYYY-MM-DD`` or ``YYYY-MM`` agrees with a date of the data at its precision."""
    if not stated:
        return True
    if value is None or pd.isna(value):
        return False
    day = pd.Timestamp(value)
    if len(stated) == 7 or str(precision) == "month":
        return day.strftime("%Y-%m") == stated[:7]
    return day.strftime("%Y-%m-%d") == stated


def within(low: object, high: object, disputed: object, months: int) -> bool:
    """``months`` lies in ``low..high``, or is a value ``disputed`` records."""
    inside = pd.notna(low) and pd.notna(high) and int(low) <= months <= int(high)
    return inside or (pd.notna(disputed) and f": {months} (" in str(disputed))


def decision_matches(ds, fact: dict[str, str], sources: set[str]) -> bool:
    """A decision of that date, instance and court city citing the page; with a person, one of
    its people by that name (and that sentence); without, the decision's own range."""
    decisions = ds.convictions.set_index("case_id", drop=False)
    if fact["person"]:
        people = ds.defendants
        names = people["name"].fillna("").str.casefold() + " " + people["person_id"].str.casefold()
        people = people[names.str.contains(fact["person"].casefold(), regex=False).to_numpy()]
        candidates = [(decisions.loc[row.case_id], row) for row in people.itertuples(index=False)]
    else:
        candidates = [(decision, None) for _, decision in decisions.iterrows()]
    for decision, person in candidates:
        if not same_date(decision["verdict_date"], decision["date_precision"], fact["date"]):
            continue
        if fact["instance"] and str(decision["instance"]) != fact["instance"]:
            continue
        if fact["city"] and str(decision["location_id"]) != fact["city"]:
            continue
        if fact["sentence_months"]:
            terms = person._asdict() if person is not None else decision
            if not within(
                terms["sentence_months_min"],
                terms["sentence_months_max"],
                terms["disputed"],
                int(fact["sentence_months"]),
            ):
                continue
        if cites(decision["source_ids"], sources) or (person is not None and cites(person.source_ids, sources)):
            return True
    return False


def figure_matches(ds, fact: dict[str, str], sources: set[str]) -> bool:
    stats = ds.official_stats
    value = float(fact["value"])
    for row in stats.itertuples(index=False):
        disputed = str(row.disputed) if pd.notna(row.disputed) else ""
        if row.value != value and f": {fact['value']} (" not in disputed and f": {int(value):,} (" not in disputed:
            continue
        if cites(row.source_ids, sources):
            return True
    return False


def event_matches(ds, fact: dict[str, str], sources: set[str]) -> bool:
    for row in ds.events.itertuples(index=False):
        spans = pd.notna(row.date_end) and row.date_start <= pd.Timestamp(fact["date"][:10]) <= row.date_end
        if not same_date(row.date_start, row.date_precision, fact["date"]) and not spans:
            continue
        if fact["city"] and str(row.location_id) != fact["city"]:
            continue
        if cites(row.source_ids, sources):
            return True
    return False


def test_the_fact_sample_is_large_and_each_anchor_is_in_its_page():
    sample = facts()
    kinds = pd.Series([f["kind"] for f in sample]).value_counts()
    assert len(sample) >= 40 and kinds.get("decision", 0) >= 20 and kinds.get("figure", 0) >= 10
    for fact in sample:
        page = SHARED / fact["file"] if fact["file"].startswith("seeds/") else CORPUS / fact["file"]
        assert fact["anchor"] in page.read_text(encoding="utf-8"), fact


@pytest.mark.parametrize(
    "fact", facts() if FACTS.exists() else [], ids=lambda f: f"{f['kind']}:{f['file']}:{f['anchor']}"
)
def test_each_sampled_fact_has_its_row(ds, fact):
    sources = citing(ds, source_of(ds, fact["file"]))
    match = {"decision": decision_matches, "figure": figure_matches, "event": event_matches}[fact["kind"]]
    assert match(ds, fact, sources), fact


def project_texts() -> dict[str, list[str]]:
    """Every text the project ships (tracked files), as the cells or the whole text that a reader
    reads: sources.csv without its title and url columns (citations, not prose)."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    out: dict[str, list[str]] = {}
    for name in listed:
        path = ROOT / name
        if path.suffix not in {".csv", ".py", ".md", ".json", ".toml", ".txt", ".cff", ".po"} or not path.is_file():
            continue
        if path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.name == "sources.csv" and path.parent == SHIPPED:
            with open(path, encoding="utf-8", newline="") as fh:
                out[name] = [v for row in csv.DictReader(fh) for k, v in row.items() if k not in ("title", "url") and v]
        else:
            out[name] = [text]
    return out


def test_no_ten_word_run_of_a_stored_page_appears_in_the_project():
    runs = set()
    for page in CORPUS.rglob("*.txt"):
        w = words(body(page))
        runs.update(hash(tuple(w[i : i + RUN])) for i in range(len(w) - RUN + 1))
    copied = []
    for name, cells in project_texts().items():
        for cell in cells:
            w = words(cell)
            copied += [
                (name, " ".join(w[i : i + RUN])) for i in range(len(w) - RUN + 1) if hash(tuple(w[i : i + RUN])) in runs
            ]
    assert copied == []


#: Charges a decision's row can name, with the words (English, Russian) a page naming them uses.
CHARGE_WORDS = {
    "weapon": r"weapon|firearm|arms|оруж",
    "kidnap": r"kidnap|abduct|hostage|похищ|заложник|лишени\w* свободы",
    "torture": r"tortur|пыт",
    "treason": r"treason|измен",
}


@pytest.mark.parametrize("charge", sorted(CHARGE_WORDS))
def test_a_charge_a_decision_names_is_in_a_page_it_cites(ds, charge):
    """Every fact in a row is in a page the row cites: a decision whose charges name a weapon,
    a kidnapping, torture or treason cites at least one page that names it too."""
    pattern = re.compile(CHARGE_WORDS[charge], re.IGNORECASE)
    files = dict(zip(ds.sources["source_id"], ds.sources["file"]))
    missing = []
    for case_id, charges, cited in zip(
        ds.convictions["case_id"], ds.convictions["charges"], ds.convictions["source_ids"]
    ):
        if pd.isna(charges) or not pattern.search(str(charges)):
            continue
        pages = [SHARED / str(files[s]) for s in split_list(str(cited)) if s in files and not pd.isna(files[s])]
        if not any(p.is_file() and pattern.search(body(p)) for p in pages):
            missing.append(case_id)
    assert not missing, f"charges naming {charge!r} that no cited page names: {missing}"


def cited_bodies(files: dict, cited: object) -> dict[str, str]:
    """The stored text of each page a row cites, by source id."""
    out = {}
    for s in split_list(str(cited)):
        path = SHARED / str(files.get(s)) if pd.notna(files.get(s)) else None
        if path is not None and path.is_file():
            out[s] = body(path)
    return out


def test_every_article_a_decision_cites_is_named_in_a_page_it_cites(ds):
    """A code_articles item is no inference from the charge's words: a page the row cites gives
    the article's number (``272`` in ``ч.2 ст. 272``, ``Article 272, Part 2``)."""
    files = dict(zip(ds.sources["source_id"], ds.sources["file"]))
    checked, missing = 0, []
    for case_id, refs, cited in zip(
        ds.convictions["case_id"], ds.convictions["code_articles"], ds.convictions["source_ids"]
    ):
        if pd.isna(refs):
            continue
        pages = cited_bodies(files, cited).values()
        for ref in split_list(str(refs)):
            number = re.compile(rf"(?<!\d){re.escape(ref.partition('-')[0])}(?!\d)")
            checked += 1
            if not any(number.search(page) for page in pages):
                missing.append(f"{case_id}: {ref}")
    assert checked >= 20
    assert missing == []


def stems(text: str) -> list[str]:
    """A wording's words cut to five letters (ё read as е): a page may inflect them (в участии)."""
    return [w[:5] for w in words(text.replace("ё", "е"))]


def test_a_charge_wording_marked_quoted_is_in_a_page_its_row_cites(ds):
    """Each item of a quoted charges_ru or charges_kk (items separated by '; ') has all its words,
    in some inflection, in one page the row cites."""
    files = dict(zip(ds.sources["source_id"], ds.sources["file"]))
    checked, missing = 0, []
    for row in ds.convictions.itertuples():
        for column in ("charges_ru", "charges_kk"):
            if getattr(row, f"{column}_source") != "quoted":
                continue
            pages = [page.casefold().replace("ё", "е") for page in cited_bodies(files, row.source_ids).values()]
            for item in str(getattr(row, column)).split("; "):
                checked += 1
                if not any(all(stem in page for stem in stems(item)) for page in pages):
                    missing.append(f"{row.case_id} {column}: {item}")
    assert checked >= 8
    assert missing == []
