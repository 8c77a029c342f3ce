"""The workbench's import page (issue 12): a lead maps a study imported from another tool onto
Thematica's method (agreed layer, themes from the code tree, groups, interview dates), the same
as ``qdpx import``'s options; page, JSON twin, forms, refusals; and in a real browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.exchange import team_study
from tests.web.conftest import shot, sign_in, sign_in_client
from thematica.domain import Level
from thematica.service import StudyService
from thematica.web.app import create_app


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    location = tmp_path / "team.thematica"
    StudyService.create_from_project(str(location), team_study.project()).close()
    return location


@pytest.fixture
def client(imported: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(imported)), base_url="http://127.0.0.1") as c:
        yield c


def test_the_page_offers_what_the_study_holds(client: TestClient) -> None:
    sign_in_client(client, "Ann")
    data = client.get("/api/import").json()
    assert data["coders"][0] == {"name": "Consensus", "looks_agreed": True}
    assert {c["name"] for c in data["coders"]} == {"Ann", "Ben", "Consensus"}
    assert data["attributes"] == ["interview_date", "profession", "age"]
    assert data["date_attributes"] == ["interview_date"]
    assert data["theme_parents"] == [" > ".join(path) for path in team_study.THEMES]
    page = client.get("/import")
    assert page.status_code == 200
    assert "Consensus (likely the agreed layer)" in page.text
    assert 'href="/import"' in page.text  # the lead's nav link


def test_the_forms_apply_the_mappings(client: TestClient, imported: Path) -> None:
    sign_in_client(client, "Ann")
    for path, data in (
        ("/import/set-group", {"attribute": "profession"}),
        ("/import/set-dates", {"attribute": "interview_date"}),
        ("/import/promote", {"coder": "Consensus"}),
        ("/import/themes-from-tree", {}),
    ):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/import?done=")
    shown = client.get(response.headers["location"]).text
    assert "Made 6 uncoded parent codes into the theme framework" in shown
    with StudyService.open(str(imported)) as s:
        counts = {t.path: t.rolled_up for t in s.counts(level=Level.TWO).themes}
        entries = [
            e
            for e in s.audit_log().entries
            if e.action.startswith("import.") and e.action != "import.qdpx"
        ]
    assert counts == team_study.EXPECTED_LEVEL_TWO
    assert {e.client for e in entries} == {"web:testclient"} and len(entries) == 4
    assert client.get("/api/import").json()["theme_parents"] == []


def test_bad_input_and_other_members_are_refused(client: TestClient, imported: Path) -> None:
    before = snapshot(str(imported))
    sign_in_client(client, "Ben")
    assert client.get("/import").status_code == 403
    assert client.post("/import/promote", data={"coder": "Consensus"}).status_code == 403
    assert 'href="/import"' not in client.get("/").text
    sign_in_client(client, "Ann")
    refused = client.post("/import/set-dates", data={"attribute": "profession"})
    assert refused.status_code == 422 and "'Physiotherapist' is not a date" in unescape(
        refused.text
    )
    refused = client.post("/import/promote", data={"coder": "Nobody"})
    assert refused.status_code == 404 and "no team member 'Nobody'" in unescape(refused.text)
    refused = client.post("/import/set-group", data={"attribute": ""})
    assert refused.status_code == 422
    after = snapshot(str(imported))
    keep = {"audit_log", "signin_sessions", "signin_failures"}
    assert {k: v for k, v in after.items() if k not in keep} == {
        k: v for k, v in before.items() if k not in keep
    }


@contextmanager
def serve(location: Path) -> Iterator[str]:
    """The workbench on ``location`` in a thread, on a free port: its address."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(create_app(str(location)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the workbench did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def served(imported: Path) -> Iterator[str]:
    with serve(imported) as url:
        yield url


def test_the_import_page_in_a_browser(served: str, imported: Path) -> None:
    from tests.web.conftest import ARGS, CHROMIUM, need_chromium

    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        sign_in(page, served, "Ann")
        page.get_by_role("link", name="Import", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import")
        expect(
            page.get_by_role("heading", name="Bring an imported project into Thematica's method")
        ).to_be_visible()
        expect(page.get_by_label("User holding the agreed coding")).to_have_value("Consensus")
        shot(page, "import-page")
        expect(page.get_by_label("Attribute", exact=True)).to_have_value("profession")
        page.get_by_role("button", name="Group participants by it").click()
        expect(page.get_by_role("status")).to_contain_text("Grouped participants by 'profession'")
        page.get_by_role("button", name="Set the interview dates").click()
        expect(page.get_by_role("status")).to_contain_text("6 transcripts changed")
        page.get_by_role("button", name="Make it the agreed layer").click()
        expect(page.get_by_role("status")).to_contain_text("Promoted Consensus's 10")
        page.get_by_role("button", name="Make them the theme framework").click()
        expect(page.get_by_role("status")).to_contain_text("6 themes created")
        expect(page.get_by_text("nothing to make into themes")).to_be_visible()
        shot(page, "import-page-done")
        page.goto(served + "/themes")
        expect(page.locator("main")).to_contain_text("Pacing activity")
        browser.close()
    with StudyService.open(str(imported)) as s:
        assert {t.path: t.rolled_up for t in s.counts(level=Level.TWO).themes} == (
            team_study.EXPECTED_LEVEL_TWO
        )
