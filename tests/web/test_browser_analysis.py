"""The analysis pages in real headless Chromium at 1366x768: each page opens, shows its key figure
(the same number the service computes), works with the keyboard, passes axe-core with no serious
or critical violation, stays usable at 200 % zoom, and is screenshotted."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.service import StudyService


def test_sign_in_and_open_the_analysis_index(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, "Rachel Ames")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Analysis").click()
    page.wait_for_url(url + "/analysis")
    with StudyService.open(str(study)) as service:
        guest = service.saturation().guest.notation
    assert page.get_by_role("heading", name="Analysis", exact=True).is_visible()
    assert page.locator(".figure-value", has_text=guest).is_visible()
    for name in ("Agreement between two coders", "Saturation", "Co-occurrence"):
        assert page.locator(".analyses").get_by_role("link", name=name).is_visible()
    shot(page, "analysis")


def test_agreement_page_with_the_keyboard(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/analysis/agreement")
    with StudyService.open(str(study)) as service:
        report = service.agreement("Rachel Ames", "Tom Okafor")
    kappa = f"{report.pooled_characters.pooled_kappa:.4f}"
    assert page.locator(".figure-value").first.inner_text() == kappa
    assert page.get_by_role("heading", name="Agreement: Rachel Ames and Tom Okafor").is_visible()
    shot(page, "agreement")
    # keyboard only: focus a code's link, press Enter, the per-transcript table appears
    first = report.codes[0]
    link = page.locator("table.figures-table tbody th a").first
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    heading = page.get_by_role(
        "heading", name=f"{' > '.join(first.code)}: transcript by transcript"
    )
    assert heading.is_visible()
    rows = page.locator("#per-transcript tbody tr")
    assert rows.count() == len(first.characters)
    differing = {d.transcript_id for d in report.disagreements if d.code == first.code}
    links = page.locator("#per-transcript a", has_text="Reconcile")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {f"/reconcile/{t}" for t in differing}
    shot(page, "agreement-code")
    # the form works from the keyboard: compare the agreed (level-two) codes
    page.locator("#level").focus()
    page.keyboard.press("ArrowDown")
    page.locator("button", has_text="Compare").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "level=2" in page.url and page.locator("#level").input_value() == "2"
    assert page.get_by_text("Level 2 ·").is_visible()


def test_matrix_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/analysis/matrix")
    with StudyService.open(str(study)) as service:
        report = service.matrix("group")
    first = report.rows[0].cells[0]
    cell = page.locator("table.matrix tbody tr").first.locator("td").first
    assert cell.locator(".nN").inner_text() == f"{first.participants}/{first.total}"
    for value, total in report.values:
        assert page.get_by_role("columnheader", name=f"{value} (N = {total})").is_visible()
    shot(page, "matrix")
    page.select_option("#rows", "codes")
    page.locator("button", has_text="Show").click()
    page.wait_for_url("**rows=codes**")
    assert page.get_by_role("heading", name="Codes by group").is_visible()


def test_counts_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/analysis/counts?by=group")
    with StudyService.open(str(study)) as service:
        report = service.counts(by="group")
    first = report.themes[0]
    row = page.locator("table.counts-table tbody tr").first
    assert row.locator(".nN").inner_text() == f"{first.rolled_up}/{first.total}"
    for value, total in report.groups:
        assert page.get_by_role("columnheader", name=f"{value} (N = {total})").first.is_visible()
    shot(page, "counts")
    page.select_option("#by", "")
    page.locator("button", has_text="Show").click()
    page.wait_for_url("**/analysis/counts?level=2&by=")
    assert page.get_by_role("heading", name="Themes").is_visible()


def test_saturation_page_draws_the_chart(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/analysis/saturation")
    with StudyService.open(str(study)) as service:
        report = service.saturation()
    chart = page.get_by_role("img", name=f"New and cumulative codes over {len(report.interviews)}")
    assert chart.is_visible()
    assert page.locator("svg .bars rect").count() == len(report.interviews)
    assert page.locator(".figure-value").first.inner_text() == report.guest.notation
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 250
    shot(page, "saturation")
    page.locator("#base").fill("5")
    page.locator("#base").press("Enter")
    page.wait_for_url("**base=5**")
    assert page.get_by_text("Base 5, run 2").is_visible()


def test_cooccurrence_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    page.goto(url + "/analysis/cooccurrence")
    with StudyService.open(str(study)) as service:
        top = service.cooccurrence().pairs[0]
    row = page.locator("table.pairs-table tbody tr").first
    assert " > ".join(top.a) in row.inner_text() and " > ".join(top.b) in row.inner_text()
    assert row.locator("td").first.inner_text() == str(top.turns_both)
    shot(page, "cooccurrence")
    page.goto(url + "/analysis/cooccurrence?level=1")
    assert page.locator("table.heat tbody tr").count() > 10
    shot(page, "cooccurrence-level1")


def test_pages_at_200_percent_zoom_do_not_overflow(
    server: tuple[str, Path], browser_page: Page
) -> None:
    """At 200 % zoom (a 683-pixel-wide viewport) nothing pushes the page sideways: wide tables
    scroll inside their own region."""
    url, _ = server
    page = browser_page
    page.set_viewport_size({"width": 683, "height": 384})
    try:
        for path in (
            "",
            "/agreement",
            "/counts?by=setting",
            "/matrix",
            "/saturation",
            "/cooccurrence?level=1",
        ):
            page.goto(url + "/analysis" + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"/analysis{path} overflows by {overflow}px"
            if path == "/saturation":
                page.get_by_role(
                    "img", name="New and cumulative codes"
                ).scroll_into_view_if_needed()
                shot(page, "saturation-zoom200")
    finally:
        page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/agreement",
        "/agreement?code=Pain+and+mood+%3E+Feeding+each+other",
        "/counts",
        "/counts?by=group&level=1",
        "/matrix",
        "/saturation",
        "/cooccurrence",
        "/cooccurrence?level=1",
    ],
)
def test_analysis_pages_are_accessible(
    server: tuple[str, Path], browser_page: Page, path: str
) -> None:
    url, _ = server
    response = browser_page.goto(url + "/analysis" + path)
    assert response is not None and response.status == 200
    assert violations(browser_page) == [], path
