"""The Streamlit internals the project relies on (geo.dashboard.streamlit_compat) exist in the
installed Streamlit, and a new Streamlit version names what to re-check by hand."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import pytest

from geo.dashboard import streamlit_compat as compat

from apptest_support import ROOT


@pytest.mark.parametrize("internal", compat.INTERNALS, ids=lambda i: i.name)
def test_each_internal_is_still_there(internal):
    problem = compat.missing(internal)
    assert problem is None, f"{problem}; used in {', '.join(internal.used_in)}; re-check: {internal.recheck}"


def test_every_test_id_we_select_by_is_still_in_the_browser_scripts():
    assert compat.missing_test_ids() == []


def test_the_css_selects_only_listed_test_ids():
    """The print stylesheet and the map frame's CSS select by names the list holds, so that the
    check above covers them."""
    text = (ROOT / "src/geo/dashboard/print.css").read_text(encoding="utf-8")
    for name in ("map_frame.css", "map_frame.js", "access.css", "map_label.js"):
        text += (ROOT / "src/geo/dashboard" / name).read_text(encoding="utf-8")
    text += (ROOT / "tests/e2e/browser_support.py").read_text(encoding="utf-8")
    used = set(re.findall(r'data-testid=\\?"(\w+)', text))
    assert used and used <= set(compat.TEST_IDS), sorted(used - set(compat.TEST_IDS))


def test_the_pin_is_one_minor_version_and_the_checked_one():
    """Streamlit is pinned to a minor version, and the installed one is the one the list was checked
    against: a different one fails here with what to re-check."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [pin] = [d for d in pyproject["project"]["dependencies"] if re.match(r"streamlit\b", d)]
    low, high = re.fullmatch(r"streamlit>=(\d+\.\d+),<(\d+\.\d+)", pin.split("#")[0].strip()).groups()
    major, minor = map(int, low.split("."))
    assert high == f"{major}.{minor + 1}", pin
    assert compat.CHECKED_WITH.startswith(f"{low}."), (compat.CHECKED_WITH, pin)
    installed = version("streamlit")
    recheck = "\n".join(f"- {i.name} ({', '.join(i.used_in)}): {i.recheck}" for i in compat.INTERNALS)
    assert installed == compat.CHECKED_WITH, (
        f"Streamlit {installed} is installed, the internals were checked with {compat.CHECKED_WITH}. "
        f"Re-check, then set streamlit_compat.CHECKED_WITH:\n{recheck}"
    )


def test_a_missing_internal_is_reported():
    gone = compat.Internal("gone", "python", "streamlit.runtime.media_file_manager:NoSuchThing", ("x",), "y")
    assert "NoSuchThing" in compat.missing(gone)
    renamed = compat.Internal("renamed", "frontend", "no-such-class-qantar", ("x",), "y")
    assert "not in Streamlit's browser scripts" in compat.missing(renamed)
    route = compat.Internal("route", "route", "_stcore/no_such_route", ("x",), "y")
    assert compat.missing(route) is not None
    code = compat.Internal("code", "code", "streamlit.util:calc_hash=_no_such_name", ("x",), "y")
    assert "_no_such_name" in compat.missing(code)
