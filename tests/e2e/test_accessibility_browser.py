"""axe-core on every page in every language: no serious or critical violation.

axe-core's script comes inside the axe-playwright-python wheel and is injected into the page: the
audit fetches nothing. No rule and no element is left out. What Streamlit's own widgets get wrong
that axe does not see is in docs/accessibility.md. Each run's findings of every impact go to
artifacts/axe/<page>-<lang>.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import BROWSER_TIMEOUT_MS, wait_for_page_drawn

#: (url path, page name) as app.PAGES gives them; the Map, the default page, is at the root.
PAGES = [("", "Map"), ("cases", "Cases"), ("timeline", "Timeline"), ("sources", "Sources"), ("about", "About")]
LANGS = ("en", "ru", "kk")
FAILING_IMPACTS = {"serious", "critical"}
#: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (landmarks, one main heading …).
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REPORTS = Path(__file__).resolve().parents[2] / "artifacts" / "axe"


@pytest.fixture(scope="module")
def audit_page(browser):
    """One page of one context for the whole module: every page × language is a new load of it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(BROWSER_TIMEOUT_MS)
    # offline, as the other browser tests: a request to another host is aborted
    ctx.route("**/*", lambda route: route.continue_() if local(route.request.url) else route.abort())
    page = ctx.new_page()
    yield page
    ctx.close()


def local(url: str) -> bool:
    return url.startswith(("data:", "blob:")) or urlsplit(url).hostname in {"127.0.0.1", "localhost"}


def audit(page) -> list[dict]:
    """axe's violations on the page as it is drawn, of every impact."""
    options = {"runOnly": {"type": "tag", "values": RULE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}) ×{len(v['nodes'])}: " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in violations
    ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("path", "name"), PAGES, ids=[name for _, name in PAGES])
def test_no_serious_or_critical_violation(server, audit_page, path, name, lang):
    page = audit_page
    page.goto(f"{server.url}/{path}?lang={lang}")
    page.locator("h1").first.wait_for()
    wait_for_page_drawn(page)
    page.locator(f'html[lang="{lang}"]').wait_for(state="attached")
    violations = audit(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{path or 'map'}-{lang}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{name} ({lang}):\n" + "\n".join(summary(failing))
