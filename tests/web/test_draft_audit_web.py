"""The workbench's "Audit a draft" page and its JSON twin (issue 17, item 5)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.manuscript.drafts import PLANTED_MD, planted_docx
from thematica.cli.main import cli
from thematica.web.app import create_app


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    assert CliRunner().invoke(cli, ["demo", str(folder)]).exit_code == 0
    return str(folder / "demo.thematica")


@pytest.fixture
def client(demo: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo), base_url="http://127.0.0.1") as c:
        c.post("/identity", data={"name": "Rachel Ames"}, follow_redirects=False)
        yield c


def test_the_page_has_an_upload_form(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/draft-audit").text, "html.parser")
    form = page.select_one("form.draft-audit-form")
    assert form is not None and form["enctype"] == "multipart/form-data"
    assert page.select_one('input[type="file"][name="draft"]') is not None
    assert page.select_one('nav a[href="/draft-audit"]') is not None


def test_uploading_the_planted_docx_shows_the_table_with_links(
    client: TestClient, demo: str
) -> None:
    before = snapshot(demo)
    response = client.post(
        "/draft-audit",
        files={"draft": ("planted.docx", planted_docx(), "application/octet-stream")},
        data={"level": "2"},
    )
    assert response.status_code == 200, response.text
    page = BeautifulSoup(response.text, "html.parser")
    assert "16 claims: 13 consistent, 2 contradict, 1 untied" in page.select_one(".summary").text
    statuses = [t.text for t in page.select(".audit-table .status-tag")]
    assert statuses.count("contradicts") == 2 and "wrong participant" in statuses
    node_links = [a["href"] for a in page.select('.audit-table a[href^="/themes/"]')]
    assert node_links and all(h.endswith("/quotes") for h in node_links)
    assert page.select('.audit-table a[href^="/codes/"]')
    transcript_links = [a["href"] for a in page.select('.audit-table a[href^="/transcripts/"]')]
    assert len(transcript_links) == 5 and all("#o" in h for h in transcript_links)
    assert client.get(node_links[0]).status_code == 200
    assert snapshot(demo) == before


def test_the_json_twin(client: TestClient) -> None:
    body = {"name": "planted.md", "content": base64.b64encode(PLANTED_MD.read_bytes()).decode()}
    data = client.post("/api/draft-audit", json=body).json()
    assert data["failed"] is True and len(data["quotes"]) == 5
    assert data["claims"][0]["href"] is None  # the sample has no page
    assert data["quotes"][0]["href"].startswith("/transcripts/")


def test_a_hostile_upload_is_a_422_with_one_line(client: TestClient) -> None:
    response = client.post(
        "/draft-audit",
        files={"draft": ("paper.docx", planted_docx()[:2000], "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "paper.docx: not a readable .docx: the file is damaged or truncated" in response.text
    body = {"name": "x.md", "content": "not base64!"}
    assert client.post("/api/draft-audit", json=body).status_code == 422


def test_a_reader_audits_only_against_anonymised_transcripts(demo: str, tmp_path: Path) -> None:
    from thematica.domain import MemberRole
    from thematica.service import StudyService

    copy = tmp_path / "demo.thematica"
    copy.write_bytes(Path(demo).read_bytes())
    with StudyService.open(str(copy)) as study:
        study.add_team_member("Rita Reader", MemberRole.READER)
    with TestClient(create_app(str(copy)), base_url="http://127.0.0.1") as c:
        c.post("/identity", data={"name": "Rita Reader"}, follow_redirects=False)
        body = {"name": "planted.md", "content": base64.b64encode(PLANTED_MD.read_bytes()).decode()}
        data = c.post("/api/draft-audit", json=body).json()
    assert {q["status"] for q in data["quotes"]} == {"not checked"}
    assert all(q["diff"] == "" and q["transcript_id"] is None for q in data["quotes"])
    assert len(data["claims"]) == 16  # counts are for every member, as on the analysis pages
