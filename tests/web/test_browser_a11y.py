"""Every workbench page passes axe-core (vendored from npm, tests/web/vendor) with no serious or
critical violation, and stays usable at 200 % zoom (1366x768 at 200 % = a 683x384 CSS-pixel
viewport): no sideways scrolling of the page. Screenshots of both go to test-results/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import shot, sign_in

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# (screenshot name, path) of every page; the lead sees every one of them
PAGES = [
    ("overview", "/"),
    ("transcript", "/transcripts/1"),
    ("reconcile-list", "/reconcile"),
    ("reconcile", "/reconcile/1"),
    ("codebook-page", "/codebook"),
    ("code-page", "/codebook/2"),
    ("themes-page", "/themes"),
    ("theme-quotes", "/themes/3/quotes"),
    ("code-quotes", "/codes/2/quotes"),
    ("analysis-page", "/analysis"),
    ("agreement-page", "/analysis/agreement"),
    ("counts-page", "/analysis/counts?by=group"),
    ("matrix-page", "/analysis/matrix?by=group"),
    ("saturation-page", "/analysis/saturation"),
    ("cooccurrence-page", "/analysis/cooccurrence"),
    ("anonymise-review", "/anonymise"),
    ("search-empty", "/search"),
    ("search-pain", "/search?q=pain"),
    ("journal-page", "/journal"),
    ("memos-page", "/memos"),
    ("draft-audit", "/draft-audit"),
    ("import-page-demo", "/import"),
    ("withdraw-page", "/withdraw?participant=Physio+4"),
]


def violations(page: Page) -> list[dict[str, Any]]:
    # evaluated through the DevTools protocol: a <script> element added to the page (what
    # add_script_tag does) is inline script, which the workbench's Content-Security-Policy refuses
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def zoomed(browser: Browser) -> Iterator[Page]:
    """A page as at 200 % browser zoom on a 1366x768 screen."""
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_identity_page_is_accessible(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    browser_page.goto(url + "/identity")
    assert violations(browser_page) == []


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_every_page_is_accessible(
    server: tuple[str, Path], browser_page: Page, name: str, path: str
) -> None:
    url, _ = server
    page = browser_page
    if "thematica_member" not in {c["name"] for c in page.context.cookies()}:
        sign_in(page, url, "Rachel Ames")
    response = page.goto(url + path)
    assert response is not None and response.status == 200
    assert violations(page) == [], path
    shot(page, name)


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_every_page_at_200_percent_zoom(
    server: tuple[str, Path], zoomed: Page, name: str, path: str
) -> None:
    url, _ = server
    page = zoomed
    if "thematica_member" not in {c["name"] for c in page.context.cookies()}:
        sign_in(page, url, "Rachel Ames")
    page.goto(url + path)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 200 % zoom"
    assert page.locator("main h1").first.is_visible()
    shot(page, f"zoom-{name}")
