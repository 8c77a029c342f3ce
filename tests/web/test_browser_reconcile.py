"""Reconciling a disagreement in real headless Chromium: accept, undo, and an edit made with the
keyboard alone; the agreed layer in the study is checked after each step."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.domain import Level
from thematica.service import StudyService


def agreed_spans(study: Path, ref: str) -> set[tuple[str, int, int]]:
    with StudyService.open(str(study)) as s:
        return {
            (" > ".join(c.code), c.start, c.end) for c in s.codings(transcript=ref, level=Level.TWO)
        }


def test_reconciling_a_disagreement(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Reconcile").click()
    page.wait_for_url(url + "/reconcile")
    shot(page, "reconcile-list")
    page.get_by_role("link", name="Physio 3").click()
    page.wait_for_url(url + "/reconcile/1")
    with StudyService.open(str(study)) as s:
        first = s.reconciliation("1").items[0]
    target = " > ".join(first.agreed_code or first.code)
    before = agreed_spans(study, "1")
    card = page.locator("#d1")
    assert "A: Rachel Ames" in card.inner_text() and "B: Tom Okafor" in card.inner_text()
    assert card.locator(".side-a mark").count() >= 1
    shot(page, "reconcile")
    with page.expect_navigation():
        card.get_by_role("button", name="Accept A").click()
    assert agreed_spans(study, "1") == before | {(target, s, e) for s, e in first.a}
    card = page.locator("#d1")
    assert "accepted Rachel Ames's coding" in card.inner_text()
    shot(page, "reconcile-decided")
    with page.expect_navigation():
        card.get_by_role("button", name="Undo").click()
    assert agreed_spans(study, "1") == before
    # the keyboard alone: open "Edit", move the start a word later, change the code, Enter
    with StudyService.open(str(study)) as s:
        text = s.transcript("1").text
    later = next(m.start() for m in re.finditer(r"\S+", text) if m.start() > first.start)
    summary = page.locator("#d1 details.edit summary")
    summary.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#d1 details.edit")
    assert dialog.locator(".bounds-text mark").inner_text() == text[first.start : first.end]
    assert not re.search(r"\b\d{2,}\b", dialog.locator(".bounds-label").inner_text())  # no offsets
    page.keyboard.press("Tab")  # "Set boundaries to the selection"
    page.keyboard.press("Tab")  # Start: a word earlier
    page.keyboard.press("Tab")  # Start: a word later
    assert page.evaluate("document.activeElement.textContent") == "a word later"
    page.keyboard.press("Enter")
    assert dialog.locator(".bounds-text mark").inner_text() == text[later : first.end]
    assert "will cover" in dialog.locator(".bounds-status").inner_text()
    shot(page, "reconcile-edit-bounds")
    assert violations(page) == []  # the open dialog and its buttons too
    for _ in range(3):  # End: earlier, End: later, then the agreed code
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "edit_code"
    page.keyboard.press("Control+a")
    page.keyboard.type("Pain and mood > Agreed by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert agreed_spans(study, "1") == before | {
        ("Pain and mood > Agreed by keyboard", later, first.end)
    }
    assert "edited the agreed coding" in page.locator("#d1").inner_text()


def select_words(page: Page, paragraph: str, words: str) -> None:
    """Select ``words`` inside the element at ``paragraph`` as a mouse would leave them."""
    page.evaluate(
        """([selector, words]) => {
            const p = document.querySelector(selector);
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            const nodes = []; let all = "";
            for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.data; }
            const at = all.indexOf(words);
            const place = (i) => { const [n, from] = nodes.filter(([, f]) => f <= i).pop(); return [n, i - from]; };
            const range = document.createRange();
            range.setStart(...place(at)); range.setEnd(...place(at + words.length));
            getSelection().removeAllRanges(); getSelection().addRange(range);
        }""",
        [paragraph, words],
    )


def test_setting_the_agreed_boundaries_by_selecting_words(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/reconcile/1")
    with StudyService.open(str(study)) as s:
        item = s.reconciliation("1").items[1]
        text = s.transcript("1").text
    card = page.locator("#d2")
    card.get_by_text("Edit the agreed coding…").click()
    pick = "#d2 .bounds-text"
    # a selection outside the passage is refused in the dialog; the boundaries stay
    select_words(page, "#d2 h3", card.locator("h3").inner_text()[3:12])
    card.get_by_role("button", name="Set boundaries to the selection").click()
    assert "inside this passage" in card.locator(".bounds-status").inner_text()
    assert card.locator(".bounds-text mark").inner_text() == text[item.start : item.end]
    # the word before the disagreement and its first word, selected as a mouse leaves them
    before_words = card.locator(".bounds-text span").first.text_content() or ""
    first_word = re.search(r"\S+", text[item.start : item.end])
    assert first_word is not None
    wider = re.search(r"(\S+\s+)$", before_words)
    assert wider is not None  # the passage has words before the disagreement
    lead = len(wider.group(1))
    start, end = item.start - lead, item.start + first_word.end()
    select_words(page, pick, text[start:end])
    card.get_by_role("button", name="Set boundaries to the selection").click()
    assert card.locator(".bounds-text mark").inner_text() == text[start:end]
    with page.expect_navigation():
        card.get_by_role("button", name="Save the edited coding").click()
    code = " > ".join(item.agreed_code or item.code)
    assert (code, start, end) in agreed_spans(study, "1")


def test_carrying_the_agreements(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/reconcile/3")
    with StudyService.open(str(study)) as s:
        agreements = s.reconciliation("3").agreements
    before = agreed_spans(study, "3")
    with page.expect_navigation():
        page.get_by_role("button", name="Carry them into the agreed layer").click()
    assert f"{len(agreements)} in the agreed layer" in page.inner_text("#agree-head + p")
    with StudyService.open(str(study)) as s:
        carried = {
            (" > ".join(g.code), g.start, g.end)
            for g in s.reconciliation("3").agreements
            if g.carried
        }
    assert len(carried) == len(agreements)
    # every carried passage is in the agreed layer (the demo's own agreed layer has most already)
    assert {(" > ".join(g.code), g.start, g.end) for g in agreements} - carried == set()
    shot(page, "reconcile-carried")
    with page.expect_navigation():
        page.get_by_role("button", name="Take them out again").click()
    assert agreed_spans(study, "3") == before
