"""The dashboard in each of its languages (issue 13), driven headless by AppTest on the sample data:
the switch and the link's ``?lang=``, every page's interface strings from the catalogs, the same
counts in every language."""

from __future__ import annotations

import pytest

from geo import i18n

from apptest_support import PAGES, description, open_page, sample_env  # noqa: F401

pytestmark = pytest.mark.usefixtures("sample_env")

OTHER = ("ru", "kk")


def test_the_link_chooses_the_language_and_the_switch_keeps_it_in_the_url():
    at = open_page("pages/map.py", {"lang": ["ru"]})
    switch = at.selectbox(key="lang")
    assert switch.value == "ru" and switch.label == "Язык"
    assert switch.options == list(i18n.LANGUAGES.values())
    assert at.query_params["lang"] in ("ru", ["ru"])
    switch.select("kk").run()
    assert at.selectbox(key="lang").label == "Тіл"
    assert at.query_params["lang"] in ("kk", ["kk"])
    at.selectbox(key="lang").select("en").run()
    assert at.selectbox(key="lang").label == "Language"
    assert "lang" not in at.query_params  # English, the default, is left out of the link


def test_without_a_link_language_the_page_is_in_english():
    at = open_page("pages/map.py")
    assert at.selectbox(key="lang").value == "en"
    at = open_page("pages/map.py", {"lang": ["fr"]})
    assert at.selectbox(key="lang").value == "en"


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_has_its_title_in_the_language(page, title, lang):
    at = open_page(page, {"lang": [lang]})
    assert [t.value for t in at.title] == [i18n.gettext(title, lang)]
    assert at.title[0].value != title
