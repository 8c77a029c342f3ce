"""Checked against the recording, in the workbench (issue 16, item 4): the overview's progress
and each transcript's state, the transcript page's control and its JSON twin, and a 403 with
nothing changed for a reader."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService
from thematica.storage.models import TranscriptRow

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


def test_overview_shows_progress_and_each_state(client: TestClient) -> None:
    sign_in(client, CODER)
    data = client.get("/api/overview").json()
    assert data["checked"] == {"checked": 0, "total": 10}
    assert {t["checking"]["state"] for t in data["transcripts"]} == {"automatic"}
    assert "0 of 10 transcripts checked against the recording" in client.get("/").text
    marked = client.post("/api/transcripts/1/checking", json={"state": "checked"})
    assert marked.status_code == 200
    assert marked.json()["state"] == "checked" and marked.json()["by"] == CODER
    assert marked.json()["at"]
    client.post("/api/transcripts/2/checking", json={"state": "checking"})
    data = client.get("/api/overview").json()
    assert data["checked"] == {"checked": 1, "total": 10}
    states = {t["id"]: t["checking"] for t in data["transcripts"]}
    assert (states[1]["state"], states[1]["by"]) == ("checked", CODER)
    assert states[2]["state"] == "checking" and states[3]["state"] == "automatic"
    page = client.get("/").text
    assert "1 of 10 transcripts checked against the recording" in page
    assert 'class="check-checked">checked' in page and 'class="check-checking">in checking' in page


def test_transcript_page_has_the_control_and_its_twin_the_state(client: TestClient) -> None:
    sign_in(client, CODER)
    twin = client.get("/api/transcripts/3").json()
    assert twin["checking"]["state"] == "automatic" and twin["can_check"] is True
    page = client.get("/transcripts/3").text
    assert 'id="mark-checking"' in page and 'id="mark-checked"' in page
    done = client.post(
        "/transcripts/3/checking", data={"state": "checking"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/transcripts/3"
    twin = client.get("/api/transcripts/3").json()
    assert twin["checking"]["state"] == "checking" and twin["checking"]["by"] == CODER
    page = client.get("/transcripts/3").text
    assert "in checking" in page and 'id="mark-checking"' not in page
    bad = client.post("/api/transcripts/3/checking", json={"state": "done"})
    assert bad.status_code == 422 and "unknown checking state 'done'" in bad.json()["error"]
    assert client.post("/api/transcripts/99/checking", json={"state": "checked"}).status_code == 404


def test_a_reader_is_refused_and_sees_no_control(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as s, Session(s.engine) as session, session.begin():
        session.execute(  # transcript 4 readable by the reader (anonymised-only)
            update(TranscriptRow).where(TranscriptRow.id == 4).values(anonymisation="anonymised")
        )
    sign_in(client, READER)
    before = snapshot(str(demo))
    for path, body in (
        ("/api/transcripts/4/checking", {"json": {"state": "checked"}}),
        ("/transcripts/4/checking", {"data": {"state": "checked"}}),
    ):
        refused = client.post(path, **body, follow_redirects=False)  # type: ignore[arg-type]
        assert refused.status_code == 403
    assert snapshot(str(demo)) == before
    twin = client.get("/api/transcripts/4").json()
    assert twin["can_check"] is False and twin["checking"]["state"] == "automatic"
    page = client.get("/transcripts/4").text
    assert "Checked against the recording" in page and "mark-check" not in page
