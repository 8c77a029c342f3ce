"""The recruitment page and the overview's stopping view in real headless Chromium: a lead adds
screening criteria and candidates, screens one eligible and one ineligible, records consent
(the candidate joins the register as the next physio), meets a clear refusal for a consent dated
before screening, sets the plan and records the decision to stop, which the overview then shows.
A coder has no recruitment page. Screenshots: the page, the refusal and the overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import shot, sign_in
from thematica.service import StudyService

LEAD = "Rachel Ames"


def test_a_lead_keeps_the_recruitment_log_in_the_browser(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, study = server
    page = browser_page
    sign_in(page, url, LEAD)
    stop_view = page.locator("section.stopping")
    expect(stop_view).to_contain_text("10 interviews coded (no planned maximum recorded)")
    expect(stop_view.locator(".stop-verdict")).to_have_text(
        "Saturation reached at 6+2: recruitment may stop."
    )
    expect(stop_view.locator("svg.stop-curve rect")).to_have_count(10)

    page.get_by_role("link", name="Recruitment").click()
    page.wait_for_url(url + "/recruitment")
    for key, text, kind in (("I1", "Registered physiotherapist or OT", "inclusion"),
                            ("E1", "Works only in research", "exclusion")):  # fmt: skip
        page.locator("#crit-key").fill(key)
        page.locator("#crit-text").fill(text)
        page.locator("#crit-kind").select_option(kind)
        page.get_by_role("button", name="Add criterion").click()
        page.wait_for_url(url + "/recruitment")
    for ref in ("C01", "C02"):
        page.locator("#add-ref").fill(ref)
        page.locator("#add-group").fill("Physiotherapist")
        page.locator("#add-source").fill("professional body")
        page.locator("#add-approach").fill("email")
        page.locator("#add-date").fill("2026-03-01")
        page.get_by_role("button", name="Add candidate").click()
        page.wait_for_url(url + "/recruitment")
    # C01 meets every criterion (the checklist's defaults); C02 works only in research
    page.locator("#screen-ref").select_option("C01")
    page.locator("#screen-date").fill("2026-03-05")
    page.get_by_role("button", name="Record screening").click()
    page.locator("#screen-ref").select_option("C02")
    page.get_by_label("E1 (exclusion): Works only in research").select_option("E1=yes")
    page.locator("#screen-date").fill("2026-03-05")
    page.get_by_role("button", name="Record screening").click()
    rows = page.locator(".recruitment-table tbody tr")
    expect(rows.nth(0)).to_contain_text("eligible")
    expect(rows.nth(1)).to_contain_text("ineligible")
    expect(rows.nth(1)).to_contain_text("criterion E1")

    # a consent dated before the screening is refused with a clear message, and nothing changes
    page.locator("#consent-sheet").fill("v2")
    page.locator("#consent-form").fill("v1.1")
    page.locator("#consent-kept").fill("Site file A, section 3")
    page.locator("#consent-date").fill("2026-03-04")
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator("main")).to_contain_text(
        "candidate C01: consent dated 2026-03-04, before their screening on 2026-03-05"
    )
    shot(page, "recruitment-refused")
    with StudyService.open(str(study)) as s:
        assert s.candidate("C01").status == "eligible"
        assert "Physio 8" not in {p.label for p in s.participants()}

    page.goto(url + "/recruitment")
    page.locator("#consent-sheet").fill("v2")
    page.locator("#consent-form").fill("v1.1")
    page.locator("#consent-kept").fill("Site file A, section 3")
    page.locator("#consent-date").fill("2026-03-08")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_url(url + "/recruitment")
    expect(rows.nth(0)).to_contain_text("consented")
    expect(rows.nth(0)).to_contain_text("Physio 8")
    expect(page.locator(".flow")).to_contain_text("2 approached")
    expect(page.locator(".flow")).to_contain_text("1 consented")

    page.locator("#plan-max").fill("12")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(url + "/recruitment")
    page.locator("#stop-memo").fill("No new codes in the last four interviews.")
    page.get_by_role("button", name="Record the decision to stop").click()
    page.wait_for_url(url + "/recruitment")
    expect(page.locator(".stop-decision")).to_contain_text(
        f"on {dt.date.today().isoformat()} by {LEAD}, after 10 interviews"
    )
    page.set_viewport_size({"width": 1366, "height": 1400})
    shot(page, "recruitment-page")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(url + "/")
    expect(stop_view).to_contain_text("10 interviews coded of a planned maximum of 12")
    expect(stop_view.locator(".stop-decision")).to_contain_text(
        "“No new codes in the last four interviews.”"
    )
    shot(page, "overview-stopping")


def test_a_coder_has_no_recruitment_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, _ = server
    page = browser_page
    sign_in(page, url, "Tom Okafor")
    expect(page.get_by_role("link", name="Recruitment")).to_have_count(0)
    response = page.goto(url + "/recruitment")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("only a lead can keep the recruitment log")
