"""Correcting a turn on the transcript page, in real headless Chromium (issue 16, item 3): edit
a turn's text in the corrections dialog and check that a coding on the same turn stays on its
words while the coding whose words changed follows them. Screenshotted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from thematica.service import StudyService


def texts(study: Path, *ids: int) -> list[str]:
    with StudyService.open(str(study)) as s:
        return [s.coding(i).text for i in ids]


def test_edit_a_turn_and_a_coding_on_the_same_turn_stays_on_its_words(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/transcripts/6")
    kept_before, edited_before = texts(study, 91, 89)
    turn = page.locator('.turn[data-position="5"]')
    turn.get_by_role("button", name="Correct turn 6").click()
    dialog = page.locator("#correct")
    assert dialog.is_visible()
    box = page.locator("#correct-text")
    assert box.input_value().startswith("Oh, they feed each other")
    box.fill(box.input_value().replace("Pain wears you down", "Pain grinds you down"))
    shot(page, "transcript-correct-dialog")
    with page.expect_navigation():
        page.locator("#correct-save").click()
    assert "Pain grinds you down" in page.locator('.turn[data-position="5"] .text').inner_text()
    kept, edited = texts(study, 91, 89)
    assert kept == kept_before and kept.startswith("You stop sleeping")
    assert edited == edited_before.replace("wears", "grinds")
    with StudyService.open(str(study)) as s:
        flagged = {f.coding.id for f in s.as_member("Tom Okafor").flagged_codings()}
    assert flagged == {88, 89, 343}  # the codings of that sentence, both coders and levels
    page.locator('.turn[data-position="5"]').scroll_into_view_if_needed()
    shot(page, "transcript-corrected")
    # the coder sees the flags on the page, and says "looked at" for one of theirs
    # (the page shows level one: 88 and 89; 343 is the agreed coding, on the reconcile side)
    assert "2 codings to look at" in page.locator("#flag-notice").inner_text()
    assert page.locator(".codings li:has(.flag)").count() == 2
    mine = page.locator(".codings li:has(.flag) button.clear-flag")
    own = int(mine.first.get_attribute("data-coding") or 0)
    mine.first.click()
    page.wait_for_function("() => document.querySelectorAll('.codings .flag').length === 1")
    assert page.locator("#flag-message").inner_text() == "1 still to look at."
    with StudyService.open(str(study)) as s:
        left = {f.coding.id for f in s.as_member("Tom Okafor").flagged_codings("6")}
    assert left == flagged - {own}


def test_a_reader_gets_no_correct_button(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    page = browser_page
    sign_in(page, url, "Helen Marsh")
    page.goto(url + "/transcripts/1")
    assert page.locator(".correct-turn").count() == 0
