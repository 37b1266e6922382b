"""The dashboard on other data: ``$GEO_DATA_DIR`` is honoured, data with errors and no earlier
version that validated gives a message of fixed wording (the problems go to the server's log; never
a traceback or a path), and hostile text is shown, never run. A broken edit of data that validated
before: tests/test_app_last_good.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo.views import notes

from apptest_support import (  # noqa: F401 -- server_log is a fixture
    PAGES,
    data_unavailable,
    deck_json,
    description,
    layer,
    open_page,
    page_text,
    server_log,
    switch_page,
    table,
)
from testdata import SAMPLE

HOSTILE_NAME = '<img src=x onerror="alert(1)">'
HOSTILE_SUMMARY = "<script>alert('x')</script> =HYPERLINK(\"http://evil\")"


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, target / f.name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def broken(tmp_path, monkeypatch) -> Path:
    directory = data_copy(tmp_path)
    # Line 3 of convictions.csv is the Aktobe verdict: 3 defendants becomes "three".
    edit(
        directory / "convictions.csv",
        "aktobe,city,,first,,convicted,unknown,3,",
        "aktobe,city,,first,,convicted,unknown,three,",
    )
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    return directory


@pytest.mark.parametrize("page", PAGES)
def test_data_with_errors_says_it_cannot_be_shown_without_a_path_or_a_traceback(broken, page):
    at = open_page(page)
    assert not at.exception
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE  # and no page content on broken data
    shown = page_text(at)
    assert str(broken) not in shown  # no server path reaches the reader
    assert "three" not in shown and "Traceback" not in shown  # nor the problem, nor a traceback


def test_broken_quoting_goes_to_the_server_log_with_its_line(tmp_path, monkeypatch, server_log):
    directory = data_copy(tmp_path)
    edit(directory / "events.csv", "ev-2022-01-05-shymkent,2022-01-05", 'ev-2022-01-05-shymkent,"2022-01-05')
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = open_page("pages/map.py")
    assert not at.exception
    assert data_unavailable(at) == notes.DATA_UNAVAILABLE
    logged = "\n".join(server_log)
    assert f"data in {directory} does not validate" in logged
    assert any(line.startswith("events.csv:") and "broken CSV quoting" in line for line in logged.splitlines())


def test_geo_data_dir_is_honoured(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    lines = (directory / "convictions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (directory / "convictions.csv").write_text("".join(lines[:3]), encoding="utf-8")  # header + 2 verdicts
    (directory / "defendants.csv").unlink()  # it names people of the decisions cut
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = open_page("pages/cases.py")
    assert description(at).endswith("2 court decisions, 4 people (4 convicted)")
    assert table(at)["Case"].tolist() == ["cv-2022-06-24-kostanay", "cv-2022-07-07-aktobe"]


@pytest.fixture
def hostile(tmp_path, monkeypatch) -> Path:
    directory = data_copy(tmp_path)
    edit(directory / "locations.csv", "almaty,Almaty,", f'almaty,"{HOSTILE_NAME.replace(chr(34), chr(34) * 2)}",')
    summary = HOSTILE_SUMMARY.replace('"', '""')
    edit(directory / "convictions.csv", '"A father of two received', f'"{summary} A father of two received')
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    return directory


def test_hostile_text_is_shown_as_text(hostile):
    at = open_page("pages/map.py", {"city": [f"{HOSTILE_NAME} · Алматы"]})
    assert not at.exception
    # The line under the title is plain text (st.text), so the name shows as typed.
    assert description(at).startswith(HOSTILE_NAME)
    spec = deck_json(at)
    cities = layer(spec, "places")["data"]  # the pick areas carry what a tooltip shows
    assert cities[0]["tooltip"].startswith(HOSTILE_NAME)
    # deck.gl's text tooltips are set with innerText: nothing in them is parsed as HTML.
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert set(tooltip) == {"text", "style"}
    # No Markdown element carries the data's markup.
    assert not any("<img" in m.value or "<script" in m.value for m in at.markdown)

    switch_page(at, "pages/cases.py").run()
    assert not at.exception
    assert at.selectbox(key="tab").options[1] == HOSTILE_NAME  # a selectbox option is plain text
    summaries = table(at)["Summary"].tolist()
    assert summaries[0].startswith("<script>")  # in a table cell, which renders text only


def test_article_mentions_layer_and_column_when_mentions_csv_exists(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    (directory / "mentions.csv").write_text(
        "source_id,file,location_id,count,first_offset\n"
        "src-003,003_427affaf1f501d04.txt,almaty,4,120\n"
        "src-003,003_427affaf1f501d04.txt,shymkent,2,900\n"
        "src-004,004_b3cc1365dc08e553.txt,almaty,1,50\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GEO_DATA_DIR", str(directory))
    at = open_page("pages/map.py")
    assert layer(deck_json(at), "mentions") is None  # off until asked for
    at.toggle(key="show_mentions").set_value(True).run()
    rows = {r["location_id"]: r for r in layer(deck_json(at), "mentions")["data"]}
    assert set(rows) == {"almaty", "shymkent"}
    tips = {r["location_id"]: r["tooltip"] for r in layer(deck_json(at), "places")["data"]}
    assert "5 mentions in 2 articles" in tips["almaty"].split("\n")
    assert "Article mentions" in " ".join(m.value for m in at.markdown)

    switch_page(at, "pages/sources.py").run()
    mentioned = table(at).set_index("Source")["Cities mentioned"]
    assert list(mentioned["src-003"]) == ["Almaty · Алматы (4)", "Shymkent · Шымкент (2)"]
    assert list(mentioned["src-000"]) == []
