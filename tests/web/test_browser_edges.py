"""The workbench's edges in a real browser: an unknown address gets the 404 page inside the
layout, with navigation and a way on (at 1366x768 and at 200 % zoom, axe-clean)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations


@pytest.fixture(scope="module")
def zoomed(browser: Browser) -> Iterator[Page]:
    """As at 200 % browser zoom on a 1366x768 screen."""
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_an_unknown_address_gets_the_404_page_with_navigation(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, _ = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    response = page.goto(url + "/transcripts/no-such-thing/here")
    assert response is not None and response.status == 404
    assert page.locator("main h1").inner_text() == "Page not found"
    nav = page.get_by_role("navigation", name="Sections")
    assert nav.get_by_role("link", name="Codebook").is_visible()
    assert "There is nothing at this address" in page.locator("main").inner_text()
    assert "detail" not in page.content()
    assert violations(page) == []
    shot(page, "error-404")
    # the way on works from the keyboard
    page.get_by_role("link", name="Back to the overview (the transcript list)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")
    assert page.locator("main h1").first.is_visible()


def test_the_404_page_at_200_percent_zoom(server: tuple[str, Path], zoomed: Page) -> None:
    url, _ = server
    page = zoomed
    sign_in(page, url, "Helen Marsh")
    response = page.goto(url + "/nope")
    assert response is not None and response.status == 404
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert page.locator("main h1").is_visible()
    assert violations(page) == []
    shot(page, "zoom-error-404")
