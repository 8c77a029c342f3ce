"""Reconciliation from the keyboard (static/reconcile.js): after a decision the focus moves to
the next open disagreement, and keys decide the one in focus (A, B, O for both, D drop, E edit).
The agreed layer in the study is checked after each step."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.service import StudyService


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id"))


def decisions(study: Path, ref: str) -> dict[int, str]:
    """Each decided disagreement's number and decision."""
    with StudyService.open(str(study)) as s:
        items = s.reconciliation(ref).items
    return {n: i.decision.decision for n, i in enumerate(items, 1) if i.decision}


def test_keys_decide_and_focus_moves_to_the_next_open_one(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/reconcile/1")
    assert page.locator("#decide-keys").is_visible()
    assert decisions(study, "1") == {}
    page.locator("#d1 h3").click()  # the first disagreement has the focus (or none: the first)
    with page.expect_navigation():
        page.keyboard.press("a")
    assert decisions(study, "1") == {1: "accept_a"}
    page.wait_for_function("() => document.activeElement.id === 'd2'")
    assert page.url.endswith("#d2")
    shot(page, "reconcile-keys-next")
    with page.expect_navigation():
        page.keyboard.press("d")  # drop the one in focus, the second
    assert decisions(study, "1") == {1: "accept_a", 2: "drop"}
    page.wait_for_function("() => document.activeElement.id === 'd3'")
    page.keyboard.press("e")  # edit: the agreed coding's form opens, at its code
    assert page.locator("#d3 details.edit").get_attribute("open") is not None
    assert page.evaluate("document.activeElement.name") == "edit_code"
    page.keyboard.press("a")  # typed into the field, not a decision
    assert decisions(study, "1") == {1: "accept_a", 2: "drop"}
    assert violations(page) == []


def test_undoing_brings_the_focus_back_to_that_disagreement(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/reconcile/1")
    with page.expect_navigation():
        page.locator("#d1").get_by_role("button", name="Undo").click()
    page.wait_for_function("() => document.activeElement.id === 'd1'")
    assert 1 not in decisions(study, "1")


def test_a_coder_gets_no_keys(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/reconcile/1")
    assert page.locator("#decide-keys").count() == 0
    assert page.locator('script[src="/static/reconcile.js"]').count() == 0
