"""Acceptance, in real headless Chromium: auditing the planted-error draft from the workbench
(upload, the results table, a claim's link to its node's quotes, a quote's to its transcript)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.manuscript.drafts import planted_docx
from tests.web.conftest import shot
from tests.web.test_browser_a11y import violations


def sign_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/identity")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(url + "/")


def test_auditing_a_draft(server: tuple[str, Path], browser_page: Page, tmp_path: Path) -> None:
    url, _study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.get_by_role("link", name="Audit a draft", exact=True).click()
    page.wait_for_url(url + "/draft-audit")
    shot(page, "draft-audit-empty")
    draft = tmp_path / "planted.docx"
    draft.write_bytes(planted_docx())
    page.get_by_label("Draft (.docx").set_input_files(str(draft))
    page.get_by_role("button", name="Audit", exact=True).click()
    summary = page.locator("#audit-results .summary")
    summary.wait_for()
    assert "2 contradict" in summary.inner_text()
    rows = page.locator("#audit-results tr.status-contradicts")
    assert rows.count() == 2
    shot(page, "draft-audit-results")
    assert violations(page) == []  # axe: no serious or critical accessibility problem
    page.locator("#audit-results h3", has_text="Quotes").scroll_into_view_if_needed()
    shot(page, "draft-audit-quotes")
    page.get_by_role("link", name="Open in transcript: Physio 1").first.click()
    page.wait_for_url(url + "/transcripts/*")
    page.go_back()
    page.goto(url + "/draft-audit")
