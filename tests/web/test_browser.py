"""The workbench in real headless Chromium: identity, coding with mouse and keyboard, in-vivo
codes, a refused request, removal with stale-edit protection, blind mode, anonymisation review."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import codings_by, shot, sign_in
from thematica.service import CodingChange, StudyService


def stay(page: Page) -> None:
    """Mark this page: the mark is gone if the page reloads."""
    page.evaluate("() => { window.stillThisPage = true; }")


def stayed(page: Page) -> None:
    assert page.evaluate("() => window.stillThisPage === true"), "the page reloaded"


def said(page: Page, start: str) -> None:
    page.wait_for_function(
        "(s) => document.getElementById('message').textContent.startsWith(s)", arg=start
    )


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
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    selected = page.evaluate("window.getSelection().toString()").strip()
    page.fill("#code-input", "Pain and mood > Pain lowers mood")
    stay(page)
    page.click("#apply")
    said(page, "Coded")
    page.wait_for_function("() => document.querySelectorAll('.stripe').length > 0")
    after = codings_by(study, "Tom Okafor")
    assert len(after) == before + 1 and ("Pain and mood > Pain lowers mood", selected) in after
    # keyboard: select with a range, press c, type a code, Enter
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[1];
                   const t = document.createTreeWalker(p, 4).nextNode(); const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 14);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "code-input"
    page.keyboard.type("Time > Short follow-up slots")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('message').textContent.includes('Short follow-up')"
    )
    assert len(codings_by(study, "Tom Okafor")) == before + 2
    stayed(page)


def test_in_vivo_code_and_a_failed_request_keeps_the_selection(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/transcripts/2")
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[0];
                   const t = document.createTreeWalker(p, 4).nextNode(); const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 12);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    words = page.evaluate("window.getSelection().toString()")
    name = " ".join(words.split())
    page.click("#in-vivo")  # a new code: it asks for the parent first (issue 14)
    assert f"new code: {name}" in page.inner_text("#new-code-say")
    stay(page)
    page.click("#new-create")  # the top level, as chosen by default
    said(page, "Coded")
    stayed(page)
    assert any(code == name for code, _ in codings_by(study, "Tom Okafor"))
    # a request the server refuses: the message shows and the selection and code stay
    page.evaluate(
        """() => { const p = document.querySelectorAll('#transcript .turn.participant p.text')[0];
                   const t = document.createTreeWalker(p, 4).nextNode(); const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 5);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    page.fill("#code-input", "x" * 400)
    page.click("#apply")  # a new name: the first press asks to confirm it
    assert "new code: " in page.inner_text("#new-code-say")
    page.click("#apply")
    page.wait_for_function(
        "() => document.getElementById('message').textContent.startsWith('Not saved')"
    )
    assert "1 to 300 characters" in page.inner_text("#message")
    assert page.input_value("#code-input") == "x" * 400
    assert page.inner_text("#selection") == "“No pr”"  # kept (the words, never offsets)
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
        "() => document.getElementById('message').textContent.startsWith('Not removed')"
    )
    assert "reload" in page.inner_text("#message")
    with StudyService.open(str(study)) as s:
        assert s.coding(first).memo == "changed in another tab"
    # After a reload the page holds the current version and the removal goes through.
    page.reload()
    before = len(codings_by(study, "Tom Okafor"))
    stay(page)
    page.locator(f'button.remove-coding[data-coding="{first}"]').click()
    said(page, "Removed")
    stayed(page)
    assert page.locator(f'button.remove-coding[data-coding="{first}"]').count() == 0
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


