"""Blind coding in real headless Chromium, as a coder: the codebook counts only what the coder
may see, a level-one code's page says why it cannot be merged, and the analysis pages open on
the agreed level (level one is the lead's until blind coding ends). Each page passes axe-core
with no serious or critical violation and is screenshotted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from tests.web.test_browser_a11y import violations
from thematica.domain import Level
from thematica.service import StudyService

STEPS = ("Goals and activity", "Graded steps")


@pytest.fixture(scope="module")
def blind(server: tuple[str, Path]) -> Iterator[tuple[str, Path]]:
    url, study = server
    with StudyService.open(str(study)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    yield url, study
    with StudyService.open(str(study)) as s:
        s.set_blind_coding(False, by="Rachel Ames")


def test_a_coder_sees_their_own_counts_and_no_merge(
    blind: tuple[str, Path], browser_page: Page
) -> None:
    url, study = blind
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    with StudyService.open(str(study)) as s:
        code = next(c for c in s.codes(Level.ONE) if c.path == STEPS)
        own = sum(1 for c in s.codings(level=Level.ONE, visible_to="Tom Okafor") if c.code == STEPS)
    assert 0 < own < code.codings
    page.goto(url + "/codebook")
    row = page.locator(f"li#c{code.id} > .row")
    assert row.locator(".count").inner_text() == str(own)
    page.goto(url + f"/codebook/{code.id}")
    assert page.get_by_text(f"{own} codings").is_visible()
    merge = page.locator("section", has=page.get_by_role("heading", name="Merge"))
    assert merge.get_by_text("only a lead merges level-one codes").is_visible()
    assert merge.get_by_role("button", name="Merge").count() == 0
    assert violations(page) == []
    shot(page, "code-blind-coder")


def test_analysis_opens_on_the_agreed_level(blind: tuple[str, Path], browser_page: Page) -> None:
    url, _ = blind
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    page.goto(url + "/analysis/saturation")
    assert page.locator("#level").input_value() == "2"
    assert page.get_by_role("img", name="New and cumulative codes").is_visible()
    assert violations(page) == []
    shot(page, "saturation-blind-coder")
    page.locator("#level").select_option("1")
    page.get_by_role("button", name="Recalculate").click()
    page.wait_for_url("**level=1**")
    assert page.get_by_role("alert").inner_text().startswith("the study codes blind")
    assert violations(page) == []
    shot(page, "saturation-blind-level-one-refused")
