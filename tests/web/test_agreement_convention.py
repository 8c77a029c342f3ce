"""The agreement page and its JSON twin take the character convention (``applied``, the
default, or ``nvivo``) as a query parameter, and the page offers it in its form."""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in
from thematica.domain import Level
from thematica.service import StudyService

A, B = "Rachel Ames", "Tom Okafor"


def test_the_twin_carries_the_nvivo_convention(client: TestClient, demo: Path) -> None:
    client.post("/identity", data={"name": A})
    default = client.get("/api/analysis/agreement").json()
    nvivo = client.get("/api/analysis/agreement", params={"convention": "nvivo"}).json()
    with StudyService.open(str(demo)) as s:
        report = s.agreement(A, B, level=Level.ONE, convention="nvivo")
    assert (default["convention"], nvivo["convention"]) == ("applied", "nvivo")
    assert nvivo["pooled_characters"] == asdict(report.pooled_characters)
    assert nvivo["method"] == list(report.method)
    assert any("NVivo convention" in line for line in nvivo["method"])
    transcripts = nvivo["transcripts"]
    for c in nvivo["codes"]:  # every transcript in scope, for every code
        assert [s["transcript_id"] for s in c["characters"]] == transcripts
    assert nvivo["pooled_participants"] == default["pooled_participants"]
    refused = client.get("/api/analysis/agreement", params={"convention": "maxqda"})
    assert refused.status_code == 422
    assert "convention must be one of applied, nvivo" in refused.json()["error"]
    page = client.get("/analysis/agreement", params={"convention": "nvivo"}).text
    assert '<option value="nvivo" selected>' in page
    assert "NVivo convention" in html.unescape(page)


def test_browser_agreement_with_the_nvivo_convention(
    server: tuple[str, Path], browser_page: Page
) -> None:
    url, _study = server
    page = browser_page
    sign_in(page, url, A)
    page.goto(url + "/analysis/agreement")
    page.get_by_label("Characters over").select_option("nvivo")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**convention=nvivo**")
    assert page.get_by_text("NVivo convention").first.is_visible()
    shot(page, "agreement-nvivo-convention")
