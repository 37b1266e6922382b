"""`python -m geo validate` and the loader report every problem as file:line:column."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from geo.data.dataset import DataError, load_dataset
from geo.data.validate import validate_dir

from testdata import BROKEN, MINIMAL, SHIPPED, copy_dataset

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def expected_lines(case: str) -> list[str]:
    lines = [line for line in (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    assert lines, f"{case}/expected.txt lists nothing to check"
    return lines


def broken_dir(case: str, tmp_path: Path) -> Path:
    return copy_dataset(MINIMAL, tmp_path / case, overlay=BROKEN / case)


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_there_are_at_least_fifteen_kinds_of_broken_data():
    assert len(CASES) >= 15


def test_the_baseline_the_broken_cases_start_from_is_valid():
    report = validate_dir(MINIMAL)
    assert report.problems == []


def test_shipped_data_is_valid():
    report = validate_dir(SHIPPED)
    assert report.ok, str(report)
    assert report.warnings == [], str(report)


@pytest.mark.parametrize("case", CASES)
def test_validator_reports_each_broken_case_at_its_place(case, tmp_path):
    directory = broken_dir(case, tmp_path)
    before = digest(directory)
    report = validate_dir(directory)
    lines = str(report).splitlines()
    assert not report.ok
    for expected in expected_lines(case):
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{report}"
    assert digest(directory) == before, "validation must not touch the data files"


@pytest.mark.parametrize("case", CASES)
def test_loader_raises_one_error_type_carrying_the_same_report(case, tmp_path):
    directory = broken_dir(case, tmp_path)
    with pytest.raises(DataError) as caught:
        load_dataset(directory)
    assert [str(p) for p in caught.value.report.sorted()] == [str(p) for p in validate_dir(directory).sorted()]


def run_cli(*args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.pop("GEO_DATA_DIR", None)
    if env_dir is not None:
        env["GEO_DATA_DIR"] = str(env_dir)
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_passes_on_shipped_data():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


@pytest.mark.parametrize("case", ["windows_1251"])  # the in-process tests above check every case
def test_cli_fails_with_file_line_column(case, tmp_path):
    directory = broken_dir(case, tmp_path)
    result = run_cli("validate", "--data-dir", str(directory))
    assert result.returncode == 1
    for expected in expected_lines(case):
        assert expected in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_takes_the_directory_from_geo_data_dir(tmp_path):
    directory = broken_dir("duplicate_id", tmp_path)
    result = run_cli("validate", env_dir=directory)
    assert result.returncode == 1
    assert expected_lines("duplicate_id")[0] in result.stdout


def test_several_problems_are_all_reported_not_just_the_first(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "many")
    conv = directory / "convictions.csv"
    text = conv.read_text(encoding="utf-8")
    text = text.replace("2022-07-15,day,shymkent", "2022-02-30,day,atlantis").replace(
        ",imprisonment,216,216", ",jail,216,2"
    )
    conv.write_text(text, encoding="utf-8")
    report = validate_dir(directory)
    messages = str(report)
    assert "convictions.csv:2:verdict_date: impossible date" in messages
    assert "convictions.csv:2:location_id: unknown location_id 'atlantis'" in messages
    assert "convictions.csv:3:sentence_type: 'jail' is not one of" in messages
    assert "convictions.csv:3:sentence_months_min: 216 is greater than sentence_months_max 2" in messages
    assert len(report.errors) == 4


def test_line_numbers_count_physical_lines_across_quoted_newlines(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "multiline")
    conv = directory / "convictions.csv"
    text = conv.read_text(encoding="utf-8").replace("Three people jailed.", '"Three people\njailed."')
    text = text.replace("cv-b,2023-04-01", "cv-b,2023-13-01")
    conv.write_text(text, encoding="utf-8")
    report = validate_dir(directory)
    # the first data row spans lines 2-3, so the second one starts on line 4
    assert [str(p) for p in report.errors] == ["convictions.csv:4:verdict_date: impossible date '2023-13-01'"]


def test_bom_is_a_warning_and_the_table_still_loads(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "bom")
    path = directory / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    dataset = load_dataset(directory)
    assert list(dataset.sources["source_id"]) == ["src-a"]
    assert [str(p) for p in dataset.report.warnings] == [
        "sources.csv:1: warning: starts with a byte order mark (BOM); it was ignored"
    ]
