"""The dashboard states the dataset's version and licence under every page, links to how to cite
it, and the About page gives the citation to copy (AppTest, on the frozen sample data; the
descriptor is the shipped one)."""

from __future__ import annotations

import pytest

from geo.data.provenance import provenance
from geo.views import citation

from apptest_support import PAGES, open_page, sample_env  # noqa: F401
from testdata import SAMPLE

pytestmark = pytest.mark.usefixtures("sample_env")


@pytest.fixture(scope="module")
def cited():
    from geo.data.dataset import load_dataset

    ds = load_dataset(SAMPLE)
    return provenance(ds.data_dir, len(ds.sources))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_ends_with_the_version_the_licence_and_how_to_cite(page, cited):
    at = open_page(page)
    footer = at.main.caption[-1].value  # the page's last caption: the footer comes after the page
    assert cited.version and f"data v{cited.version}" in footer
    assert footer == citation.footer_text(cited)
    assert "[How to cite](about#how-to-cite)" in footer
    assert not at.exception


def test_about_gives_the_citation_to_copy_and_as_bibtex(cited):
    at = open_page("pages/about.py")
    headings = {h.value: h.proto.anchor for h in at.header}
    assert headings.get("How to cite") == citation.CITE_ANCHOR  # where the footer's link lands
    blocks = {(c.language, c.value) for c in at.code}
    assert ("plaintext", citation.citation_text(cited)) in blocks  # language=None: shown as plain text
    assert ("bibtex", citation.citation_bibtex(cited)) in blocks
    assert f"(version {cited.version}) [Data set]" in citation.citation_text(cited)
    licences = "\n".join(m.value for m in at.markdown)
    assert "CC BY 4.0, see `LICENSE-DATA`" in licences and "MIT licence, see `LICENSE`" in licences
