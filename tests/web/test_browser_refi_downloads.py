"""The REFI-QDA downloads in real headless Chromium: the codebook's link downloads
``codebook.qdc``; the lead's "REFI-QDA project" link on the overview, while the demo is not
anonymised, opens the page that says why it is refused (the links carry no ``download``
attribute, so a refusal is shown, not a failed download). Screenshotted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in


def test_the_codebook_downloads_and_a_refused_export_says_why(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, _study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.goto(url + "/codebook")
    with page.expect_download() as fetched:
        page.get_by_role("link", name="REFI-QDA (.qdc)").click()
    assert fetched.value.suggested_filename == "codebook.qdc"
    assert b"<CodeBook" in Path(fetched.value.path()).read_bytes()
    page.goto(url + "/")
    link = page.get_by_role("link", name="REFI-QDA project (.qdpx)")
    assert link.is_visible()
    shot(page, "overview-lead-export")
    link.click()
    page.wait_for_url(url + "/study.qdpx")
    assert page.get_by_role("heading", name="Not exported: it may hold identifiers").is_visible()
    assert "possible identifiers in the study" in page.content()
    assert "anonymise the study first" in page.content()
    shot(page, "export-refused")
