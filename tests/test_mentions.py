"""``mentions``: whole-word place mentions in synthetic articles (tests/fixtures/geocode/articles)."""

import csv
import io
from pathlib import Path

import pytest

from geo.places.geocode import ProjectLocations
from geo.places.mentions import COLUMNS, CONTEXT_COLUMN, MentionsError, find_cues, find_mentions, scan_article

from fake_nominatim import no_network, run_geo  # noqa: F401 -- fixture

pytestmark = pytest.mark.usefixtures("no_network")

FIXTURES = Path(__file__).parent / "fixtures" / "geocode"
ARTICLES = FIXTURES / "articles"
DATA = FIXTURES / "data"
ALPHA = (ARTICLES / "alpha.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scan():
    return find_mentions([ARTICLES], data_dir=DATA)


def by_key(scan):
    return {(m.file, m.location_id): m for m in scan.mentions}


def test_every_spelling_is_counted_once_per_occurrence(scan):
    got = {(f, loc): m.count for (f, loc), m in by_key(scan).items()}
    assert got == {
        # Alma-Ata, ALMATY, "city of Almaty"
        ("alpha.txt", "almaty"): 3,
        # "Ust Kamenogorsk", "Ust'-Kamenogorsk"
        ("alpha.txt", "ust-kamenogorsk"): 2,
        # "Nur-Sultan"; "Nursultan Nazarbayev" is a person
        ("alpha.txt", "astana"): 1,
        # the city; not "moral"
        ("alpha.txt", "oral"): 1,
        # Cyrillic and Kazakh spellings; "Ақтөбе" = "Актобе"
        ("ru/beta.txt", "almaty"): 1,
        ("ru/beta.txt", "ust-kamenogorsk"): 1,
        ("ru/beta.txt", "aktobe"): 2,
    }


def test_first_offset_points_at_the_first_spelling(scan):
    m = by_key(scan)
    assert m["alpha.txt", "almaty"].first_offset == ALPHA.index("Alma-Ata")
    assert m["alpha.txt", "ust-kamenogorsk"].first_offset == ALPHA.index("Ust Kamenogorsk")
    assert m["alpha.txt", "astana"].first_offset == ALPHA.index("Nur-Sultan")
    assert m["alpha.txt", "oral"].first_offset == ALPHA.index("city of Oral") + len("city of ")
    assert "Alma-Ata" in m["alpha.txt", "almaty"].context and len(m["alpha.txt", "almaty"].context) <= 40 * 2 + 8


def test_source_ids_come_from_sources_csv(scan):
    # sources.csv names files by base name, so ru/beta.txt still finds its source
    assert {m.file: m.source_id for m in scan.mentions} == {"alpha.txt": "fx-alpha", "ru/beta.txt": "fx-beta"}
    assert scan.files == ["alpha.txt", "gamma.txt", "ru/beta.txt"]  # gamma names nothing: no rows


def test_whole_words_only():
    locations = ProjectLocations.from_data_dir(DATA)
    text = "A moral tale, a coral reef, an oral exam in Oralbay; then ORAL."
    mentions, _ = scan_article(text, "t.txt", None, [locations])
    [m] = mentions
    assert (m.location_id, m.count, m.first_offset) == ("oral", 2, text.index("oral exam"))


def test_multiword_names_do_not_cross_punctuation():
    locations = ProjectLocations.from_data_dir(DATA)
    mentions, _ = scan_article("It was a must. Kamenogorsk? No: Nur. Sultan.", "t.txt", None, [locations])
    assert mentions == []


def test_candidates_are_unknown_capitalised_names_after_cues(scan):
    got = {(c.file, c.candidate, c.cue, c.suggestion) for c in scan.candidates}
    assert got == {
        ("alpha.txt", "Taraz", "court in", "geonames:1516905 Taraz"),  # gazetteer suggests it
        ("alpha.txt", "Kaskelen", "town of", ""),  # nowhere offline
        ("ru/beta.txt", "Талгар", "г.", "geonames:1518518 Talghar"),
    }
    taraz = next(c for c in scan.candidates if c.candidate == "Taraz")
    assert (taraz.first_offset, taraz.source_id, taraz.count) == (ALPHA.index("Taraz"), "fx-alpha", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a court in Kyzylorda heard", [("Kyzylorda", "court in")]),
        ("In the city of Semey's old quarter", [("Semey", "city of")]),
        ("the town of Esik Bay was quiet", [("Esik Bay", "town of")]),
        ("the northern province of Kostanay", [("Kostanay", "province of")]),
        ("a court in the capital, Astana", []),  # lower-case after the cue: not a name
        ("a court in Kazakhstan", []),  # a country is not a place to map
        ("in Taraz", []),  # "in X" alone is too broad to be a cue
    ],
)
def test_cues(text, expected):
    assert [(name, cue) for _, name, cue in find_cues(text)] == expected


def test_gazetteer_names_only_on_request(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Miners marched in Karaganda and Temirtau.", encoding="utf-8")
    assert find_mentions([article], data_dir=DATA).mentions == []
    got = {m.location_id for m in find_mentions([article], data_dir=DATA, gazetteer=True).mentions}
    assert got == {"geonames:609655", "geonames:1518262"}


def test_unreadable_input_is_a_clear_error(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Öskemen".encode("latin-1"))
    with pytest.raises(MentionsError, match=r"latin1\.txt: not UTF-8 text"):
        find_mentions([tmp_path], data_dir=DATA)
    with pytest.raises(MentionsError, match="no such file or folder"):
        find_mentions([tmp_path / "missing"], data_dir=DATA)


# --- CLI -------------------------------------------------------------------------------------------


def test_cli_output_file_has_no_article_text_unless_asked(tmp_path):
    out = tmp_path / "mentions.csv"
    proc = run_geo("mentions", str(ARTICLES), "--data-dir", str(DATA), "--output", str(out), offline=True)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0] == {
        "source_id": "fx-alpha",
        "file": "alpha.txt",
        "location_id": "almaty",
        "count": "3",
        "first_offset": str(ALPHA.index("Alma-Ata")),
    }
    assert "candidate: 'Taraz' in alpha.txt" in proc.stderr

    proc = run_geo(
        "mentions",
        str(ARTICLES),
        "--data-dir",
        str(DATA),
        "--output",
        str(out),
        "--with-context",
        "--candidates",
        str(tmp_path / "candidates.csv"),
        "--quiet",
        offline=True,
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert tuple(next(csv.DictReader(out.open(encoding="utf-8"))))[-1] == CONTEXT_COLUMN
    assert len(list(csv.DictReader((tmp_path / "candidates.csv").open(encoding="utf-8")))) == 3


def test_cli_prints_the_table_with_context_to_stdout():
    proc = run_geo("mentions", str(ARTICLES / "ru"), "--data-dir", str(DATA), "--quiet", offline=True)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["file"], r["location_id"]) for r in rows] == [
        ("beta.txt", "almaty"),
        ("beta.txt", "ust-kamenogorsk"),
        ("beta.txt", "aktobe"),
    ]
    assert rows[1]["context"].startswith("Митинг в Алматы")


def test_cli_error_is_one_line(tmp_path):
    proc = run_geo("mentions", str(tmp_path / "missing"), offline=True)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and proc.stderr.startswith("error:")
