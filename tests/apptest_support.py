"""Shared pieces of the AppTest suites (tests/test_app_*.py): running the dashboard headless,
and reading the bytes behind its download buttons.

The Cases page builds its files only when a button is clicked (``data=`` is a callable), so a
download has no URL to fetch in AppTest. AppTest creates a fresh ``MediaFileManager`` for every
run; :func:`downloads` swaps in one that also records each deferred callable with its file name,
and :meth:`Downloads.of` calls the one behind a button, as the browser's click would.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = {
    "pages/map.py": "Map",
    "pages/cases.py": "Cases",
    "pages/timeline.py": "Timeline",
    "pages/sources.py": "Sources",
    "pages/about.py": "About",
}
TIMEOUT = 120  # seconds; a cold first run imports pandas, pydeck and the data: generous, for a loaded machine


@dataclass
class Download:
    data: bytes
    file_name: str
    mime: str


@dataclass
class Downloads:
    recorded: dict[str, tuple] = field(default_factory=dict)

    def of(self, button) -> Download:
        """What clicking ``button`` (an AppTest download button) gives the browser."""
        file_id = button.proto.deferred_file_id
        assert file_id, f"download button {button.key!r} has no deferred file"
        make, file_name, mime = self.recorded[file_id]
        data = make()
        return Download(data.encode("utf-8") if isinstance(data, str) else data, file_name, mime)


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    record = Downloads()

    class Recording(MediaFileManager):
        def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
            file_id = super().add_deferred(
                data_callable, mimetype, coordinates, file_name=file_name, element_id=element_id
            )
            record.recorded[file_id] = (data_callable, file_name, mimetype)
            return file_id

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return record


@pytest.fixture
def sample_env(monkeypatch):
    """The dashboard on the frozen sample data (tests/fixtures/sample), whatever the developer's
    environment says."""
    from testdata import SAMPLE

    monkeypatch.setenv("GEO_DATA_DIR", str(SAMPLE))


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def open_page(page: str, query: dict[str, list[str]] | None = None) -> AppTest:
    """A fresh session on ``page`` (a key of :data:`PAGES`), optionally from a link's query."""
    at = new_app()
    for key, values in (query or {}).items():
        at.query_params[key] = values
    switch_page(at, page).run()  # as a link to the page's own URL opens it
    assert not at.exception, [e.value for e in at.exception]
    return at


class OpenedPages:
    """Pages opened once and read by several tests (:func:`opened_sample_pages`): a test that only
    reads a page need not run it again. A test that clicks, types or reruns opens its own."""

    def __init__(self) -> None:
        self._pages: dict[tuple, AppTest] = {}

    def __call__(self, page: str, query: dict[str, list[str]] | None = None) -> AppTest:
        key = (page, tuple(sorted((k, tuple(v)) for k, v in (query or {}).items())))
        if key not in self._pages:
            self._pages[key] = open_page(page, query)
        return self._pages[key]


@pytest.fixture(scope="module")
def opened_sample_pages() -> Iterator[OpenedPages]:
    """:class:`OpenedPages` on the frozen sample data, shared by the tests of a module."""
    from testdata import SAMPLE

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEO_DATA_DIR", str(SAMPLE))
        yield OpenedPages()


def switch_page(at: AppTest, page: str) -> AppTest:
    """``at.switch_page`` for the dashboard's pages, which are callables (``app.PAGES``) rather than
    files: AppTest's own ``switch_page`` only finds file pages, so this sets the page it asks for
    next the way a browser's URL does, by the hash of the page's URL path."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(Path(page).stem)
    return at


def description(at: AppTest) -> str:
    """The one line under the title that states the filter and its result."""
    return at.main.text[0].value


def data_unavailable(at: AppTest) -> str:
    """What a page shows readers when no version of the data validated: one error box of fixed
    wording, no problem list and none of the page's content."""
    assert len(at.error) == 1
    assert not at.code and not at.title and not at.main.text
    return at.error[0].value


def page_text(at: AppTest) -> str:
    """Every element of the page, sidebar included, as the text of its message to the browser:
    values, labels, help, options, table bytes, the map's JSON."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def deck_json(at: AppTest) -> dict:
    import json

    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def layer(spec: dict, layer_id: str) -> dict | None:
    return next((l for l in spec["layers"] if l["id"] == layer_id), None)


def table(at: AppTest, index: int = 0):
    """The ``index``-th table of the page (Cases renders only the open tab's). AppTest does not
    expose the key of a table without selections; the keys are there for the browser tests."""
    return at.main.dataframe[index].value


#: The logger the dashboard's loader writes to the server's log through.
GLUE_LOGGER = "geo.dashboard.loading"


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def glue_log() -> Iterator[list[str]]:
    """The messages the dashboard writes to the server's log meanwhile. Streamlit's loggers do not
    propagate to the root logger, where ``caplog`` listens, so this listens on the loader's own."""
    logger, handler = logging.getLogger(GLUE_LOGGER), _Messages()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def server_log() -> Iterator[list[str]]:
    """:func:`glue_log` over the whole test."""
    with glue_log() as messages:
        yield messages
