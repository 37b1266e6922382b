"""Charges in the reader's language where a decision cites no Criminal Code article: convictions.csv's
``charges_ru`` and ``charges_kk``, quoted from a page or marked as the dataset's translation
(docs/data-i18n.md)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.query.view import DatasetIndex
from geo.views import case_tables
from geo.views.charge_wording import worded_charges

from testdata import SAMPLE, SHIPPED

LATIN = re.compile(r"[A-Za-z]")
CHARGES_LINE = {"ru": "- Обвинения: ", "kk": "- Айыптар: "}


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED)


@pytest.fixture(scope="module")
def sample():
    return load_dataset(SAMPLE)


def charges_line(markdown: str, lang: str) -> str:
    lines = [line for line in markdown.splitlines() if line.startswith(CHARGES_LINE[lang])]
    assert len(lines) == 1, markdown
    return lines[0]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_shipped_decisions_charges_are_in_the_readers_language(shipped, lang):
    """The Cases table, a download and a decision's details name no charge in English on a Russian
    or Kazakh page: every decision has articles or its own wording of the charges."""
    frame = shipped.convictions
    table = case_tables.cases_table(frame, shipped.locations, shipped.sources, lang=lang)
    in_file = case_tables.cases_table(frame, shipped.locations, shipped.sources, for_file=True, lang=lang)
    details = {
        row.case_id: charges_line(case_tables.decision_markdown(row, shipped.locations, shipped.sources, lang), lang)
        for row in frame.itertuples()
    }
    assert len(table) == len(details) >= 35
    english = {
        case: cell
        for case, cell in [*zip(table["Case"], table["Charges"]), *zip(in_file["Case"], in_file["Charges"])]
        if LATIN.search(cell)
    }
    english.update({case: line for case, line in details.items() if LATIN.search(line)})
    assert english == {}


def with_wording(ds, case_id: str, ru: str, origin: str) -> pd.DataFrame:
    frame = ds.convictions[(ds.convictions["case_id"] == case_id).to_numpy()]
    return frame.assign(charges_ru=pd.array([ru], dtype="string"), charges_ru_source=pd.array([origin], dtype="string"))


def test_a_translated_wording_says_so_on_the_details_and_keeps_the_english(sample):
    frame = with_wording(sample, "cv-2022-06-24-kostanay", "Распространение ложной информации", "translated")
    text = case_tables.decision_markdown(next(frame.itertuples()), sample.locations, sample.sources, "ru")
    assert "- Обвинения: Распространение ложной информации \\(перевод составителей, не из источника\\)\n" in text, text
    assert "- Обвинения в формулировке источников (по-английски): Spreading false information\n" in text
    # the table cell, as the court's name there, carries the words without the mark
    table = case_tables.cases_table(frame, sample.locations, sample.sources, lang="ru")
    assert table["Charges"].tolist() == ["Распространение ложной информации"]


def test_a_quoted_wording_is_shown_without_the_mark(sample):
    frame = with_wording(sample, "cv-2022-06-24-kostanay", "Распространение ложной информации", "quoted")
    text = case_tables.decision_markdown(next(frame.itertuples()), sample.locations, sample.sources, "ru")
    assert "- Обвинения: Распространение ложной информации\n" in text


def test_english_and_a_language_without_a_wording_read_the_sources_english(sample):
    frame = with_wording(sample, "cv-2022-06-24-kostanay", "Распространение ложной информации", "translated")
    row = next(frame.itertuples())
    for lang in ("en", "kk"):
        text = case_tables.decision_markdown(row, sample.locations, sample.sources, lang)
        assert f"{CHARGES_LINE.get(lang, '- Charges: ')}Spreading false information\n" in text, lang
    # an English page states the English wording once, as the charges themselves
    english = case_tables.decision_markdown(row, sample.locations, sample.sources, "en")
    assert "as the sources word them" not in english
    assert worded_charges(None, None, None, "ru") == []
    assert worded_charges("Treason", pd.NA, pd.NA, "ru") == ["Treason"]


def test_a_download_gives_the_wording_in_the_readers_language_beside_the_stored_columns(sample):
    import csv
    import io

    from geo.views import export

    frame = with_wording(sample, "cv-2022-06-24-kostanay", "Распространение ложной информации", "translated")
    data = export.convictions_file("csv", frame, sample.locations, sample.sources, lang="ru")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    cells = dict(zip(header, row))
    assert cells["Обвинения по статьям"] == "Распространение ложной информации"
    assert (cells["charges"], cells["charges_ru"], cells["charges_ru_source"]) == (
        "Spreading false information",
        "Распространение ложной информации",
        "translated",
    )


def test_a_search_finds_a_decision_by_its_kazakh_charges(shipped):
    view = DatasetIndex.build(shipped).view()
    found = view.rows(view.searching("мемлекеттік опасыздық"))
    assert found["case_id"].tolist() == ["cv-2023-04-24-masimov"]
