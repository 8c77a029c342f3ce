"""The withdrawal confirmation in Chromium (issue 18, item 3): a lead chooses a participant,
sees what will go, and the withdrawal happens only once the confirmation is ticked; a coder
gets no page. Screenshots: withdraw-plan, withdraw-done."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"
WHO = "Physio 4"


def labels(study: Path) -> list[str]:
    with StudyService.open(str(study)) as service:
        return [p.label for p in service.participants()]


def test_the_withdrawal_needs_the_plan_and_a_tick(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, LEAD)
    page.get_by_role("link", name="Withdrawal").click()
    page.wait_for_url(url + "/withdraw")
    assert page.get_by_role("button", name=f"Withdraw {WHO}").count() == 0  # no plan yet
    page.get_by_label("Participant", exact=True).select_option(WHO)
    page.get_by_role("button", name="Show what will go").click()
    page.wait_for_url("**/withdraw?participant=Physio+4")
    plan = page.locator(".withdraw-plan")
    assert "Withdrawing Physio 4 removes" in plan.inner_text()
    assert "Tom Okafor" in plan.inner_text()
    assert "Let us be physios" in plan.inner_text()  # a theme whose count changes
    assert "1/10" in plan.inner_text() and "0/9" in plan.inner_text()
    page.get_by_label("Reason").select_option("changed-mind")
    shot(page, "withdraw-plan")
    page.locator(".withdraw-confirm").scroll_into_view_if_needed()
    shot(page, "withdraw-confirm")
    button = page.get_by_role("button", name=f"Withdraw {WHO}")
    button.click()  # not ticked: the browser holds the form
    assert "participant=Physio+4" in page.url
    assert WHO in labels(study)
    page.get_by_label("I understand", exact=False).check()
    button.click()
    page.wait_for_url("**/withdraw?done=Physio%204")
    assert page.get_by_role("status").inner_text().startswith("Physio 4 has been withdrawn")
    assert WHO not in labels(study)
    withdrawn = page.locator(".withdrawn table").inner_text()
    assert WHO in withdrawn and "changed-mind" in withdrawn and LEAD in withdrawn
    options = page.get_by_label("Participant", exact=True).locator("option").all_inner_texts()
    assert not any(o.startswith(WHO) for o in options)
    shot(page, "withdraw-done")


def test_a_coder_has_no_withdrawal_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, _study = server
    page = browser_page
    sign_in(page, url, CODER)
    assert page.get_by_role("link", name="Withdrawal").count() == 0
    answer = page.goto(url + "/withdraw")
    assert answer is not None and answer.status == 403
    assert "only a lead can withdraw a participant" in page.inner_text("main")
