"""The overview's stopping view on the demo, and the recruitment page's JSON twin, through HTTP."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import sign_in_client
from thematica.service import StudyService


def test_the_demo_overview_says_where_saturation_was_reached(client: TestClient) -> None:
    sign_in_client(client, "Rachel Ames")
    stopping = client.get("/api/overview").json()["stopping"]
    assert stopping["interviews"] == 10 and stopping["maximum"] is None
    assert stopping["message"] == "saturation reached at 6+2: recruitment may stop"
    assert stopping["new"] == [14, 7, 4, 2, 1, 2, 0, 0, 0, 0]
    assert stopping["cumulative"][-1] == 30 and stopping["decision"] is None
    page = client.get("/").text
    assert "Saturation reached at 6+2: recruitment may stop." in page


def test_a_blind_coder_sees_the_view_closed(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    sign_in_client(client, "Tom Okafor")
    stopping = client.get("/api/overview").json()["stopping"]
    assert (
        set(stopping) == {"closed"}
        and "only a lead sees level-one saturation" in (stopping["closed"])
    )


def test_the_page_twin_and_a_refusal(client: TestClient, demo: Path) -> None:
    sign_in_client(client, "Rachel Ames")
    assert client.get("/api/recruitment").json()["candidates"] == []
    response = client.post("/recruitment/candidates", data={"ref": "C01", "group": "Physio"})
    assert response.status_code == 200  # followed to the page
    twin = client.get("/api/recruitment").json()
    assert [c["ref"] for c in twin["candidates"]] == ["C01"]
    assert twin["flow"][0] == {"name": "approached", "count": 1, "left": []}
    refused = client.post("/recruitment/candidates", data={"ref": "ann@example.org"})
    assert refused.status_code == 422  # a ThematicaError: bad input
    assert "looks like an e-mail address" in refused.text
    assert len(client.get("/api/recruitment").json()["candidates"]) == 1
    pasted = (
        "id,group,source,approach,approached\nC02,OT,social media,email,2026-03-02\nC03,OT,,,\n"
    )
    assert client.post("/recruitment/import", data={"rows": pasted}).status_code == 200
    again = client.post("/recruitment/import", data={"rows": "id,group\nC04,OT\nc02,OT\n"})
    assert again.status_code == 409
    assert "candidate &#39;c02&#39; is already in the recruitment log" in again.text
    twin = client.get("/api/recruitment").json()
    assert [c["ref"] for c in twin["candidates"]] == ["C01", "C02", "C03"]  # C04: all or none
    assert twin["candidates"][1]["approached"] == "2026-03-02"
