"""The dashboard in Russian and Kazakh in a real browser: the switch and the link that keeps the
language (screenshots in artifacts/screenshots). Every page in each language, its title, its
sidebar and no English on it: tests/e2e/test_no_english_browser.py, which opens each once."""

from __future__ import annotations

from playwright.sync_api import expect

from geo import i18n

from browser_support import screenshot, wait_for_app_idle, wait_for_page_drawn


def choose_language(page, label: str, language: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=language).click()


def test_the_switch_changes_the_language_and_the_copied_link_keeps_it(server, page, context):
    page.goto(server.url)
    wait_for_app_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("heading", name="Filters")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    choose_language(page, "Language", i18n.LANGUAGES["ru"])
    expect(sidebar.get_by_role("heading", name="Фильтры")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # screen readers read it in Russian
    expect(page.locator("h1").first).to_have_text("Карта")
    wait_for_app_idle(page)
    assert "lang=ru" in page.url
    page.get_by_role("button", name="Скопировать ссылку").click()
    link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert "lang=ru" in link, link
    again = context.new_page()
    again.goto(link)
    expect(again.locator('[data-testid="stSidebar"]').get_by_role("heading", name="Фильтры")).to_be_visible()
    wait_for_page_drawn(again)
    screenshot(again, "language-ru-from-copied-link")
    again.close()

    choose_language(page, "Язык", i18n.LANGUAGES["kk"])
    expect(sidebar.get_by_role("heading", name="Сүзгілер")).to_be_visible()
    wait_for_app_idle(page)
    assert "lang=kk" in page.url
    page.reload()
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("heading", name="Сүзгілер")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    wait_for_page_drawn(page)
    screenshot(page, "language-kk-reloaded")
