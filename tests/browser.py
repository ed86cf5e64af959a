"""The web chat in Debian's Chromium through Playwright (offline: no `playwright install`), for the browser tests."""

from __future__ import annotations

from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextmanager
def chromium():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # waits for a busy machine, not timings
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, viewport: dict, locale: str = "de-DE", clipboard: bool = False):
    """A fresh context on the chat, once its header names the agreements on file."""
    context = browser.new_context(viewport=viewport, locale=locale)
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator("#header .stand").filter(has_text="Vereinbarung").wait_for()
    return page


def ask(page, question: str, expected: str):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    expect(page.locator("#conversation .turn").last.locator(".bubble.answer")).to_contain_text(expected)
