"""Reconciling a disagreement in real headless Chromium: accept, undo, and an edit made with the
keyboard alone; the agreed layer in the study is checked after each step."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
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
    # the keyboard alone: open "Edit", change the span and the code, submit with Enter
    summary = page.locator("#d1 details.edit summary")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # "From"
    assert page.evaluate("document.activeElement.name") == "edit_start"
    page.keyboard.press("Control+a")
    page.keyboard.type(str(first.start + 4))
    page.keyboard.press("Tab")  # "To"
    page.keyboard.press("Tab")  # "Agreed code"
    page.keyboard.press("Control+a")
    page.keyboard.type("Pain and mood > Agreed by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert agreed_spans(study, "1") == before | {
        ("Pain and mood > Agreed by keyboard", first.start + 4, first.end)
    }
    assert "edited the agreed coding" in page.locator("#d1").inner_text()


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