def test_keyboard_only_coding_undo_and_the_help_overlay(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/transcripts/5")
    page.locator("body").focus()
    before = codings_by(study, "Tom Okafor")
    page.keyboard.press("j")
    page.keyboard.press("j")
    turn = page.locator("#transcript .turn").nth(1)
    assert page.evaluate("document.activeElement.dataset.position") == turn.get_attribute(
        "data-position"
    )
    words = turn.locator("p.text").inner_text().split()
    page.keyboard.press("s")
    page.keyboard.press("[")  # the selection now ends one word earlier
    page.keyboard.press("}")  # and starts one word later
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    page.keyboard.press("c")
    page.keyboard.type("Keyboard > Whole turn but the edges")
    page.keyboard.press("Enter")  # a new code: Enter again to create it (issue 14)
    assert "new code: Keyboard > Whole turn but the edges" in page.inner_text("#new-code-say")
    stay(page)
    page.keyboard.press("Enter")
    said(page, "Coded")
    stayed(page)
    after = codings_by(study, "Tom Okafor")
    added = [c for c in after if c not in before]
    assert added == [("Keyboard > Whole turn but the edges", " ".join(words[1:-1]))]
    # the last action can be undone, here with the keyboard
    assert page.locator("#undo-line").is_visible()
    assert "Whole turn but the edges" in page.inner_text("#last-action")
    page.evaluate("() => document.activeElement.blur()")  # out of the code box, no reload now
    page.keyboard.press("u")
    said(page, "Undone")
    stayed(page)
    assert codings_by(study, "Tom Okafor") == before
    assert page.inner_text("#message").startswith("Undone")
    assert not page.locator("#undo-line").is_visible()
    # the help overlay lists the shortcuts; Escape closes it
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert "Select the whole turn" in page.inner_text("#help")
    shot(page, "transcript-help")
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()


def test_adjusting_a_coding_and_its_memo_in_the_page_then_undoing(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/transcripts/6")
    button = page.locator("button.edit-coding").first
    coding = int(button.get_attribute("data-coding") or 0)
    with StudyService.open(str(study)) as s:
        was = s.coding(coding)
    button.scroll_into_view_if_needed()
    button.click()
    assert page.locator("#edit-dialog").is_visible()
    assert page.locator("#edit-words").inner_text() == was.text  # words, never offsets
    page.click("#edit-cancel")
    # new boundaries: select the coded words but the last three characters, then "set boundaries"
    page.evaluate(
        """(id) => { const marks = document.querySelectorAll('mark[data-coding="' + id + '"]');
             const walk = (m) => { const w = document.createTreeWalker(m, NodeFilter.SHOW_TEXT);
                                   const all = []; let n; while ((n = w.nextNode())) all.push(n); return all; };
             const first = walk(marks[0])[0], lastAll = walk(marks[marks.length - 1]);
             const last = lastAll[lastAll.length - 1];
             const r = document.createRange(); r.setStart(first, 0); r.setEnd(last, last.data.length - 3);
             const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }""",
        coding,
    )
    page.wait_for_function("() => document.getElementById('selection').textContent.includes('“')")
    page.locator(f'button.edit-coding[data-coding="{coding}"]').click()
    page.click("#edit-use-selection")
    page.fill("#edit-memo", "Hesitant here: check the audio")
    shot(page, "transcript-edit")
    stay(page)
    page.click("#edit-save")
    said(page, "Edited")
    stayed(page)
    assert not page.locator("#edit-dialog").is_visible()
    with StudyService.open(str(study)) as s:
        now = s.coding(coding)
    assert (now.start, now.end, now.memo) == (
        was.start,
        was.end - 3,
        "Hesitant here: check the audio",
    )
    page.click("#undo")
    said(page, "Undone")
    stayed(page)
    with StudyService.open(str(study)) as s:
        back = s.coding(coding)
    assert (back.start, back.end, back.memo) == (was.start, was.end, was.memo)
    # an edit refused (a stale tab) keeps the dialog open with the reason, and changes nothing
    with StudyService.open(str(study)) as s:
        s.change_coding(coding, CodingChange(memo="changed in another tab"), by="Tom Okafor")
        now = s.coding(coding)
    page.locator(f'button.edit-coding[data-coding="{coding}"]').click()
    page.fill("#edit-memo", "Mine")
    page.click("#edit-save")
    page.wait_for_function(
        "() => document.getElementById('edit-message').textContent.startsWith('Not saved')"
    )
    assert page.locator("#edit-dialog").is_visible()
    page.click("#edit-cancel")
    with StudyService.open(str(study)) as s:
        assert s.coding(coding) == now


def test_a_link_into_the_text_lands_on_its_turn(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    with StudyService.open(str(study)) as s:
        turn = s.transcript("7").turns[6]
    sign_in(page, url, "Tom Okafor")  # not left to an earlier test: this one runs alone too
    page.goto(f"{url}/transcripts/7#o{turn.start + 2}")
    target = page.locator(".turn.target")
    assert target.count() == 1
    assert target.get_attribute("data-position") == str(turn.position)


def test_a_lead_removing_someone_elses_coding_confirms_and_gets_no_undo(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/transcripts/8")
    theirs = page.locator('button.remove-coding[data-coder="Tom Okafor"]').first
    coding = int(theirs.get_attribute("data-coding") or 0)
    page.once("dialog", lambda dialog: dialog.dismiss())  # cancelled: nothing happens
    theirs.click()
    with StudyService.open(str(study)) as s:
        assert s.coding(coding).coder == "Tom Okafor"
    page.once("dialog", lambda dialog: dialog.accept())
    stay(page)
    page.locator(f'button.remove-coding[data-coding="{coding}"]').click()
    said(page, "Removed")
    stayed(page)
    with StudyService.open(str(study)) as s:
        assert all(c.id != coding for c in s.codings(transcript="8"))
    assert page.inner_text("#message").startswith("Removed Tom Okafor's coding")
    # no undo that would put Tom's coding back in Rachel's name
    assert not page.locator("#undo-line").is_visible()
