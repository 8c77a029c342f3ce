"""Marking a transcript checked against the recording on its page, in real headless Chromium
(issue 16, item 4): in checking, then checked; the overview counts it. Screenshotted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from thematica.domain import CheckingState
from thematica.service import StudyService


def test_a_coder_marks_a_transcript_checked(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/transcripts/5")
    state = page.locator("#checking-state")
    assert state.inner_text() == "not yet (automatic transcript)"
    page.locator("#mark-checking").click()
    page.wait_for_url(url + "/transcripts/5")
    assert state.inner_text() == "in checking"
    page.locator("#mark-checked").click()
    page.wait_for_url(url + "/transcripts/5")
    assert state.inner_text() == "checked"
    assert page.locator("#checking").get_by_text("Tom Okafor").is_visible()
    shot(page, "transcript-checked")
    with StudyService.open(str(study)) as s:
        found = next(t for t in s.transcripts() if t.id == 5)
    assert (found.checking, found.checked_by) == (CheckingState.CHECKED, "Tom Okafor")
    page.goto(url + "/")
    assert page.locator("#checked-progress").inner_text().startswith("1 of 10 transcripts")
    page.evaluate("document.getElementById('checked-progress').scrollIntoView()")
    shot(page, "overview-checked")
