"""The withdrawal page over HTTP: the plan for a lead only, the confirmation refused without
the plan's fingerprint (nothing changes), and done with it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client
from tests.withdrawal.world import file_bytes, found_in, windows
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"


def with_key(demo: Path, built: Path) -> None:
    shutil.copy(built.with_name("demo.thematica-key"), demo.with_name("demo.thematica-key"))


def test_the_lead_sees_the_plan_and_confirms(client: TestClient, demo: Path, built: Path) -> None:
    with_key(demo, built)
    sign_in_client(client, LEAD)
    page = client.get("/withdraw", params={"participant": "Physio 4"})
    assert page.status_code == 200
    assert "Withdrawing Physio 4 removes" in page.text
    assert "Rachel Ames" in page.text and "Tom Okafor" in page.text  # codings per coder
    assert "10/10" in page.text and "9/9" in page.text  # a theme's count, before and after
    assert "From the key file: 1 identity" in page.text
    fingerprint = re.search(r'name="confirm" value="([0-9a-f]{16})"', page.text)
    assert fingerprint
    twin = client.get("/api/withdraw", params={"participant": "Physio 4"}).json()
    assert twin["plan"]["fingerprint"] == fingerprint.group(1)
    assert twin["plan"]["total_codings"] == 47 and twin["plan"]["participants_after"] == 9
    with StudyService.open(str(demo)) as study:
        mine = study.transcript("Physio 4").text
        others = [study.transcript(str(t.id)).text for t in study.transcripts()]
    shared = " ".join(" ".join(t.split()) for t in others if t != mine)
    runs = [run for run in windows(mine) if " ".join(run) not in shared]
    assert found_in(file_bytes(demo), runs)
    before = snapshot(str(demo))
    for refused, status in (({}, 422), ({"confirm": "0" * 16}, 409)):
        answer = client.post(
            "/withdraw", data={"participant": "Physio 4", "reason": "other", **refused}
        )
        assert answer.status_code == status, answer.text
    assert snapshot(str(demo)) == before
    done = client.post(
        "/withdraw",
        data={"participant": "Physio 4", "reason": "other", "confirm": fingerprint.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/withdraw?done=Physio%204"
    assert found_in(file_bytes(demo), runs) == set()  # the workbench still has it open
    after = client.get(done.headers["location"])
    assert "Physio 4 has been withdrawn" in after.text
    assert re.search(r"<th scope=\"row\">Physio 4</th><td>\d{4}-\d\d-\d\d</td>", after.text)
    with StudyService.open(str(demo)) as study:
        assert "Physio 4" not in [p.label for p in study.participants()]
        assert [w.reason for w in study.withdrawals()] == ["other"]
    again = client.post(
        "/withdraw",
        data={"participant": "Physio 4", "reason": "other", "confirm": fingerprint.group(1)},
    )
    assert again.status_code == 409 and "already withdrew" in again.text
    unknown = client.get("/api/withdraw", params={"participant": "Physio 99"})
    assert unknown.status_code == 404 and "no participant 'Physio 99'" in unknown.json()["error"]


def test_a_coder_is_refused(client: TestClient, demo: Path) -> None:
    sign_in_client(client, CODER)
    before = snapshot(str(demo))
    assert client.get("/withdraw").status_code == 403
    assert client.get("/api/withdraw", params={"participant": "Physio 4"}).status_code == 403
    answer = client.post("/withdraw", data={"participant": "Physio 4", "confirm": "x"})
    assert answer.status_code == 403 and "only a lead can withdraw" in answer.text
    assert snapshot(str(demo)) == before
