"""The README's module map names every module, and every relative link of the README and of docs/
reaches a file (and, with a #fragment, a heading of it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def module_map(readme: str) -> str:
    section = readme.split("## Module map", 1)[1]
    return section.split("```", 2)[1]


def mapped(text: str) -> set[str]:
    """The files a module map names, as a tree: a word ending in ``/`` opens a folder for the lines
    indented under it, and the names ending in ``.py`` that follow it (or start a line) are files
    in the folders above; the description after them ends the line's names."""
    found: set[str] = set()
    folders: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        folders = [(i, f) for i, f in folders if i < indent]
        words = line.split()
        if words[0].endswith("/"):
            folders.append((indent, words.pop(0)))
        prefix = "".join(f for _, f in folders)
        for word in words:
            if not word.endswith(".py"):
                break
            found.add(prefix + word)
    return found


def modules() -> set[str]:
    """Every module of the project: app.py, serve.py, pages/ and src/geo (a subpackage's
    ``__init__.py`` is named by its folder)."""
    out = {"app.py", "serve.py"} | {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    geo = ROOT / "src" / "geo"
    for path in geo.rglob("*.py"):
        if path.name != "__init__.py" or path.parent == geo:
            out.add(f"src/geo/{path.relative_to(geo)}")
    return out


def test_the_module_map_names_every_module():
    names = mapped(module_map(README.read_text(encoding="utf-8")))
    assert modules() - names == set()
    assert names - modules() == set()  # and none that does not exist


def test_the_map_check_sees_a_missing_module():
    text = "src/geo/\n  data/   the data:\n    cache.py  dataset.py   two\n  query/  view.py  the View\n  cli.py  the x.py of it\n"
    assert mapped(text) == {
        "src/geo/data/cache.py",
        "src/geo/data/dataset.py",
        "src/geo/query/view.py",
        "src/geo/cli.py",
    }


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # a comment line in a code block is no heading
    return {slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def broken_links(path: Path) -> list[str]:
    broken = []
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …: not checked offline
            continue
        file, _, fragment = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(f"{target}: no {resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else resolved}")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target}: no heading #{fragment}")
    return broken


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    assert broken_links(path) == []


def test_the_link_check_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[a](missing.md) [b](#title) [c](#nowhere) [d](https://example.org)\n")
    assert [b.split(":")[0] for b in broken_links(page)] == ["missing.md", "#nowhere"]


def test_the_readme_is_short_and_keeps_the_coverage_markers():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    start, end = text.index("<!-- coverage:start -->"), text.index("<!-- coverage:end -->")
    assert start < end and "| Year |" in text[start:end]


def dashboard_names(text: str) -> set[tuple[str, str]]:
    """The ``module.name`` pairs a text quotes of the dashboard's modules (``loading.current_data``);
    a file name (``chrome.js``) is no function."""
    import pkgutil

    import geo.dashboard

    found = set()
    for info in pkgutil.iter_modules(geo.dashboard.__path__):
        for name in re.findall(rf"\b{info.name}\.([A-Za-z_]\w*)", text):
            if name not in {"py", "js", "css"}:
                found.add((info.name, name))
    return found


def test_every_dashboard_function_the_docs_name_exists():
    """The architecture is told in the dashboard's function names: each one named must be there."""
    import importlib

    text = "\n".join(doc.read_text(encoding="utf-8") for doc in [README, *DOCS])
    named = dashboard_names(text)
    assert named, "the docs name no dashboard function: this test checks nothing"
    missing = [f"{m}.{n}" for m, n in named if not hasattr(importlib.import_module(f"geo.dashboard.{m}"), n)]
    assert sorted(missing) == []


def test_the_name_check_sees_a_name_that_is_gone():
    text = "`loading.current_data()` and `url_state.no_such_thing`, in chrome.js and sidebar.py; the sidebar. End"
    assert dashboard_names(text) == {("loading", "current_data"), ("url_state", "no_such_thing")}
