"""The footer's "How to cite" in a real browser: it opens the About page at its citation."""

from __future__ import annotations

from geo.data.provenance import provenance
from geo.views import citation

from browser_support import screenshot, wait_for_page_drawn
from test_dashboard_browser import open_page
from testdata import SAMPLE


def test_the_footer_links_to_the_citation_on_the_about_page(server, page):
    cited = provenance(SAMPLE, 0)
    open_page(page, server.url)
    footer = page.locator(".st-key-page_footer")
    footer.get_by_text(f"data v{cited.version}").wait_for()
    with page.context.expect_page() as opened:  # links in Markdown open a tab of their own
        footer.get_by_role("link", name="How to cite").click()
    about = opened.value
    about.wait_for_load_state()
    assert about.url.endswith(f"/about#{citation.CITE_ANCHOR}")
    wait_for_page_drawn(about)  # the tables and code blocks drawn: nothing moves any more
    # The section is in view once everything has drawn.
    box = about.locator(f"#{citation.CITE_ANCHOR}").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= about.viewport_size["height"]
    code = about.locator('[data-testid="stCode"]').filter(has_text="[Data set]").first
    assert " ".join(code.inner_text().split()) == citation.citation_text(cited)
    screenshot(about, "about-how-to-cite")
