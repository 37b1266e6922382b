"""``geo mentions`` on hostile article folders: memory bounded by the scan window whatever a file
holds, named pipes and links to devices skipped (never a hang), the windowed scan equal to a scan
of the whole text."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.places import mentions
from geo.places.geocode import ProjectLocations

from robustness_report import record

FIXTURES = Path(__file__).parent / "fixtures" / "geocode"
ARTICLES = FIXTURES / "articles"
DATA = FIXTURES / "data"
TWENTY_MB = 20 * 2**20

# VmHWM (peak_mib), not getrusage's ru_maxrss: Linux carries ru_maxrss over an exec, so a child
# would report the forking pytest process's own peak.
CHILD = """
import json, sys, time
from geo.bench.memory import peak_mib
from geo.places.mentions import find_mentions
t = time.perf_counter()
scan = find_mentions(sys.argv[1:-1], data_dir=sys.argv[-1])
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_rss_mib": peak_mib(),
                  "mentions": [[m.file, m.location_id, m.count, m.first_offset] for m in scan.mentions],
                  "candidates": len(scan.candidates), "skipped": scan.skipped}))
"""


def scan_in_child(*paths: Path, timeout: float = 300) -> dict:
    """Scan in a fresh process: its peak memory is the scan's (and the imports') alone."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths), str(DATA)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
def test_a_20_mb_article_without_spaces_scans_in_bounded_memory(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("Protests in Almaty.", encoding="utf-8")
    baseline = scan_in_child(small)

    one_word = tmp_path / "one_word"
    one_word.mkdir()
    letters = random.Random(3).choices("abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюя", k=TWENTY_MB // 2)
    (one_word / "a.txt").write_text("Almaty " + "".join(letters) + " Almaty", encoding="utf-8")
    del letters
    word = scan_in_child(one_word)
    assert word["mentions"] == [["a.txt", "almaty", 2, 0]]

    many = tmp_path / "many"
    many.mkdir()
    unit = "Almaty,Aktobe;"
    (many / "a.txt").write_text(unit * (TWENTY_MB // len(unit)), encoding="utf-8")
    commas = scan_in_child(many)
    n = TWENTY_MB // len(unit)
    assert sorted(commas["mentions"]) == [["a.txt", "aktobe", n, len("Almaty,")], ["a.txt", "almaty", n, 0]]

    for result in (word, commas):
        assert result["peak_rss_mib"] - baseline["peak_rss_mib"] < 300, (baseline, result)
    record(
        "mentions_memory",
        file_mib=20,
        baseline_peak_rss_mib=round(baseline["peak_rss_mib"]),
        one_word_peak_rss_mib=round(word["peak_rss_mib"]),
        one_word_seconds=round(word["seconds"], 1),
        tokens_without_spaces_peak_rss_mib=round(commas["peak_rss_mib"]),
        tokens_without_spaces_seconds=round(commas["seconds"], 1),
        tokens_without_spaces_mentions=2 * n,
        window_chars=mentions.WINDOW_CHARS,
        max_word_chars=mentions.MAX_WORD_CHARS,
    )


def test_pipes_and_links_to_devices_in_a_folder_are_skipped_not_read(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Lawyers in Almaty.", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to(folder / "nothing.txt")
    (folder / "loop").symlink_to(folder)  # a link back up: never walked
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "mentions", str(folder), "--data-dir", str(DATA)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "skipped: pipe.txt: is a named pipe (FIFO), not a file" in proc.stderr
    assert "skipped: zero.txt: is a device, not a file" in proc.stderr
    assert "skipped: gone.txt: is a link to nothing" in proc.stderr
    assert proc.stdout.splitlines()[1].startswith(",ok.txt,almaty,1,")
    record(
        "mentions_special_files",
        skipped=["FIFO", "link to /dev/zero", "dangling link"],
        link_loop="not followed",
        seconds=round(seconds, 2),
    )


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_a_pipe_or_device_named_on_the_command_line_is_one_error_line(tmp_path, kind):
    path = tmp_path / "a.txt"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "mentions", str(path), "--data-dir", str(DATA)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error:") and proc.stderr.count("\n") == 1, proc.stderr
    assert "not a file" in proc.stderr


def test_a_pipe_as_sources_csv_is_an_error_not_a_hang(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "locations.csv").write_bytes((DATA / "locations.csv").read_bytes())
    os.mkfifo(data / "sources.csv")
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "mentions", str(ARTICLES), "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "sources.csv: is a named pipe (FIFO), not a file" in proc.stderr, proc.stderr


def test_the_windowed_scan_finds_exactly_what_a_scan_of_the_whole_text_finds():
    locations = ProjectLocations.from_data_dir(DATA)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.rglob("*.txt"))) * 3
    text += " " + "x" * 5000 + "Almaty " + "Oral" * 2000 + " Oral"  # overlong words around names
    whole = mentions.scan_pieces([text], "t.txt", None, [locations], window_chars=10**9)
    assert whole[0]
    for window in (1, 7, 50, 333, 1000):
        rng = random.Random(window)
        pieces, i = [], 0
        while i < len(text):
            n = rng.randint(1, 400)
            pieces.append(text[i : i + n])
            i += n
        got = mentions.scan_pieces(pieces, "t.txt", None, [locations], window_chars=window, overlap_chars=300)
        assert got == whole, window


def test_words_longer_than_any_name_are_never_folded():
    from geo.places.names import tokens

    assert [t.word for t in tokens("Almaty " + "a" * 101 + " Oral", max_word=100)] == ["almaty", "oral"]
