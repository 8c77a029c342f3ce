"""The anonymisation page in Chromium: the residual check and the plan before Apply, and Apply
only once the confirmation is ticked (issue 10, item 5). Screenshots: anonymise-before-apply,
anonymise-after-apply."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from thematica.anonymise.keyfile import default_key_path
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy

LEAD, CODER = "Rachel Ames", "Tom Okafor"


def test_apply_shows_what_it_will_change_and_needs_a_tick(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    with StudyService.open(str(study)) as service:
        service.add_coding("Physio 3", ("Marcus Lowe's letter",), CODER, 0, 8, create_code=True)
        service.add_memo("transcript:1", "Gareth Powell phoned", by=LEAD)
        anon = AnonymisingStudy(service, default_key_path(str(study)))
        anon.scan()
        anon.decide(LEAD, accept_categories=["email"])
    page = browser_page
    sign_in(page, url, LEAD)
    page.goto(url + "/anonymise")
    summary = page.locator(".apply-summary")
    assert summary.inner_text().startswith("This will replace 1 passage in 1 transcript")
    assert "1 code name" in summary.inner_text() and "1 memo" in summary.inner_text()
    assert page.get_by_text("possible identifiers left").is_visible()
    assert "Marcus" not in page.locator(".check-list").inner_text()
    shot(page, "anonymise-before-apply")
    page.get_by_role("button", name="Apply accepted replacements").click()
    assert page.url == url + "/anonymise"  # the browser holds the form: nothing is ticked
    with StudyService.open(str(study)) as service:
        assert any(c.name == "Marcus Lowe's letter" for c in service.codes(counted=False))
    page.get_by_label("Yes, replace them", exact=False).check()
    page.get_by_role("button", name="Apply accepted replacements").click()
    page.wait_for_load_state()
    with StudyService.open(str(study)) as service:
        assert any(c.name == "[Colleague 1]'s letter" for c in service.codes(counted=False))
    assert "There is nothing to replace." in page.locator(".apply-summary").inner_text()
    assert page.get_by_role("button", name="Apply accepted replacements").count() == 0
    shot(page, "anonymise-after-apply")
