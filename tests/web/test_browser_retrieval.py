"""Issue 14 item 4 in the browser (Chromium): a code's quotes downloaded as DOCX from the page and
read back with python-docx; a quote's neighbouring turns opened; quotes grouped; a matrix cell
opened to the quotes behind it; the theme map on the themes page and its downloads. Screenshots
at 1366x768 and at 200 % zoom go to test-results/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page

from tests.web.conftest import shot, sign_in
from tests.web.test_retrieval_quotes import busiest_code
from thematica.service import StudyService

CODER = "Tom Okafor"


@pytest.fixture(scope="module")
def signed_in(server: tuple[str, Path], browser_page: Page) -> Page:
    sign_in(browser_page, server[0], CODER)
    return browser_page


@pytest.fixture(scope="module")
def zoomed(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    """The same pages as at 200 % browser zoom on a 1366x768 screen."""
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, server[0], CODER)
    yield page
    context.close()


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


def test_a_codes_quotes_download_as_docx_from_the_page(
    server: tuple[str, Path], signed_in: Page, tmp_path: Path
) -> None:
    url, study = server
    code_id, codings = busiest_code(study)
    page = signed_in
    page.goto(f"{url}/codes/{code_id}/quotes")
    shot(page, "retrieval-code-quotes")
    with page.expect_download() as info:
        page.get_by_role("link", name="DOCX", exact=True).click()
    download = info.value
    assert download.suggested_filename.startswith(
        "quotes-"
    ) and download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    doc = Document(str(saved))
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert sorted(quotes) == sorted(f"“{c.text.strip()}”" for c in codings)
    labels = [p.text.split(" (")[0] for p in doc.paragraphs if p.text.startswith("— ")]
    assert sorted(labels) == sorted(f"— {c.participant}" for c in codings)


def test_a_quote_opens_onto_the_turns_before_and_after_it(
    server: tuple[str, Path], signed_in: Page
) -> None:
    url, study = server
    code_id, codings = busiest_code(study)
    first = codings[0]
    with StudyService.open(str(study)) as s:
        t = s.transcript(str(first.transcript_id))
    at = next(i for i, turn in enumerate(t.turns) if turn.start <= first.start < turn.end)
    page = signed_in
    page.goto(f"{url}/codes/{code_id}/quotes")
    quote = page.locator("li.quote").first
    assert quote.locator("mark.quoted").inner_text() == first.text
    before = quote.locator("details.ctx-before")
    neighbour = t.turns[at - 1].text
    assert not before.locator(".ctx-turn").is_visible()
    before.locator("summary").click()
    assert before.locator(".ctx-turn").is_visible()
    assert neighbour in before.locator(".ctx-turn").inner_text()
    quote.locator("details.ctx-after summary").click()
    assert t.turns[at + 1].text in quote.locator("details.ctx-after .ctx-turn").inner_text()
    assert "Download these quotes" in page.locator(".downloads").inner_text()
    shot(page, "retrieval-quote-context-open")


def test_quotes_group_by_participant_group_from_the_page(
    server: tuple[str, Path], signed_in: Page, zoomed: Page
) -> None:
    url, study = server
    code_id, _codings = busiest_code(study)
    page = signed_in
    page.goto(f"{url}/codes/{code_id}/quotes")
    page.get_by_label("Group quotes by").select_option("group")
    page.get_by_role("button", name="Group").click()
    page.wait_for_url("**group_by=group")
    headings = page.locator("h2.quote-group").all_inner_texts()
    assert {h.split(" (")[0] for h in headings} == {"Occupational therapist", "Physiotherapist"}
    assert "group_by=group" in (page.get_by_role("link", name="CSV").get_attribute("href") or "")
    shot(page, "retrieval-quotes-grouped")
    zoomed.goto(f"{url}/codes/{code_id}/quotes?group_by=group")
    zoomed.locator("details.ctx-before summary").first.click()
    assert no_sideways_scroll(zoomed)
    shot(zoomed, "retrieval-quotes-grouped-200")


def test_a_matrix_cell_opens_its_quotes_and_they_are_as_many_as_it_says(
    server: tuple[str, Path], signed_in: Page, zoomed: Page
) -> None:
    url, _study = server
    page = signed_in
    page.goto(f"{url}/analysis/matrix?by=group")
    shot(page, "retrieval-matrix-links")
    cell = page.locator("td.cell a.cell-link").nth(1)
    participants = int(cell.locator(".nN").inner_text().split("/")[0])
    codings = int(cell.locator(".codings").inner_text().split()[0])
    cell.click()
    page.wait_for_url("**/analysis/quotes?**")
    assert page.locator("li.quote").count() == codings
    shown = set(page.locator("li.quote .participant").all_inner_texts())
    assert len(shown) == participants
    assert page.locator(".cell-codings").inner_text().startswith(str(codings))
    shot(page, "retrieval-matrix-cell-quotes")
    zoomed.goto(f"{url}/analysis/matrix?by=group")
    assert no_sideways_scroll(zoomed)
    shot(zoomed, "retrieval-matrix-links-200")
    zoomed.goto(page.url)
    assert no_sideways_scroll(zoomed)
    shot(zoomed, "retrieval-matrix-cell-quotes-200")


def test_a_cooccurrence_cell_opens_the_turns_it_counts(
    server: tuple[str, Path], signed_in: Page
) -> None:
    url, _study = server
    page = signed_in
    page.goto(f"{url}/analysis/cooccurrence")
    link = page.locator("table.heat td a").first
    turns = int(link.inner_text())
    link.click()
    page.wait_for_url("**/analysis/cooccurrence/quotes?**")
    assert page.locator("li.shared-turn").count() == turns
    assert page.locator("li.shared-turn").first.locator("mark.code-a").count() >= 1
    assert page.locator("li.shared-turn").first.locator("mark.code-b").count() >= 1
    shot(page, "retrieval-cooccurrence-turns")
