"""The workbench's edges in a real browser: an unknown address gets the 404 page inside the
layout, with navigation and a way on (at 1366x768 and at 200 % zoom, axe-clean); a refused form
keeps what was typed (memo, code description, theme description, a new team member)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.service.administrator import ADMINISTRATOR


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


# -- a refused form keeps its input (static/keep.js) --------------------------------------------


def refused_then_back(page: Page, heading: str) -> None:
    """On the refusal page: its heading, then the offered way back to the form."""
    assert page.locator("main h1").inner_text() == heading
    back = page.get_by_role("link", name="go back to the form")
    assert back.is_visible()
    back.click()
    page.wait_for_selector(".kept-note")


def test_a_refused_memo_keeps_its_text(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/codes/2/quotes")
    typed = "Long memo about waits.\nSecond line, with thought in it."
    page.locator(".memo-add textarea").fill(typed)
    with StudyService.open(str(study)) as s:  # meanwhile a lead makes Tom a reader
        s.set_role("Tom Okafor", MemberRole.READER, by=ADMINISTRATOR)
    try:
        page.get_by_role("button", name="Add memo").click()
        page.wait_for_load_state()
        shot(page, "refused-memo")
    finally:  # and puts him back, so the form is there again
        with StudyService.open(str(study)) as s:
            s.set_role("Tom Okafor", MemberRole.CODER, by=ADMINISTRATOR)
            s.mark_anonymised_only("Tom Okafor", False, by=ADMINISTRATOR)  # as readers are
    refused_then_back(page, "You cannot do this")
    assert page.locator(".memo-add textarea").input_value() == typed
    assert "reader" in page.locator(".kept-note").inner_text()
    shot(page, "refused-memo-refilled")
    page.goto(url + "/codes/2/quotes")  # the note is used once: a later visit is empty
    assert page.locator(".memo-add textarea").input_value() == ""
    assert page.locator(".kept-note").count() == 0


def test_a_stale_code_description_is_kept_and_can_be_sent_again(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/codebook/2")
    with StudyService.open(str(study)) as s:
        code = next(c for c in s.codes() if c.id == 2)
        s.describe_code(code.path, by="Rachel Ames", description="Hers.", level=code.level)
    box = page.locator('form[action="/codebook/2/describe"] textarea')
    box.fill("Mine, carefully worded.")
    page.get_by_role("button", name="Save description").click()
    page.wait_for_load_state()
    refused_then_back(page, "Someone changed this first")
    assert box.input_value() == "Mine, carefully worded."
    page.get_by_role("button", name="Save description").click()  # with the fresh version
    page.wait_for_url("**/codebook/2?done=*")
    with StudyService.open(str(study)) as s:
        assert next(c for c in s.codes() if c.id == 2).description == "Mine, carefully worded."


def test_a_stale_theme_description_is_kept(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/themes")
    with StudyService.open(str(study)) as s:
        s.describe_theme(3, "Changed by Rachel.", by="Rachel Ames")
    form = page.locator('form[action="/themes/3/describe"]')
    form.locator("xpath=ancestor::details[1]").locator("summary").click()
    form.locator("textarea").fill("My theme description.")
    form.get_by_role("button", name="Save description").click()
    page.wait_for_load_state()
    refused_then_back(page, "Someone changed this first")
    assert form.locator("textarea").input_value() == "My theme description."
    assert form.locator("textarea").is_visible()  # its <details> opened again
    shot(page, "refused-theme-refilled")


def test_a_refused_new_member_keeps_what_was_typed(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, _ = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/team")
    page.get_by_label("Name", exact=True).fill("Tom Okafor")  # already in the team
    page.get_by_label("E-mail (optional)").fill("tom@example.org")
    page.get_by_label("Role", exact=True).select_option("reader")
    page.get_by_label("Make an invitation link to set a password").uncheck()
    page.get_by_role("button", name="Add member").click()
    page.wait_for_load_state()
    assert page.locator("main .error").is_visible()
    page.get_by_role("link", name="go back to the form").click()
    page.wait_for_selector(".kept-note")
    assert page.get_by_label("Name", exact=True).input_value() == "Tom Okafor"
    assert page.get_by_label("E-mail (optional)").input_value() == "tom@example.org"
    assert page.get_by_label("Role", exact=True).input_value() == "reader"
    assert not page.get_by_label("Make an invitation link to set a password").is_checked()
    assert violations(page) == []
    shot(page, "refused-member-refilled")


def test_a_stale_journal_edit_keeps_the_new_text(
    server: tuple[str, Path], browser_page: Page
) -> None:
    from thematica.service.notes import EntryChange

    url, study = server
    page = browser_page
    sign_in(page, url, "Helen Marsh")  # a reader keeps a journal too
    with StudyService.open(str(study)) as s:
        entry = s.as_member("Helen Marsh").add_journal_entry("First thoughts.")
    page.goto(url + "/journal")
    with StudyService.open(str(study)) as s:  # the same entry, changed in another tab
        s.as_member("Helen Marsh").edit_journal_entry(entry.id, EntryChange(text="Other tab."))
    form = page.locator(f'form[action="/journal/{entry.id}/edit"]')
    form.locator("xpath=ancestor::details[1]").locator("summary").click()
    form.locator("textarea").fill("Second, longer thoughts after the interview.")
    form.get_by_label("Kind").select_option("field-note")
    form.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    refused_then_back(page, "Someone changed this first")
    assert form.locator("textarea").input_value() == "Second, longer thoughts after the interview."
    assert form.get_by_label("Kind").input_value() == "field-note"
