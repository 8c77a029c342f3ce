"""The codebook and theme framework editors and the quotes pages through HTTP: pages and their
JSON twins, every change through form and API, and bad or stale requests as 4xx that change
nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.domain import AnonymisationState, Level, Stance
from thematica.service import StudyService
from thematica.storage.database import make_engine
from thematica.storage.models import TranscriptRow
from thematica.web.context import Member
from thematica.web.themes_context import codebook as codebook_context
from thematica.web.themes_context import themes as themes_context

LEAD = Member("Rachel Ames", "lead", False)


def code_id(client: TestClient, path: str, level: int = 1) -> int:
    levels = client.get("/api/codebook").json()["levels"]
    return next(
        c["id"] for lv in levels if lv["level"] == level for c in lv["codes"] if c["path"] == path
    )


def code_json(client: TestClient, path: str, level: int = 1) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/codebook/{code_id(client, path, level)}").json()
    return body["code"]


def node(client: TestClient, path: str) -> dict[str, Any]:
    return next(n for n in client.get("/api/themes").json()["nodes"] if n["path"] == path)


def error(response: Any) -> str:
    return str(response.json().get("error") or response.json().get("detail"))


# -- codebook --------------------------------------------------------------------------------


def test_codebook_page_and_twin_agree(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    twin = client.get("/api/codebook").json()
    page = client.get("/codebook").text
    assert [lv["level"] for lv in twin["levels"]] == [2, 1]
    assert "Level two" in page and "Level one" in page
    two = {c["path"]: c for c in twin["levels"][0]["codes"]}
    vicious = two["Pain and mood > A vicious cycle"]
    assert vicious["codings"] > 0 and vicious["colour"] == "#1f77b4" and vicious["depth"] == 2
    for c in twin["levels"][1]["codes"]:
        assert f'href="/codebook/{c["id"]}"' in page and f'href="/codes/{c["id"]}/quotes"' in page
    with StudyService.open(str(demo)) as service:
        assert codebook_context(service.as_member(LEAD.name)) == twin
        assert sum(c["codings"] for c in twin["levels"][1]["codes"]) == len(
            service.codings(level=Level.ONE)
        )
    sign_in(client, "Helen Marsh")  # a reader reads, with no edit links
    page = client.get("/codebook").text
    assert "Quotes" in page and 'href="/codebook/' not in page
    assert client.get("/api/codebook").json()["can_edit"] is False


def test_rename_describe_move_through_forms_and_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    code = code_json(client, "Time > Short follow-up slots")
    response = client.post(
        f"/codebook/{code['id']}/rename",
        data={"name": "Short slots", "version": code["version"]},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith(
        f"/codebook/{code['id']}?done="
    )
    assert "Saved (lineage entry" in client.get(response.headers["location"]).text
    renamed = code_json(client, "Time > Short slots")
    described = client.post(
        f"/api/codebook/{code['id']}/describe",
        json={
            "description": "Slots of 20-30 min",
            "colour": "#aa3300",
            "version": renamed["version"],
        },
    )
    assert described.status_code == 200 and "Described" in described.json()["summary"]
    referral = code_id(client, "Referral")
    moved = client.post(f"/api/codebook/{code['id']}/move", json={"parent": referral})
    assert moved.status_code == 200
    back = client.post(f"/api/codebook/{code['id']}/move", json={"parent": "top"})
    assert back.status_code == 200
    with StudyService.open(str(demo)) as s:
        found = next(c for c in s.codes(Level.ONE) if c.id == code["id"])
        assert (found.path, found.description, found.colour) == (
            ("Short slots",),
            "Slots of 20-30 min",
            "#aa3300",
        )
        assert [e.operation for e in s.lineage()][-4:] == ["rename", "describe", "move", "move"]
        assert all(e.actor == "Tom Okafor" for e in s.lineage()[-4:])


def test_merge_and_undo_through_forms(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    source = code_json(client, "Referral > Long waits")
    target = code_json(client, "Referral > Referrals bounced back")
    with StudyService.open(str(demo)) as s:
        before = {c.id for c in s.codings(code=("Referral", "Long waits"), level=Level.ONE)}
    page = client.get(f"/codebook/{source['id']}").text
    assert f'<option value="{target["id"]}">Referral &gt; Referrals bounced back</option>' in page
    response = client.post(
        f"/codebook/{source['id']}/merge",
        data={"target": str(target["id"]), "version": source["version"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Done: Merged &#39;Referral &gt; Long waits&#39;" in page
    entry = client.get("/api/codebook").json()["lineage"][0]
    assert entry["operation"] == "merge" and entry["undoable"]
    assert f'action="/lineage/{entry["id"]}/undo"' in page
    with StudyService.open(str(demo)) as s:
        assert not any(c.path == ("Referral", "Long waits") for c in s.codes(Level.ONE))
    undone = client.post(f"/lineage/{entry['id']}/undo", follow_redirects=False)
    assert undone.status_code == 303
    with StudyService.open(str(demo)) as s:
        back = {c.id for c in s.codings(code=("Referral", "Long waits"), level=Level.ONE)}
        assert back == before and s.lineage()[-1].undone_at is not None
    again = client.post(f"/api/lineage/{entry['id']}/undo")
    assert again.status_code == 409 and "already undone" in error(again)
    assert f'action="/lineage/{entry["id"]}/undo"' not in client.get("/codebook").text


def test_split_moves_chosen_codings(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    code = client.get(f"/api/codebook/{code_id(client, 'Referral > Long waits')}").json()
    chosen = [s["coding"] for s in code["codings"][:2]]
    response = client.post(
        f"/codebook/{code['code']['id']}/split",
        data={
            "name": "Very long waits",
            "codings": [str(i) for i in chosen],
            "version": code["code"]["version"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with StudyService.open(str(demo)) as s:
        moved = s.codings(code=("Referral", "Very long waits"), level=Level.ONE)
        assert sorted(c.id for c in moved) == sorted(chosen)


def test_bad_codebook_requests_are_4xx_and_change_nothing(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    code = code_json(client, "Referral > Long waits")
    level_two = code_id(client, "Referral > Waits and bounce-backs", level=2)
    url = f"/api/codebook/{code['id']}"
    before = snapshot(str(demo))
    cases = [
        (client.post(f"{url}/rename", json={"name": "   "}), 422, "1 to 300 characters"),
        (client.post(f"{url}/rename", json={"name": "x" * 301}), 422, "1 to 300 characters"),
        (
            client.post(f"{url}/rename", json={"name": "Referrals bounced back"}),
            409,
            "already a code",
        ),
        (
            client.post(f"{url}/rename", json={"name": "New", "version": "stale"}),
            409,
            "changed since",
        ),
        (client.post(f"{url}/describe", json={"description": "d" * 5001}), 422, "5,000"),
        (client.post(f"{url}/describe", json={"colour": "red"}), 422, "#rrggbb"),
        (client.post(f"{url}/merge", json={"target": code["id"]}), 422, "into itself"),
        (client.post(f"{url}/merge", json={"target": level_two}), 422, "within their level"),
        (client.post(f"{url}/merge", json={"target": 999999}), 404, "no code 999999"),
        (client.post(f"{url}/merge", json={"target": "abc"}), 422, "whole number"),
        (client.post(f"{url}/merge", json={}), 422, "missing"),
        (
            client.post(f"{url}/split", json={"name": "X", "codings": [999999]}),
            422,
            "not coded with",
        ),
        (client.post(f"{url}/explode", json={}), 404, "no codebook action"),
        (client.post("/api/codebook/999999/rename", json={"name": "X"}), 404, "no code 999999"),
        (
            client.post(
                f"{url}/rename", content=b"[1]", headers={"content-type": "application/json"}
            ),
            422,
            "JSON object",
        ),
        (client.post("/api/lineage/999999/undo"), 404, "no lineage entry"),
        (client.get("/api/codebook/999999"), 404, "no code 999999"),
        (client.get("/api/codes/999999/quotes"), 404, "no code 999999"),
    ]
    for response, status, message in cases:
        assert response.status_code == status, (message, response.text)
        assert message in error(response)
    page = client.post(f"/codebook/{code['id']}/rename", data={"name": ""})
    assert page.status_code == 422 and "1 to 300 characters" in page.text and "<h1>" in page.text
    sign_in(client, "Helen Marsh")
    refused = client.post(f"{url}/rename", json={"name": "Reader was here"})
    assert refused.status_code == 403 and "reader" in error(refused)
    assert snapshot(str(demo)) == before


# -- themes ----------------------------------------------------------------------------------


def test_themes_page_and_twin_agree(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    twin = client.get("/api/themes").json()
    page = client.get("/themes").text
    assert twin["total"] == 10 and twin["count_problem"] is None
    top = twin["nodes"][0]
    assert top["path"] == "Two problems, one person" and top["depth"] == 1
    assert top["count"]["phrase"] == f"{_phrase(demo, top['path'])}"
    for n in twin["nodes"]:
        assert f'id="n{n["id"]}"' in page and f'href="/themes/{n["id"]}/quotes"' in page
    part = node(
        client,
        "Working at the edge of the remit > Whose job is it? > Part of the job, but out of my depth",
    )
    divergent = [c["path"] for c in part["codes"] if c["stance"] == "divergent"]
    assert divergent == ["Role > Stick to the body"]
    assert "<strong>Divergent:</strong> Role &gt; Stick to the body" in page
    assert "Overarching theme" in page and "Sub-theme" in page
    assert len(twin["links"]) == 6 and "turns back" in page
    with StudyService.open(str(demo)) as service:
        assert themes_context(service.as_member(LEAD.name)) == twin
    sign_in(client, "Helen Marsh")
    page = client.get("/themes").text
    assert "Quotes" in page and 'action="/themes' not in page and "themes.js" not in page


def _phrase(demo: Path, path: str) -> str:
    with StudyService.open(str(demo)) as s:
        return next(
            c.phrase for c in s.counts(level=Level.TWO).themes if " > ".join(c.path) == path
        )


def test_building_a_framework_through_forms_and_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    made = client.post("/themes", data={"name": "Systems", "parent": ""}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/themes#n")
    top = node(client, "Systems")
    theme = client.post("/api/themes", json={"name": "Pathways", "parent": top["id"]})
    assert theme.status_code == 201
    sub = client.post("/api/themes", json={"name": "Named contacts", "parent": theme.json()["id"]})
    other = client.post("/api/themes", json={"name": "Staffing", "parent": top["id"]})
    assert sub.status_code == other.status_code == 201
    link = client.post(
        "/themes/links",
        data={"from": str(other.json()["id"]), "to": str(sub.json()["id"]), "label": "starves"},
        follow_redirects=False,
    )
    assert link.status_code == 303
    # keyboard-style shifts through the form: Staffing up, then indent under... nothing above it
    staffing = node(client, "Systems > Staffing")
    up = client.post(
        f"/themes/{staffing['id']}/shift",
        data={"direction": "up", "version": staffing["version"]},
        follow_redirects=False,
    )
    assert up.status_code == 303 and up.headers["location"] == f"/themes#n{staffing['id']}"
    no_room = node(client, "Systems > Staffing")
    refused = client.post(f"/api/themes/{no_room['id']}/shift", json={"direction": "indent"})
    assert refused.status_code == 422 and "no theme above it" in error(refused)
    waits = code_id(client, "Referral > Waits and bounce-backs", level=2)
    assigned = client.post(
        f"/themes/{sub.json()['id']}/assign", data={"code": str(waits), "stance": "divergent"}
    )
    assert assigned.status_code == 200  # followed the redirect to the page
    renamed = client.post(
        f"/api/themes/{top['id']}/rename", json={"name": "Services", "version": top["version"]}
    )
    assert renamed.status_code == 200
    with StudyService.open(str(demo)) as s:
        nodes, links = s.framework()
        mine = [n.path for n in nodes if n.path[0] == "Services"]
        assert mine == [
            ("Services",),
            ("Services", "Staffing"),
            ("Services", "Pathways"),
            ("Services", "Pathways", "Named contacts"),
        ]
        contacts = next(n for n in nodes if n.name == "Named contacts")
        assert [(c.path, c.stance) for c in contacts.codes] == [
            (("Referral", "Waits and bounce-backs"), Stance.DIVERGENT)
        ]
        assert links[-1].label == "starves" and links[-1].target == contacts.path
        assert {e.actor for e in s.lineage()[-8:]} == {"Tom Okafor"}
    page = client.get("/themes").text
    assert "Services" in page and "starves" in page
    # the overview's activity shows framework changes too
    assert "Renamed theme &#39;Systems&#39; to &#39;Services&#39;" in client.get("/").text


def test_drag_style_moves_and_removal_through_the_api(client: TestClient, demo: Path) -> None:
    sign_in(client, "Rachel Ames")
    company = node(client, "Two problems, one person > Breaking into the circle > It's the company")
    target = node(client, "Two problems, one person > Round and round")
    moved = client.post(
        f"/api/themes/{company['id']}/move",
        json={"parent": target["id"], "position": 0, "version": company["version"]},
    )
    assert moved.status_code == 200
    assert (
        node(client, "Two problems, one person > Round and round")["children"][0] == company["id"]
    )
    stale = client.post(
        f"/api/themes/{company['id']}/move",
        json={"parent": None, "position": 0, "version": company["version"]},
    )
    assert stale.status_code == 409 and "reload" in error(stale)
    empty = client.post("/api/themes", json={"name": "Scratch"}).json()["id"]
    gone = client.post(f"/themes/{empty}/remove", follow_redirects=False)
    assert gone.status_code == 303
    assert all(n["name"] != "Scratch" for n in client.get("/api/themes").json()["nodes"])


def test_bad_theme_requests_are_4xx_and_change_nothing(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    top = node(client, "Two problems, one person")
    leaf = node(client, "Two problems, one person > Round and round > Winding each other up")
    link = client.get("/api/themes").json()["links"][0]
    code = leaf["codes"][0]["id"]
    before = snapshot(str(demo))
    cases = [
        (client.post("/api/themes", json={"name": ""}), 422, "1 to 300 characters"),
        (client.post("/api/themes", json={"name": "y" * 301}), 422, "1 to 300 characters"),
        (
            client.post("/api/themes", json={"name": "Two problems, ONE person"}),
            409,
            "already a theme",
        ),
        (client.post("/api/themes", json={"name": "X", "parent": 999999}), 404, "no theme node"),
        (client.post("/api/themes", json={"name": "X", "description": "d" * 5001}), 422, "5,000"),
        (
            client.post(f"/api/themes/{top['id']}/rename", json={"name": "N", "version": "old"}),
            409,
            "changed since",
        ),
        (
            client.post(f"/api/themes/{top['id']}/move", json={"parent": leaf["id"]}),
            422,
            "inside itself",
        ),
        (
            client.post(f"/api/themes/{top['id']}/move", json={"parent": None, "position": 9}),
            422,
            "position 9",
        ),
        (
            client.post(f"/api/themes/{top['id']}/shift", json={"direction": "up"}),
            422,
            "already first",
        ),
        (
            client.post(f"/api/themes/{top['id']}/shift", json={"direction": "sideways"}),
            422,
            "unknown move",
        ),
        (client.post(f"/api/themes/{top['id']}/remove", json={}), 409, "still has 2 sub-themes"),
        (
            client.post(f"/api/themes/{leaf['id']}/assign", json={"code": code}),
            409,
            "already supports",
        ),
        (
            client.post(f"/api/themes/{leaf['id']}/assign", json={"code": code, "stance": "maybe"}),
            422,
            "divergent",
        ),
        (
            client.post(f"/api/themes/{leaf['id']}/assign", json={"code": 999999}),
            404,
            "no code 999999",
        ),
        (
            client.post(f"/api/themes/{top['id']}/unassign", json={"code": code}),
            404,
            "not assigned",
        ),
        (client.post(f"/api/themes/{top['id']}/fold", json={}), 404, "no theme action"),
        (client.post("/api/themes/999999/rename", json={"name": "N"}), 404, "no theme node"),
        (
            client.post(
                "/api/themes/links",
                json={"from": link["from_id"], "to": link["to_id"], "label": link["label"]},
            ),
            409,
            "already linked",
        ),
        (
            client.post(
                "/api/themes/links", json={"from": top["id"], "to": top["id"], "label": "x"}
            ),
            422,
            "two different",
        ),
        (
            client.post(
                "/api/themes/links", json={"from": top["id"], "to": leaf["id"], "label": " "}
            ),
            422,
            "1 to 300",
        ),
        (
            client.post(
                "/api/themes/links", json={"from": top["id"], "to": leaf["id"], "label": "l" * 301}
            ),
            422,
            "1 to 300",
        ),
        (client.post("/api/themes/links/999999/remove"), 404, "no interlink"),
        (client.get("/api/themes/999999/quotes"), 404, "no theme node"),
    ]
    for response, status, message in cases:
        assert response.status_code == status, (message, response.text)
        assert message in error(response)
    page = client.post("/themes", data={"name": " "})
    assert page.status_code == 422 and "1 to 300 characters" in page.text
    sign_in(client, "Helen Marsh")
    for response in (
        client.post("/api/themes", json={"name": "Reader's theme"}),
        client.post(f"/api/themes/{top['id']}/rename", json={"name": "Mine"}),
        client.post(f"/api/themes/links/{link['id']}/remove"),
    ):
        assert response.status_code == 403 and "reader" in error(response)
    assert snapshot(str(demo)) == before


# -- quotes ----------------------------------------------------------------------------------


def test_node_quotes_page_and_twin(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    leaf = node(
        client, "Two problems, one person > Breaking into the circle > Small wins, two gains"
    )
    twin = client.get(f"/api/themes/{leaf['id']}/quotes").json()
    page = client.get(f"/themes/{leaf['id']}/quotes").text
    assert twin["count"] == leaf["count"] and twin["withheld"] == 0
    assert twin["quotes"] and {q["level"] for q in twin["quotes"]} == {2}
    with StudyService.open(str(demo)) as s:
        expected = [
            c
            for path in (
                ("Goals and activity", "Small wins"),
                ("Goals and activity", "Home ground"),
            )
            for c in s.codings(code=path, level=Level.TWO)
        ]
    assert sorted(q["coding"] for q in twin["quotes"]) == sorted(c.id for c in expected)
    participants = {q["participant"] for q in twin["quotes"]}
    assert len(participants) == leaf["count"]["n"]
    for q in twin["quotes"][:5]:
        assert q["href"] == f"/transcripts/{q['transcript_id']}#o{q['start']}"
        assert f'href="{q["href"]}"' in page and q["participant"] in page
    assert any(p.startswith(("Physio ", "OT ")) for p in participants)
    # a higher node gathers its sub-themes' quotes, saying where each came from
    parent = node(client, "Two problems, one person > Breaking into the circle")
    gathered = client.get(f"/api/themes/{parent['id']}/quotes").json()["quotes"]
    assert {q["via"] for q in gathered} == {
        "Small wins, two gains",
        "Being known and believed",
        "It's the company",
    }
    # a divergent case is marked as such
    part = node(
        client,
        "Working at the edge of the remit > Whose job is it? > Part of the job, but out of my depth",
    )
    quotes = client.get(f"/api/themes/{part['id']}/quotes").json()["quotes"]
    divergent = [q for q in quotes if q["stance"] == "divergent"]
    assert divergent and {q["code"] for q in divergent} == {"Role > Stick to the body"}
    assert "Divergent case" in client.get(f"/themes/{part['id']}/quotes").text


def test_code_quotes_respect_blind_coding(client: TestClient, demo: Path) -> None:
    sign_in(client, "Tom Okafor")
    waits = code_id(client, "Referral > Long waits")
    everyone = client.get(f"/api/codes/{waits}/quotes").json()["quotes"]
    assert {q["coder"] for q in everyone} == {"Rachel Ames", "Tom Okafor"}
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    blind = client.get(f"/api/codes/{waits}/quotes").json()["quotes"]
    assert blind and {q["coder"] for q in blind} == {"Tom Okafor"}
    assert "Rachel Ames" not in client.get(f"/codes/{waits}/quotes").text.split("<main")[1]


def test_blind_coding_counts_only_the_codings_a_member_may_see(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, "Tom Okafor")
    steps = code_id(client, "Goals and activity > Graded steps")
    with StudyService.open(str(demo)) as s:
        everyone = len(s.codings(code=("Goals and activity", "Graded steps"), level=Level.ONE))
        s.set_blind_coding(True, by="Rachel Ames")
        seen = s.codings(level=Level.ONE, visible_to="Tom Okafor")
        agreed = {c.id: c.codings for c in s.codes(Level.TWO)}
    own = sum(1 for c in seen if c.code == ("Goals and activity", "Graded steps"))
    assert 0 < own < everyone  # Rachel coded it too
    twin = client.get("/api/codebook").json()
    one = {c["path"]: c["codings"] for c in twin["levels"][1]["codes"]}
    assert one["Goals and activity > Graded steps"] == own
    assert sum(one.values()) == len(seen)
    assert {c["id"]: c["codings"] for c in twin["levels"][0]["codes"]} == agreed
    assert client.get(f"/api/codebook/{steps}").json()["code"]["codings"] == own
    assert f"· {own} codings" in client.get(f"/codebook/{steps}").text
    page = client.get("/codebook").text  # the codebook is a tree (issue 14, item 2)
    row = page.split(f' id="c{steps}" ')[1].split("</div>")[0]
    assert f'<span class="count num" title="Codings you can see">{own}</span>' in row


def test_blind_coding_split_never_moves_or_locates_hidden_codings(
    client: TestClient, demo: Path
) -> None:
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
        hidden = next(c for c in s.codings(level=Level.ONE) if c.coder == "Rachel Ames")
        other = next(c for c in s.codes(Level.ONE) if c.path[:1] != hidden.code[:1])
    sign_in(client, "Tom Okafor")
    own = code_id(client, " > ".join(hidden.code))
    before = snapshot(str(demo))
    for where in (own, other.id):
        response = client.post(
            f"/api/codebook/{where}/split", json={"name": "Probe", "codings": [hidden.id]}
        )
        path = " > ".join(hidden.code) if where == own else " > ".join(other.path)
        assert response.status_code == 422
        assert error(response) == f"codings {hidden.id} are not coded with {path!r}"
    page = client.post(f"/codebook/{own}/split", data={"name": "Probe", "codings": hidden.id})
    assert page.status_code == 422 and "not coded with" in page.text
    assert snapshot(str(demo)) == before
    assert f'value="{hidden.id}"' not in client.get(f"/codebook/{own}").text


def test_blind_coding_keeps_level_one_merges_for_the_lead(client: TestClient, demo: Path) -> None:
    with StudyService.open(str(demo)) as s:
        s.set_blind_coding(True, by="Rachel Ames")
    sign_in(client, "Tom Okafor")
    source = code_id(client, "Goals and activity > Graded steps")
    target = code_id(client, "Goals and activity > Meaningful goals")
    page = client.get(f"/codebook/{source}").text
    assert f'action="/codebook/{source}/merge"' not in page and "only a lead merges" in page
    assert client.get(f"/api/codebook/{source}").json()["can_merge"] is False
    before = snapshot(str(demo))
    refused = client.post(f"/api/codebook/{source}/merge", json={"target": target})
    assert refused.status_code == 403 and "codes blind" in error(refused)
    assert snapshot(str(demo)) == before
    sign_in(client, "Rachel Ames")
    assert client.get(f"/api/codebook/{source}").json()["can_merge"] is True
    done = client.post(f"/api/codebook/{source}/merge", json={"target": target}).json()
    assert done["summary"] == (
        "Merged 'Goals and activity > Graded steps' into 'Goals and activity > Meaningful goals'"
    )


def test_api_changes_need_a_json_content_type(client: TestClient, demo: Path) -> None:
    """A page of another origin can post plain text or a form without asking; not JSON."""
    sign_in(client, "Rachel Ames")
    code = code_json(client, "Time > Short follow-up slots")
    leaf = node(client, "Two problems, one person > Round and round > Winding each other up")
    before = snapshot(str(demo))
    body = '{"name": "Renamed by another site"}'
    for url in (
        f"/api/codebook/{code['id']}/rename",
        "/api/themes",
        f"/api/themes/{leaf['id']}/rename",
        "/api/themes/links",
    ):
        for headers in ({"content-type": "text/plain"}, {}):
            response = client.post(url, content=body, headers=headers)
            assert response.status_code == 422, (url, headers)
            assert "Content-Type: application/json" in error(response)
        form = client.post(url, data={"name": "Renamed by a form"})
        assert form.status_code == 422 and "'application/x-www-form-urlencoded'" in error(form)
    assert snapshot(str(demo)) == before
    done = client.post(
        f"/api/codebook/{code['id']}/rename",
        content=body,
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert done.status_code == 200


def test_anonymised_only_members_never_see_unanonymised_words(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, "Helen Marsh")
    leaf = node(client, "Two problems, one person > Round and round > Winding each other up")
    twin = client.get(f"/api/themes/{leaf['id']}/quotes").json()
    assert twin["quotes"] and twin["withheld"] == len(twin["quotes"])
    assert all(q["text"] is None and q["href"] is None for q in twin["quotes"])
    page = client.get(f"/themes/{leaf['id']}/quotes").text
    with StudyService.open(str(demo)) as s:
        words = [
            c.text for c in s.codings(code=("Pain and mood", "A vicious cycle"), level=Level.TWO)
        ]
    assert words and not any(w in page for w in words)
    assert "not yet anonymised" in page and "Open in transcript" not in page
    # once a transcript is fully anonymised (as ``anonymise apply`` records it) its quotes show
    first = twin["quotes"][0]["transcript_id"]
    engine = make_engine(str(demo))
    with Session(engine) as session, session.begin():
        row = session.get(TranscriptRow, first)
        assert row is not None
        row.anonymisation = AnonymisationState.ANONYMISED.value
    engine.dispose()
    shown = client.get(f"/api/themes/{leaf['id']}/quotes").json()["quotes"]
    assert {q["transcript_id"] for q in shown if q["text"] is not None} == {first}


def test_only_the_theme_being_given_a_code_lists_the_codes(client: TestClient) -> None:
    """Issue 14, item 5: a theme lists its own codes; the study's codes are listed once, in the
    "Assign a code" form of the theme asked for (``?assign=``), so the page stays small."""
    sign_in(client, "Rachel Ames")
    twin = client.get("/api/themes").json()
    node = twin["nodes"][0]["id"]
    option = f'<option value="{twin["codes"][0]["id"]}">'
    page = client.get("/themes").text
    assert option not in page and 'name="code" required' not in page
    assert f'href="/themes?assign={node}#assign-form-{node}"' in page
    asked = client.get(f"/themes?assign={node}").text
    assert asked.count('name="code" required') == 1 and asked.count(option) == 1
    assert f'<form method="post" action="/themes/{node}/assign" id="assign-form-{node}">' in asked
