"""The workbench's audit log (``/audit``, JSON twin ``/api/audit``, ``/audit.csv``): leads
only, filters, paging, and each change's client (the request's address)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page

from tests.web.conftest import shot, sign_in, sign_in_client
from thematica.service import StudyService

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


def test_workbench_page_twin_and_csv_for_leads_only(client: TestClient, demo: Path) -> None:
    sign_in_client(client, CODER)
    coded = client.post(
        "/api/transcripts/1/codings",
        json={"code": "Goals and activity > Graded steps", "start": 0, "end": 5},
    )
    assert coded.status_code in (200, 201), coded.text
    for path in ("/audit", "/api/audit", "/audit.csv"):
        assert client.get(path).status_code == 403
    assert "/audit" not in client.get("/").text  # no nav link for a coder
    sign_in_client(client, READER)
    assert client.get("/api/audit").status_code == 403
    sign_in_client(client, LEAD)
    assert 'href="/audit"' in client.get("/").text
    data = client.get("/api/audit").json()
    newest = data["entries"][0]
    assert (newest["action"], newest["actor"], newest["client"]) == (
        "coding.add",
        CODER,
        "web:testclient",
    )
    assert data["page"] == 1 and data["total"] == len(data["entries"]) < 50
    filtered = client.get("/api/audit", params={"action": "import", "member": "administrator"})
    assert {e["action"].split(".")[0] for e in filtered.json()["entries"]} == {"import"}
    dated = client.get("/api/audit", params={"since": "2999-01-01"}).json()
    assert dated["total"] == 0
    assert client.get("/api/audit", params={"since": "yesterday"}).status_code == 422
    page = client.get("/audit", params={"action": "coding"})
    assert (
        page.status_code == 200 and "coding.add" in page.text and "import.codings" not in page.text
    )
    download = client.get("/audit.csv", params={"action": "coding"})
    assert download.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["action"] for r in rows] == ["coding.add"]


def test_paging(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as study:
        for start in range(60):
            study.add_coding("1", ("Goals and activity", "Graded steps"), CODER, start, start + 2)
    sign_in_client(client, LEAD)
    first = client.get("/api/audit").json()
    second = client.get("/api/audit", params={"page": 2}).json()
    assert first["pages"] == 2 and len(first["entries"]) == 50
    assert first["next"] == "/audit?page=2" and second["previous"] == "/audit?page=1"
    assert first["entries"][-1]["id"] > second["entries"][0]["id"]


def test_browser_audit_page(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    with StudyService.open(str(study)) as s:
        s.add_coding("1", ("Goals and activity", "Graded steps"), CODER, 0, 5)
        s.set_blind_coding(True, by=LEAD)
        s.set_blind_coding(False, by=LEAD)
    page = browser_page
    sign_in(page, url, LEAD)
    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url(url + "/audit")
    assert page.get_by_role("heading", name="Audit log").is_visible()
    assert page.locator("table.audit-table tbody tr").count() >= 3
    shot(page, "audit-log")
    page.get_by_label("Action").fill("blind")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(url + "/audit?action=blind*")
    assert page.locator("table.audit-table tbody tr").count() == 2
    shot(page, "audit-log-filtered")
    sign_in(page, url, CODER)
    assert page.get_by_role("link", name="Audit log").count() == 0
    assert page.goto(url + "/audit").status == 403  # type: ignore[union-attr]
