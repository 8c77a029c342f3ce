"""Corrections in the workbench (issue 16, item 3): the JSON routes the transcript page's
corrections dialog calls (text, speaker, split, merge, clearing a flag), a 4xx with the one-line
message and nothing changed on a refusal, and a 403 for a reader. The route x role matrix is in
test_authorization_matrix.py."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
TURN6 = "/api/transcripts/6/turns/6"


def covered(demo: Path, coding_id: int) -> str:
    with StudyService.open(str(demo)) as study:
        return study.coding(coding_id).text


def test_edit_split_and_merge_keep_codings_and_flag_the_edited_one(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, LEAD)
    turn = client.get("/api/transcripts/6").json()["turns"][5]["text"]
    assert turn.startswith("Oh, they feed each other, no question. Pain wears you down.")
    new = turn.replace("Pain wears you down", "Pain grinds you down")
    done = client.post(f"{TURN6}/text", json={"text": new})
    assert done.status_code == 200, done.text
    assert (done.json()["codings_flagged"], done.json()["turn"]) == (3, 6)
    assert covered(demo, 89) == "Oh, they feed each other, no question. Pain grinds you down."
    assert covered(demo, 90).startswith("You stop sleeping")  # the next sentence: unflagged
    split = client.post(f"{TURN6}/split", json={"at": turn.index("You stop")})
    assert split.status_code == 200 and split.json()["codings_flagged"] == 0
    merged = client.post(f"{TURN6}/merge")
    assert merged.status_code == 200 and merged.json()["kind"] == "merge"
    assert covered(demo, 90).startswith("You stop sleeping")
    speaker = client.post(f"{TURN6}/speaker", json={"speaker": "Tom Okafor"})
    assert speaker.status_code == 200
    assert client.get("/api/transcripts/6").json()["turns"][5]["role"] == "interviewer"
    sign_in(client, CODER)
    cleared = client.delete("/api/codings/89/flag")
    assert cleared.status_code == 200 and cleared.json() == {"coding": 89, "flagged": False}
    assert client.delete("/api/codings/89/flag").status_code == 404
    assert client.delete("/api/codings/88/flag").status_code == 403  # Rachel's


def test_refusals_are_4xx_with_the_message_and_change_nothing(
    client: TestClient, demo: Path
) -> None:
    sign_in(client, CODER)
    before = snapshot(str(demo))
    for path, body, status, words in [
        (f"{TURN6}/text", {"text": " \n "}, 422, "the new text is empty"),
        ("/api/transcripts/6/turns/99/merge", None, 422, "no such turn"),
        (f"{TURN6}/split", {"at": 2}, 422, "inside a word"),
        (f"{TURN6}/speaker", {"speaker": "Zed"}, 422, "give --new-speaker"),
        ("/api/transcripts/99/turns/1/merge", None, 404, "no transcript"),
    ]:
        got = client.post(path, json=body) if body is not None else client.post(path)
        assert got.status_code == status, (path, got.text)
        assert words in got.json()["error"], got.json()
    sign_in(client, READER)
    refused = client.post(f"{TURN6}/text", json={"text": "Hello."})
    assert refused.status_code == 403 and "reader" in refused.json()["error"]
    assert snapshot(str(demo)) == before
