"""The lead's rule "reveal only transcripts checked against the recording" on the reconcile page
(issue 16, item 4; the CLI's ``thematica blind --require-checked``): the lead sees and sets it,
a coder sees no form and is refused (403); with the rule on, revealing a transcript still in
checking is refused with the service's message, and allowed once it is checked."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page

from tests.web.conftest import shot
from tests.web.conftest import sign_in as sign_in_page
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService

LEAD, CODER = "Rachel Ames", "Tom Okafor"


def rule(demo: Path) -> bool:
    with StudyService.open(str(demo)) as study:
        return study.reveal_requires_checked()


def test_the_lead_sets_the_rule_and_reveals_follow_it(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as study:
        study.set_blind_coding(True, by=LEAD)
        tid = next(t.id for t in study.transcripts() if t.participant == "Physio 4")
    sign_in(client, LEAD)
    page = client.get("/reconcile").text
    assert 'id="reveal-rule"' in page and 'id="require-checked"' in page
    assert "any transcript can be revealed" in page and not rule(demo)
    answer = client.post(
        "/reconcile/reveal-rule", data={"require_checked": "on"}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/reconcile"
    assert rule(demo)
    page = client.get("/reconcile").text
    assert 'value="on" id="require-checked" checked>' in page
    assert "only checked transcripts are revealed" in page
    assert client.get("/api/reconcile").json()["reveal_requires_checked"] is True

    refused = client.post(f"/transcripts/{tid}/reveal", follow_redirects=False)
    assert refused.status_code == 409
    assert "not checked against the recording yet" in refused.text
    with StudyService.open(str(demo)) as study:
        assert not study.revealed(str(tid))
    client.post(f"/transcripts/{tid}/checking", data={"state": "checked"})
    assert client.post(f"/transcripts/{tid}/reveal", follow_redirects=False).status_code == 303

    client.post("/reconcile/reveal-rule", data={}, follow_redirects=False)  # unticked: off
    assert not rule(demo)


def test_a_coder_sees_the_rule_but_cannot_set_it(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as study:
        study.set_blind_coding(True, by=LEAD)
        study.set_reveal_requires_checked(True, by=LEAD)
    sign_in(client, CODER)
    page = client.get("/reconcile").text
    assert 'id="reveal-rule"' not in page
    assert "reveals only transcripts checked against the recording" in page
    answer = client.post("/reconcile/reveal-rule", data={}, follow_redirects=False)
    assert answer.status_code == 403
    assert rule(demo)


def test_the_rule_in_the_browser(server: tuple[str, Path], browser_page: Page) -> None:
    url, study = server
    page = browser_page
    sign_in_page(page, url, LEAD)
    page.goto(url + "/reconcile")
    page.get_by_label("Reveal a transcript for reconciliation only once").check()
    page.get_by_role("button", name="Save the rule").click()
    page.wait_for_url(url + "/reconcile")
    assert page.get_by_label("Reveal a transcript for reconciliation only once").is_checked()
    assert rule(study)
    shot(page, "reconcile-reveal-rule")
