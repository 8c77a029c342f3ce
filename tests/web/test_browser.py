"""The workbench in real headless Chromium: identity, coding with mouse and keyboard, in-vivo
codes, a refused request, removal with stale-edit protection, blind mode, anonymisation review."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import codings_by, shot
from thematica.service import CodingChange, StudyService


def test_choose_identity_then_overview(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    page = browser_page
    page.goto(url + "/")
    assert page.url.endswith("/identity")
    shot(page, "identity")
    page.get_by_label("Tom Okafor").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(url + "/")
    assert page.get_by_text("Signed in as").is_visible()
    assert page.get_by_role("link", name="Physio 3").is_visible()
    shot(page, "overview")


def test_code_a_span_with_the_mouse_and_with_the_keyboard(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/transcripts/1")
    shot(page, "transcript")
    before = len(codings_by(study, "Tom Okafor"))
    text = page.locator("#transcript .turn.participant p.text").first
    text.scroll_into_view_if_needed()
    text.dblclick(position={"x": 30, "y": 10})  # the mouse selects a word
    page.wait_for_function("document.getElementById('selection').textContent.includes('“')")
    selected = page.evaluate("window.getSelection().toString()").strip()
    page.fill("#code-input", "Pain and mood > Pain lowers mood")
    with page.expect_navigation():
        page.click("#apply")
    page.wait_for_function("document.querySelectorAll('.stripe').length > 0")
    after = codings_by(study, "Tom Okafor")
    assert len(after) == before + 1 and ("Pain and mood > Pain lowers mood", selected) in after
    # keyboard: select with a range, press c, type a code, Enter
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[1];
                   const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 14);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("document.getElementById('selection').textContent.includes('(')")
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "code-input"
    page.keyboard.type("Time > Short follow-up slots")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert len(codings_by(study, "Tom Okafor")) == before + 2


def test_in_vivo_code_and_a_failed_request_keeps_the_selection(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/transcripts/2")
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[0];
                   const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 12);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("document.getElementById('selection').textContent.includes('(')")
    words = page.evaluate("window.getSelection().toString()")
    with page.expect_navigation():
        page.click("#in-vivo")
    name = " ".join(words.split())
    assert any(code == name for code, _ in codings_by(study, "Tom Okafor"))
    # a request the server refuses: the message shows and the selection and code stay
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[0];
                   const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 5);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("document.getElementById('selection').textContent.includes('(')")
    page.fill("#code-input", "x" * 400)
    page.click("#apply")
    page.wait_for_function("document.getElementById('message').textContent.startsWith('Not saved')")
    assert "1 to 300 characters" in page.inner_text("#message")
    assert page.input_value("#code-input") == "x" * 400
    assert "(" in page.inner_text("#selection")
    shot(page, "transcript-error")


def test_remove_a_coding_and_a_stale_removal_is_refused(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/transcripts/4")
    buttons = page.locator("button.remove-coding")
    assert buttons.count() > 0
    assert page.locator(".codings li", has_text="Rachel Ames").locator("button").count() == 0
    buttons.first.scroll_into_view_if_needed()
    shot(page, "transcript-remove")
    # Another tab (here: the service) changes the first coding after this page loaded it.
    first = int(buttons.first.get_attribute("data-coding") or 0)
    with StudyService.open(str(study)) as s:
        s.change_coding(first, CodingChange(memo="changed in another tab"), by="Tom Okafor")
    buttons.first.click()
    page.wait_for_function(
        "document.getElementById('message').textContent.startsWith('Not removed')"
    )
    assert "reload" in page.inner_text("#message")
    with StudyService.open(str(study)) as s:
        assert s.coding(first).memo == "changed in another tab"
    # After a reload the page holds the current version and the removal goes through.
    page.reload()
    before = len(codings_by(study, "Tom Okafor"))
    with page.expect_navigation():
        page.locator(f'button.remove-coding[data-coding="{first}"]').click()
    assert len(codings_by(study, "Tom Okafor")) == before - 1
    with StudyService.open(str(study)) as s:
        assert all(c.id != first for c in s.codings(transcript="4"))


def test_blind_mode_in_the_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    with StudyService.open(str(study)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    try:
        page.goto(url + "/transcripts/3")
        assert page.get_by_text("Blind coding.").is_visible()
        assert page.locator(".codings li", has_text="Rachel Ames").count() == 0
        assert page.locator(".codings li", has_text="Tom Okafor").count() > 0
        shot(page, "transcript-blind")
        with StudyService.open(str(study)) as s:
            s.reveal("3", by="Rachel Ames")
        page.reload()
        assert page.locator(".codings li", has_text="Rachel Ames").count() > 0
    finally:
        with StudyService.open(str(study)) as s:
            s.set_blind_coding(False, by="Rachel Ames")


def test_anonymisation_review_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    page = browser_page
    page.goto(url + "/identity")
    page.get_by_label("Rachel Ames").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(url + "/")
    page.get_by_role("link", name="Anonymisation").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Scan again").click()
    assert page.locator("tbody tr").count() > 20
    shot(page, "anonymise-review")
    first = page.locator("tbody tr").first
    with page.expect_navigation():
        first.get_by_role("button", name="Reject").click()
    assert "pending" in page.inner_text("main")
