"""The journal, memos and search through HTTP: pages, JSON twins, forms, and 4xx with nothing
changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


def test_journal_api_and_page(client: TestClient) -> None:
    sign_in(client)
    made = client.post(
        "/api/journal",
        json={
            "text": "My clinic <b>background</b> shapes this.",
            "kind": "field-note",
            "transcripts": ["Physio 1"],
            "codes": [],
        },
    )
    assert made.status_code == 201
    entry = made.json()
    assert entry["author"] == CODER and entry["transcripts"][0]["label"] == "Physio 1"
    listed = client.get("/api/journal", params={"q": "clinic"}).json()
    assert [e["id"] for e in listed["entries"]] == [entry["id"]]
    assert client.get("/api/journal", params={"q": "absent"}).json()["entries"] == []
    page = client.get("/journal").text
    assert "My clinic &lt;b&gt;background&lt;/b&gt; shapes this." in page  # escaped
    assert 'href="/transcripts/' in page and "Field note" in page
    changed = client.patch(
        f"/api/journal/{entry['id']}", json={"text": "Rewritten.", "version": entry["version"]}
    )
    assert changed.status_code == 200 and changed.json()["text"] == "Rewritten."
    stale = client.patch(
        f"/api/journal/{entry['id']}", json={"text": "Stale.", "version": entry["version"]}
    )
    assert stale.status_code == 409 and "was changed" in stale.json()["error"]
    sign_in(client, LEAD)
    assert client.get("/api/journal").json()["entries"] == []  # personal
    assert client.delete(f"/api/journal/{entry['id']}").status_code == 404
    sign_in(client)
    gone = client.delete(
        f"/api/journal/{entry['id']}", params={"version": changed.json()["version"]}
    )
    assert gone.status_code == 200 and client.get("/api/journal").json()["entries"] == []


def test_journal_forms(client: TestClient) -> None:
    sign_in(client, READER)  # readers keep a journal too
    response = client.post(
        "/journal",
        data={"text": "First visit.", "kind": "journal", "transcripts": ["1", "2"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    entry = client.get("/api/journal").json()["entries"][0]
    assert [t["id"] for t in entry["transcripts"]] == [1, 2]
    client.post(
        f"/journal/{entry['id']}/edit",
        data={"text": "First visit, edited.", "kind": "field-note", "version": entry["version"]},
    )
    edited = client.get("/api/journal").json()["entries"][0]
    assert (edited["text"], edited["kind"]) == ("First visit, edited.", "field-note")
    client.post(f"/journal/{entry['id']}/delete", data={"version": edited["version"]})
    assert client.get("/api/journal").json()["entries"] == []


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "message"),
    [
        ("post", "/api/journal", {"text": "   "}, 422, "needs some text"),
        ("post", "/api/journal", {"text": "x", "kind": "diary"}, 422, "field-note"),
        ("post", "/api/journal", {"text": "x", "transcripts": ["nope"]}, 404, "no transcript"),
        ("post", "/api/journal", {"text": "x", "codes": [99999]}, 404, "no code 99999"),
        ("post", "/api/journal", {"text": "x" * 20_001}, 422, ""),
        ("patch", "/api/journal/99999", {"text": "x"}, 404, "no journal entry"),
        ("post", "/api/memos", {"target": "code:99999", "text": "x"}, 404, "no code 99999"),
        ("post", "/api/memos", {"target": "nonsense", "text": "x"}, 422, "write code:ID"),
        ("post", "/api/memos", {"target": "code:1", "text": "  "}, 422, "needs some text"),
        ("patch", "/api/memos/99999", {"text": "x"}, 404, "no memo 99999"),
        ("delete", "/api/memos/abc", None, 422, "give its number"),
        ("post", "/api/search/code-all", {"query": "pain", "code": "Nope"}, 404, "no level-1 code"),
        (
            "post",
            "/api/search/code-all",
            {"query": "pain", "code": "x", "scope": "page"},
            422,
            "matched words",
        ),
        (
            "post",
            "/api/search/code-all",
            {"query": "qqqzzz", "code": "x", "create": True},
            422,
            "no results",
        ),
        (
            "post",
            "/api/search/code-all",
            {"query": "pain", "code": "P", "create": True, "expected": 1},
            409,
            "results changed",
        ),
    ],
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    client: TestClient, demo: Path, method: str, url: str, body: object, status: int, message: str
) -> None:
    sign_in(client)
    before = snapshot(str(demo))
    response = getattr(client, method)(url, **({"json": body} if body is not None else {}))
    assert response.status_code == status, response.text
    if message:
        assert message in response.json()["error"]
    assert snapshot(str(demo)) == before


def test_memos_api_forms_and_partial(client: TestClient, demo: Path) -> None:
    sign_in(client)
    with StudyService.open(str(demo)) as study:
        code = study.codes()[0].id
        coding = next(c.id for c in study.codings(coder=CODER) if not c.memo)
    made = client.post("/api/memos", json={"target": f"code:{code}", "text": "Overlaps."})
    assert made.status_code == 201 and made.json()["editable"]
    listed = client.get("/api/memos", params={"target": f"code:{code}"}).json()["memos"]
    assert [m["text"] for m in listed] == ["Overlaps."]
    page = client.get("/memos", params={"target": f"code:{code}"}).text
    assert "Overlaps." in page and 'action="/memos/add"' in page and "Edit or delete" in page
    # plain form posts, back to a local page only
    response = client.post(
        "/memos/add",
        data={"target": f"code:{code}", "text": "Second.", "back": "//evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/memos"
    memo = client.get("/api/memos", params={"target": f"code:{code}"}).json()["memos"][1]
    client.post(
        f"/memos/{memo['ref']}/edit", data={"text": "Second, edited.", "version": memo["version"]}
    )
    stale = client.post(
        f"/memos/{memo['ref']}/edit", data={"text": "x", "version": memo["version"]}
    )
    assert stale.status_code == 409
    sign_in(client, LEAD)
    assert (
        client.get("/api/memos", params={"target": f"code:{code}"}).json()["memos"][0]["editable"]
        is True
    )
    assert client.delete(f"/api/memos/{memo['ref']}").status_code == 200  # a lead may
    # a coding's memo, the same way
    sign_in(client)
    coded = client.post("/api/memos", json={"target": f"coding:{coding}", "text": "In vivo?"})
    assert coded.status_code == 201 and coded.json()["ref"] == f"coding:{coding}"
    listed = client.get("/api/memos", params={"target": f"coding:{coding}"}).json()["memos"]
    assert [m["text"] for m in listed] == ["In vivo?"]
    sign_in(client, READER)
    before = snapshot(str(demo))
    assert (
        client.post("/api/memos", json={"target": f"code:{code}", "text": "x"}).status_code == 403
    )
    assert (
        client.post("/memos/add", data={"target": f"code:{code}", "text": "x"}).status_code == 403
    )
    assert 'action="/memos/add"' not in client.get("/memos", params={"target": f"code:{code}"}).text
    # an anonymised-only reader sees no memo on a transcript not yet anonymised
    assert client.get("/api/memos", params={"target": "transcript:1"}).status_code == 403
    assert snapshot(str(demo)) == before


def test_search_page_and_twin(client: TestClient) -> None:
    sign_in(client)
    data = client.get(
        "/api/search", params={"q": '"low mood"', "attribute": "group", "value": "Physiotherapist"}
    ).json()
    hits = data["results"]["hits"]
    assert hits and all(h["participant"].startswith("Physio") for h in hits)
    assert all(h["link"] == f"/transcripts/{h['transcript_id']}#o{h['turn_start']}" for h in hits)
    page = client.get(
        "/search", params={"q": '"low mood"', "attribute": "group", "value": "Physiotherapist"}
    ).text
    assert page.count("<mark>") == data["results"]["matches"] and "Code all results" in page
    transcript = client.get(hits[0]["link"].split("#")[0]).text
    assert f'id="o{hits[0]["turn_start"]}"' in transcript
    assert client.get("/api/search", params={"q": 'NEAR( AND " *'}).status_code == 200
    assert client.get("/api/search", params={"q": " "}).status_code == 422
    assert (
        client.get(
            "/api/search", params={"q": "pain", "attribute": "shoe", "value": "9"}
        ).status_code
        == 404
    )
    assert client.get("/search", params={"q": "pain", "code": "abc"}).status_code == 422


def test_code_all_results_with_a_confirmation(client: TestClient, demo: Path) -> None:
    sign_in(client)
    query = {"q": "pain", "attribute": "group", "value": "Occupational therapist"}
    before = snapshot(str(demo))
    review = client.get(
        "/search", params={**query, "code_all": "Pain talk", "create": "true", "scope": "turn"}
    ).text
    assert (
        "Code all results?" in review and "(a new code)" in review and "each whole turn" in review
    )
    assert snapshot(str(demo)) == before  # reviewing codes nothing
    turns = len(client.get("/api/search", params=query).json()["results"]["hits"])
    assert f"<strong>{turns} codings</strong>" in review
    stale = client.post(
        "/search/code-all",
        data={
            **query,
            "code_all": "Pain talk",
            "create": "true",
            "scope": "turn",
            "expected": turns + 1,
        },
    )
    assert stale.status_code == 409 and snapshot(str(demo)) == before
    done = client.post(
        "/search/code-all",
        data={
            **query,
            "code_all": "Pain talk",
            "create": "true",
            "scope": "turn",
            "expected": turns,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and f"done={turns}" in done.headers["location"]
    assert f"Coded {turns} results" in client.get(done.headers["location"]).text
    with StudyService.open(str(demo)) as study:
        coded = study.codings(code=("Pain talk",))
    assert len(coded) == turns and {c.coder for c in coded} == {CODER}
    assert all(c.participant and c.participant.startswith("OT") for c in coded)
    sign_in(client, READER)
    before = snapshot(str(demo))
    assert "Code all results" not in client.get("/search", params={"q": "pain"}).text
    assert (
        client.post(
            "/search/code-all", data={"q": "pain", "code_all": "X", "expected": 1}
        ).status_code
        == 403
    )
    assert (
        client.post("/api/search/code-all", json={"query": "pain", "code": "X"}).status_code == 403
    )
    assert (
        client.get("/api/search", params={"q": "pain"}).json()["results"]["hits"] == []
    )  # not anonymised
    assert snapshot(str(demo)) == before
