"""What one rerun of the Map page computes once: the article mentions per city, however many parts
of the page (the map, its notes, its image's recipe) read them, and whatever width the map has.
(That a new session's first run is its only full run needs a browser: tests/e2e/test_one_run_browser.py.)"""

from __future__ import annotations

import pytest

import geo.query.view as view_module

from apptest_support import open_page, sample_env  # noqa: F401

pytestmark = pytest.mark.usefixtures("sample_env")


def test_the_mentions_are_counted_once_per_rerun(monkeypatch):
    calls: list[tuple] = []
    real = view_module.mention_totals

    def counted(*args):
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(view_module, "mention_totals", counted)
    at = open_page("pages/map.py")
    assert not at.toggle(key="show_mentions").disabled  # the sample has a mentions table
    calls.clear()
    at.toggle(key="show_mentions").set_value(True).run()
    assert not at.exception and len(calls) == 1
    calls.clear()
    at.session_state["map_width"] = {"width": 358}  # a phone's width reported: the map drawn again
    at.run()
    assert len(calls) == 1
    calls.clear()
    at.multiselect(key="city").set_value(["almaty"]).run()
    assert calls == [("almaty",)]
