"""Acceptance, in real headless Chromium: "writing a journal entry" (and finding it again by
search), and "searching and coding the results" (a filter, a confirmation, then the study)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import codings_by, shot
from thematica.service import StudyService

CODER = "Tom Okafor"


def sign_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/identity")
    page.get_by_label(name).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(url + "/")


def test_writing_a_journal_entry(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, CODER)
    page.get_by_role("link", name="Journal", exact=True).click()
    page.wait_for_url(url + "/journal")
    assert page.get_by_role("heading", name="Reflexive journal").is_visible()
    # keyboard only: focus the entry, type, tab through kind and links, submit
    page.get_by_label("Entry", exact=True).focus()
    page.keyboard.type("Physio 1's tiredness echoes my own clinic years; watch for projection.")
    page.get_by_label("Field note").check()
    page.get_by_label("Linked transcripts").select_option(label="Physio 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save entry").click()
    entry = page.locator("article.entry").first
    assert "watch for projection" in entry.inner_text()
    assert entry.get_by_role("link", name="Physio 1").is_visible()
    assert "Field note" in entry.inner_text()
    page.get_by_label("Entry", exact=True).fill("Second thought: time pressure everywhere.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save entry").click()
    assert page.locator("article.entry").count() == 2
    shot(page, "journal")
    # find it by searching the journal
    page.get_by_label("Words").fill("PROJECTION")
    with page.expect_navigation():
        page.get_by_role("button", name="Search entries").click()
    assert page.locator("article.entry").count() == 1
    assert "watch for projection" in page.locator("article.entry").inner_text()
    # edit it (a details disclosure, opened from the keyboard)
    page.locator("article.entry summary").focus()
    page.keyboard.press("Enter")
    editor = page.locator("article.entry textarea")
    editor.fill("Physio 1's tiredness echoes my own clinic years; I will bracket it.")
    with page.expect_navigation():
        page.locator("article.entry").get_by_role("button", name="Save changes").click()
    with StudyService.open(str(study)) as s:
        mine = s.journal(CODER)
    assert [e.text for e in mine][
        1
    ] == "Physio 1's tiredness echoes my own clinic years; I will bracket it."
    assert mine[1].kind == "field-note" and [t.label for t in mine[1].transcripts] == ["Physio 1"]
    assert s.journal("Rachel Ames") == ()


def test_searching_and_coding_the_results(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, CODER)
    page.goto(url + "/search")
    page.get_by_label("Search for").fill('"low mood"')
    page.get_by_label("Participant attribute").select_option("group")
    page.get_by_label("Attribute value").fill("Physiotherapist")
    page.get_by_label("Search for").press("Enter")
    page.wait_for_url("**/search?**")
    hits = page.locator("li.hit")
    n = hits.count()
    assert n >= 2
    assert page.locator("li.hit mark").count() >= n
    assert all(hits.nth(i).locator("a").inner_text().startswith("Physio") for i in range(n))
    page.get_by_text("Code all results…").click()
    page.get_by_label("Code (level one; a new name creates it)").fill("Low mood named")
    with page.expect_navigation():
        page.get_by_role("button", name="Review before coding").click()
    dialog = page.get_by_role("alertdialog")
    assert "(a new code)" in dialog.inner_text() and "the matched words" in dialog.inner_text()
    assert codings_by(study, CODER).count(("Low mood named", "low mood")) == 0  # not yet
    shot(page, "search")
    matches = page.locator("li.hit mark").count()
    confirm = page.get_by_role("button", name=f"Code {matches} results")
    with page.expect_navigation():
        confirm.click()
    assert page.get_by_role("status").filter(has_text="Coded").is_visible()
    page.locator("li.hit").first.scroll_into_view_if_needed()
    shot(page, "search-results")
    coded = [c for c in codings_by(study, CODER) if c[0] == "Low mood named"]
    assert len(coded) == matches and {t.lower() for _, t in coded} == {"low mood"}
    with StudyService.open(str(study)) as s:
        participants = {c.participant for c in s.codings(code=("Low mood named",))}
    assert participants and all(p and p.startswith("Physio") for p in participants)
    # following a result opens the transcript at that turn
    link = page.locator("li.hit a").first
    href = link.get_attribute("href")
    assert href and "#o" in href
    with page.expect_navigation():
        link.click()
    assert page.locator(f"#{href.split('#')[1]}").is_visible()


def test_a_memo_on_a_code_with_the_partial(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, CODER)
    page.goto(url + "/memos")
    page.get_by_label("Transcript or code").select_option(label="Transcript: Physio 3")
    with page.expect_navigation():
        page.get_by_role("button", name="Show memos").click()
    page.get_by_label("New memo").fill("Rich on continuity of care; compare OT 2.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add memo").click()
    assert page.get_by_text("Rich on continuity of care; compare OT 2.").first.is_visible()
    shot(page, "memos")
    with StudyService.open(str(study)) as s:
        tid = next(t.id for t in s.transcripts() if t.participant == "Physio 3")
        assert [(m.author, m.text) for m in s.memos(f"transcript:{tid}")] == [
            (CODER, "Rich on continuity of care; compare OT 2.")
        ]
