"""The workbench through its HTTP interface: identity, pages and their JSON twins, coding, 4xx."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.domain import Level, MemberRole
from thematica.service import StudyService
from thematica.web.app import create_app
from thematica.web.context import overview as overview_context
from thematica.web.context import transcript as transcript_context


def test_pages_need_an_identity(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/identity"
    assert client.get("/api/overview").status_code == 401
    page = client.get("/identity").text
    assert "Rachel Ames" in page and "Add me" in page


def test_choosing_and_adding_an_identity(client: TestClient) -> None:
    assert client.post("/identity", data={"name": "Nobody"}).status_code == 404
    response = client.post(
        "/identity",
        data={"name": "Cara Lee", "new": "true", "role": "coder"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Signed in as <strong>Cara Lee</strong>" in client.get("/").text


def test_overview_page_and_json_twin_agree(client: TestClient, demo: Path) -> None:
    sign_in(client)
    twin = client.get("/api/overview").json()
    page = client.get("/").text
    assert twin["study"]["participants"] == 10 and len(twin["transcripts"]) == 10
    for t in twin["transcripts"]:
        assert f'href="/transcripts/{t["id"]}"' in page
        assert t["codings"]["Rachel Ames"] > 0 and t["codings"]["Tom Okafor"] > 0
    from thematica.service import StudyService

    with StudyService.open(str(demo)) as service:
        assert overview_context(service.as_member("Tom Okafor")) == twin


def test_transcript_page_shows_labels_not_names_and_codings(client: TestClient, demo: Path) -> None:
    sign_in(client)
    twin = client.get("/api/transcripts/Physio%203").json()
    page = client.get(f"/transcripts/{twin['transcript']['id']}").text
    assert {t["label"] for t in twin["turns"]} == {"Physio 3", "Interviewer"}
    assert "Siobhán Kelly" not in page  # the speaker's real name is not shown as a label
    assert 'class="turn interviewer"' in page and 'class="stripe k-' in page
    assert sum(len(t["codings"]) for t in twin["turns"]) > 0
    from thematica.service import StudyService

    with StudyService.open(str(demo)) as service:
        built = transcript_context(service.as_member("Tom Okafor"), "Physio 3")
        assert {**built, "memos": []} == twin


def test_coding_through_the_api(client: TestClient) -> None:
    sign_in(client, "Tom Okafor")
    twin = client.get("/api/transcripts/1").json()
    turn = twin["turns"][1]
    created = client.post(
        "/api/transcripts/1/codings",
        json={"code": twin["codes"][0]["path"], "start": turn["start"], "end": turn["start"] + 12},
    )
    assert created.status_code == 201 and created.json()["coder"] == "Tom Okafor"
    assert created.json()["text"] == turn["text"][:12]
    in_vivo = client.post(
        "/api/transcripts/1/codings",
        json={
            "code": "wind each other up",
            "start": turn["start"],
            "end": turn["start"] + 5,
            "create": True,
        },
    )
    assert in_vivo.status_code == 201
    assert any(
        c["path"] == "wind each other up" for c in client.get("/api/transcripts/1").json()["codes"]
    )


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"code": "No such code", "start": 0, "end": 5}, 404, "no level-1 code 'No such code'"),
        (
            {"code": "Pain and mood > Pain lowers mood", "start": 0, "end": 10**7},
            422,
            "not inside the transcript",
        ),
        (
            {"code": "Pain and mood > Pain lowers mood", "start": 9, "end": 3},
            422,
            "not inside the transcript",
        ),
        ({"code": "   ", "start": 0, "end": 5}, 422, "the code name is empty"),
        ({"code": "x" * 400, "start": 0, "end": 5, "create": True}, 422, "1 to 300 characters"),
        (
            {"code": "Pain and mood > Pain lowers mood", "start": -1, "end": 5},
            422,
            "greater than or equal to 0",
        ),
    ],
)
def test_bad_codings_are_4xx_and_change_nothing(
    client: TestClient, demo: Path, body: dict[str, object], status: int, message: str
) -> None:
    sign_in(client)
    before = snapshot(str(demo))
    response = client.post("/api/transcripts/1/codings", json=body)
    assert response.status_code == status
    text = response.json().get("error") or str(response.json().get("detail"))
    assert message in text
    assert snapshot(str(demo)) == before


def test_readers_cannot_code_and_unknown_transcripts_are_404(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, "Helen Marsh")  # the demo's reader
    before = snapshot(str(demo))
    response = client.post(
        "/api/transcripts/1/codings", json={"code": "X", "start": 0, "end": 5, "create": True}
    )
    assert response.status_code == 403 and "reader" in response.json()["error"]
    assert snapshot(str(demo)) == before
    assert client.get("/api/transcripts/999").status_code == 404
    assert client.get("/transcripts/999").status_code == 404


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/transcripts/{ref}/codings" in spec["paths"] and "/api/overview" in spec["paths"]


def test_no_outside_requests_in_pages(client: TestClient) -> None:
    sign_in(client)
    for url in ("/", "/transcripts/1", "/identity"):
        page = client.get(url).text
        assert "http://" not in page and "https://" not in page


def coders_seen(twin: dict[str, object]) -> set[str]:
    """Whose level-one codings the page shows (the agreed layer is every member's to see)."""
    return {
        c["coder"]
        for t in twin["turns"]  # type: ignore[attr-defined]
        for c in t["codings"]
        if c["whose"] != "agreed"
    }


def test_blind_coding_hides_other_coders_until_the_lead_reveals(
    client: TestClient, demo: Path
) -> None:
    from thematica.service import StudyService

    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    sign_in(client, "Tom Okafor")
    twin = client.get("/api/transcripts/1").json()
    assert twin["blind"] is True and coders_seen(twin) == {"Tom Okafor"}
    page = client.get("/transcripts/1").text
    assert (
        "Blind coding." in page
        and "· Rachel Ames" not in page
        and "Reveal for reconciliation" not in page
    )
    assert client.post("/api/transcripts/1/reveal").status_code == 403  # only a lead
    sign_in(client, "Rachel Ames")
    assert coders_seen(client.get("/api/transcripts/1").json()) == {"Rachel Ames"}
    assert "Reveal for reconciliation" in client.get("/transcripts/1").text
    assert client.post("/api/transcripts/1/reveal").status_code == 200
    sign_in(client, "Tom Okafor")
    revealed = client.get("/api/transcripts/1").json()
    assert revealed["blind"] is False and coders_seen(revealed) == {"Tom Okafor", "Rachel Ames"}
    assert coders_seen(client.get("/api/transcripts/2").json()) == {
        "Tom Okafor"
    }  # others stay blind


def own_coding(client: TestClient, coder: str) -> dict[str, object]:
    twin = client.get("/api/transcripts/1").json()
    return next(
        c
        for t in twin["turns"]
        for c in t["codings"]
        if c["coder"] == coder and c["whose"] != "agreed"
    )


def test_adjusting_and_removing_a_coding_through_the_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    coding = own_coding(client, "Tom Okafor")
    start, end = int(coding["start"]), int(coding["end"])  # type: ignore[call-overload]
    changed = client.patch(
        f"/api/codings/{coding['id']}",
        json={"end": end - 1, "memo": "tightened", "version": coding["version"]},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["start"], body["end"], body["memo"]) == (start, end - 1, "tightened")
    assert body["version"] != coding["version"]
    assert own_coding(client, "Tom Okafor")["memo"] == "tightened"
    # The page shows the memo marker and a remove button for one's own codings only.
    page = client.get("/transcripts/1").text
    remove = 'class="link remove-coding" data-coder="{coder}" data-coding="{id}"'
    assert remove.format(coder="Tom Okafor", id=coding["id"]) in page and 'class="memo"' in page
    rachel = own_coding(client, "Rachel Ames")
    assert f'data-coding="{rachel["id"]}"' in page  # her coding shows...
    assert remove.format(coder="Rachel Ames", id=rachel["id"]) not in page  # ...not its button
    removed = client.delete(f"/api/codings/{coding['id']}", params={"version": body["version"]})
    assert removed.status_code == 200 and removed.json()["memo"] == "tightened"
    ids = {c["id"] for t in client.get("/api/transcripts/1").json()["turns"] for c in t["codings"]}
    assert coding["id"] not in ids


def test_bad_and_stale_coding_edits_are_4xx_and_change_nothing(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, "Tom Okafor")
    coding = own_coding(client, "Tom Okafor")
    rachel = own_coding(client, "Rachel Ames")
    url = f"/api/codings/{coding['id']}"
    before = snapshot(str(demo))
    cases = [
        (client.patch(url, json={"start": 10**7}), 422, "not inside the transcript"),
        (client.patch(url, json={"memo": "x" * 20_001}), 422, "20000"),
        (client.patch(f"/api/codings/{rachel['id']}", json={"end": 9}), 403, "only its coder"),
        (client.delete("/api/codings/999999"), 404, "no coding 999999"),
        (
            client.patch(url, json={"end": 9, "version": "2001-01-01T00:00:00+00:00"}),
            409,
            "reload",
        ),
        (client.delete(url, params={"version": "2001-01-01T00:00:00Z"}), 409, "reload"),
    ]
    for response, status, message in cases:
        assert response.status_code == status, response.text
        assert message in (response.json().get("error") or str(response.json().get("detail")))
    sign_in(client, "Helen Marsh")
    refused = client.delete(url)
    assert refused.status_code == 403 and "anonymised text only" in refused.json()["error"]
    assert snapshot(str(demo)) == before


def test_anonymised_only_members_cannot_code_or_edit_unanonymised_text(
    client: TestClient, demo: Path
) -> None:
    """Adding, adjusting or removing a coding answers with its text, so the same rule as reading
    applies: no text from a transcript that has not been anonymised."""
    from thematica.domain import MemberRole
    from thematica.service import StudyService

    with StudyService.open(str(demo)) as s:
        s.add_team_member("Sam Senior", MemberRole.LEAD, anonymised_only=True)
    sign_in(client, "Tom Okafor")
    coding = own_coding(client, "Tom Okafor")
    before = snapshot(str(demo))
    sign_in(client, "Sam Senior")
    attempts = [
        client.post(
            "/api/transcripts/1/codings",
            json={"code": "New idea", "start": 0, "end": 5, "create": True},
        ),
        client.patch(f"/api/codings/{coding['id']}", json={"memo": "x"}),
        client.delete(f"/api/codings/{coding['id']}"),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert "sees anonymised text only" in response.json()["error"]
    assert snapshot(str(demo)) == before


# -- reconciliation --------------------------------------------------------------------------


def test_reconcile_pages_and_their_json_twins_agree(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    listing = client.get("/api/reconcile").json()
    assert [t["participant"] for t in listing["transcripts"]][:2] == ["Physio 3", "OT 2"]
    assert all(t["disagreements"] > 0 for t in listing["transcripts"])
    assert "Physio 3" in client.get("/reconcile").text
    data = client.get("/api/reconcile/1").json()
    with StudyService.open(str(demo)) as s:
        r = s.reconciliation("1")
    assert (data["coder_a"], data["coder_b"]) == (r.coder_a, r.coder_b)
    assert [(i["code"], i["start"], i["end"]) for i in data["items"]] == [
        (" > ".join(i.code), i.start, i.end) for i in r.items
    ]
    assert data["transcript_agreement"]["kappa"] == pytest.approx(r.pooled.kappa)
    page = client.get("/reconcile/1").text
    assert data["items"][0]["code"].replace(">", "&gt;") in page
    assert page.count('name="decision" value="accept_a"') == len(r.items)


def test_deciding_and_undoing_through_the_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    item = client.get("/api/reconcile/1").json()["items"][0]
    body = {"code": item["code"], "start": item["start"], "end": item["end"]}
    refused = client.post("/api/reconcile/1/decisions", json={**body, "decision": "accept_b"})
    assert refused.status_code == 403 and "only a lead" in refused.json()["error"]  # a coder
    sign_in(client, "Rachel Ames")
    made = client.post("/api/reconcile/1/decisions", json={**body, "decision": "accept_b"})
    assert made.status_code == 201, made.text
    with StudyService.open(str(demo)) as s:
        agreed = {(c.start, c.end) for c in s.codings(transcript="1", level=Level.TWO)}
        assert {tuple(span) for span in item["b"]} <= agreed
        assert s.reconciliation("1").items[0].decision is not None
    again = client.post("/api/reconcile/1/decisions", json={**body, "decision": "drop"})
    assert again.status_code == 409 and "already decided" in again.json()["error"]
    url = f"/api/reconcile/1/decisions/{made.json()['id']}"
    stale = client.delete(url, params={"version": "2001-01-01T00:00:00+00:00"})
    assert stale.status_code == 409 and "reload" in stale.json()["error"]
    undone = client.delete(url, params={"version": made.json()["version"]})
    assert undone.status_code == 200
    assert client.delete(url, params={"version": made.json()["version"]}).status_code == 404
    with StudyService.open(str(demo)) as s:
        assert s.reconciliation("1").items[0].decision is None


def test_bad_reconciliation_requests_change_nothing(client: TestClient, demo: Path) -> None:
    assert client.get("/api/reconcile/1").status_code == 401
    sign_in(client, "Rachel Ames")
    first = client.get("/api/reconcile/1").json()["items"][0]
    body = {"code": first["code"], "start": first["start"], "end": first["end"]}
    before = snapshot(str(demo))
    cases = [
        ({**body, "decision": "maybe"}, 422, "decision"),
        ({**body, "start": first["start"] + 1, "decision": "drop"}, 409, "reload"),
        ({**body, "decision": "edit"}, 422, "start and end"),
        ({**body, "decision": "edit", "edit_start": 0, "edit_end": 10**7}, 422, "not inside"),
        (
            {**body, "decision": "edit", "edit_start": 0, "edit_end": 5, "edit_code": " > "},
            422,
            "empty",
        ),
        ({**body, "code": "No such code", "decision": "drop"}, 409, "no disagreement"),
        ({**body, "decision": "drop", "a": "Tom Okafor"}, 422, "both coders"),
        ({**body, "decision": "drop", "a": "Nobody", "b": "Tom Okafor"}, 404, "no team member"),
    ]
    for request, status, message in cases:
        response = client.post("/api/reconcile/1/decisions", json=request)
        assert response.status_code == status, (request, response.text)
        assert message in response.text
    assert client.get("/api/reconcile/1?a=Tom%20Okafor").status_code == 422
    assert client.delete("/api/reconcile/1/decisions/999").status_code == 404
    sign_in(client, "Helen Marsh")  # a reader
    response = client.post("/api/reconcile/1/decisions", json={**body, "decision": "drop"})
    assert response.status_code == 403
    assert snapshot(str(demo)) == before


def test_carrying_agreements_through_the_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    data = client.get("/api/reconcile/2").json()
    count = data["agreements"]["count"]
    assert count > 0 and data["agreements"]["carried"] == 0
    assert client.post("/api/reconcile/2/agreements").json() == {"carried": count}
    assert client.get("/api/reconcile/2").json()["agreements"]["carried"] == count
    assert f"<strong>{count}</strong> in the agreed layer" in client.get("/reconcile/2").text
    assert client.delete("/api/reconcile/2/agreements").json() == {"undone": count}
    sign_in(client, "Helen Marsh")
    before = snapshot(str(demo))
    assert client.post("/api/reconcile/2/agreements").status_code == 403
    assert snapshot(str(demo)) == before


def test_memos_show_on_the_transcript_code_and_theme_pages(client: TestClient) -> None:
    sign_in(client, "Tom Okafor")
    code_id = client.get("/api/codebook").json()["levels"][0]["codes"][1]["id"]
    node_id = client.get("/api/themes").json()["nodes"][0]["id"]
    targets = {
        "transcript:1": ["/transcripts/1", "/api/transcripts/1"],
        f"code:{code_id}": [
            f"/codebook/{code_id}",
            f"/api/codebook/{code_id}",
            f"/codes/{code_id}/quotes",
            f"/api/codes/{code_id}/quotes",
        ],
        f"theme:{node_id}": [f"/themes/{node_id}/quotes", f"/api/themes/{node_id}/quotes"],
    }
    for target, (page, twin, *more) in targets.items():
        text = f"A memo on {target}, written in the page"
        made = client.post("/api/memos", json={"target": target, "text": text})
        assert made.status_code == 201, made.text
        assert text in client.get(page).text
        assert [m["text"] for m in client.get(twin).json()["memos"]] == [text]
        for url in more:
            body = client.get(url)
            assert text in (body.text if not url.startswith("/api/") else str(body.json()["memos"]))


def test_search_names_speakers_by_label_never_by_the_name_in_the_file(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, "Tom Okafor")
    with StudyService.open(str(demo)) as s:
        team = {m.name for m in s.team()}  # shown as who is signed in; not participants
        names = {
            turn.speaker for t in s.transcripts() for turn in s.transcript(str(t.id)).turns
        } - team
    hits = client.get("/api/search", params={"q": "pain"}).json()["results"]["hits"]
    assert hits and {h["speaker"] for h in hits} <= {
        "Interviewer",
        *(h["participant"] for h in hits),
    }
    page = client.get("/search", params={"q": "pain"}).text
    assert "Siobhán Kelly" in names and not [n for n in names if n in page]


def test_reconcile_page_hides_the_study_figure_from_coders_while_blind(
    client: TestClient, demo: Path
) -> None:
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
        s.reveal("1", by="Rachel Ames")
    sign_in(client, "Tom Okafor")
    data = client.get("/api/reconcile/1").json()
    assert data["study_agreement"] is None and data["transcript_agreement"]["kappa"] is not None
    assert "shown to leads only" in client.get("/reconcile/1").text
    sign_in(client, "Rachel Ames")
    assert client.get("/api/reconcile/1").json()["study_agreement"]["transcripts"] == 10


BIG = "99999999999999999999"
ODD_NUMBERS = [
    ("POST", "/api/themes/2/move", {"json": {"parent": "²"}}),
    ("POST", "/api/themes/2/move", {"json": {"parent": "--5"}}),
    ("POST", "/api/themes/2/move", {"json": {"position": "²"}}),
    ("POST", "/themes/2/assign", {"data": {"code": "²"}}),
    ("POST", "/themes/links", {"data": {"from": "²", "to": "3", "label": "x"}}),
    ("POST", "/codebook/2/merge", {"data": {"target": "²"}}),
    ("POST", "/codebook/2/move", {"data": {"parent": "--5"}}),
    ("DELETE", f"/api/codings/{BIG}", {}),
    ("DELETE", f"/api/journal/{BIG}", {}),
    ("DELETE", f"/api/reconcile/1/decisions/{BIG}", {}),
    ("POST", f"/api/lineage/{BIG}/undo", {}),
    ("GET", f"/api/journal?code={BIG}", {}),
    ("GET", f"/api/transcripts/{BIG}", {}),
    ("GET", f"/api/memos?target=code:{BIG}", {}),
]


def test_odd_and_huge_numbers_get_a_4xx_and_change_nothing(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    before = snapshot(str(demo))
    for method, url, kwargs in ODD_NUMBERS:
        response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
        assert 400 <= response.status_code < 500, (method, url, response.status_code)
    assert (
        client.get("/journal?code=²").status_code == 200
    )  # a filter that is not a number is ignored
    assert snapshot(str(demo)) == before


def test_huge_ids_on_a_team_server_get_a_4xx(postgres_location: str) -> None:
    with StudyService.create(postgres_location, title="Server") as s:
        s.add_team_member("Rachel Ames", MemberRole.LEAD)
    with TestClient(create_app(postgres_location), base_url="http://127.0.0.1") as server:
        sign_in(server, "Rachel Ames")
        for url in ("/api/transcripts/3000000000", "/api/memos?target=code:3000000000"):
            assert server.get(url).status_code in (404, 422), url
        response = server.delete("/api/codings/3000000000")
        assert response.status_code in (404, 422) and "error" in response.json()


def test_other_hosts_and_other_origins_are_refused(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    # DNS rebinding: a page on attacker.example whose name now points at 127.0.0.1
    assert client.get("/api/overview", headers={"Host": "attacker.example"}).status_code == 400
    before = snapshot(str(demo))
    memo = {"target": "transcript:1", "text": "sent from elsewhere"}
    for origin in ("http://evil.example", "http://127.0.0.1:9999", "null"):
        refused = client.post("/api/memos", json=memo, headers={"Origin": origin})
        assert refused.status_code == 403 and "refused" in refused.text
    assert snapshot(str(demo)) == before
    own = client.post("/api/memos", json=memo, headers={"Origin": "http://127.0.0.1"})
    assert own.status_code == 201


def test_anonymised_only_members_cannot_probe_file_names(client: TestClient, demo: Path) -> None:
    sign_in(client, "Helen Marsh")  # sees anonymised text only; the demo is not anonymised
    real, made_up = "physio-3.vtt", "physio-99.vtt"
    for url in (
        "/api/transcripts/{}",
        "/api/memos?target=transcript:{}",
        "/api/journal?transcript={}",
        "/api/reconcile/{}",
    ):
        answers = [client.get(url.format(name)) for name in (real, made_up)]
        assert [a.status_code for a in answers] == [404, 404], url
        assert answers[0].json()["error"].replace(real, made_up) == answers[1].json()["error"]
    linked = client.post("/api/journal", json={"text": "x", "transcripts": [real]})
    assert linked.status_code == 404
    # by number the rule is unchanged: it exists, and she may not read it
    assert client.get("/api/transcripts/1").status_code == 403


def test_every_page_is_titled_with_the_study_title(client: TestClient, demo: Path) -> None:
    sign_in(client)
    with StudyService.open(str(demo)) as study:
        title = study.title()
        assert title and title == study.info().title
    shown = f'<span class="study" title="{title}">{title}</span>'
    for path in ("/", "/codebook", "/themes", "/transcripts/1"):
        assert shown in html.unescape(client.get(path).text), path
