"""The change feed over HTTP (issue 10, item 7): ``GET /api/live/transcripts/{ref}`` answers a
fingerprint with its ETag, 304 when it is the one sent in ``If-None-Match``; a change the member
may see gives a new one, a blind coder's stays put when the other coder codes, and a member who
sees anonymised text only is refused for a transcript not yet anonymised. The transcript page
carries the fingerprint it was built at. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.service.test_analysis import A, B
from tests.service.test_live import LIMITED, READER, team  # noqa: F401 (fixture)
from tests.web.conftest import sign_in_client
from thematica.service import StudyService
from thematica.web.app import create_app


@pytest.fixture
def web(team: StudyService) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(team.location), base_url="http://127.0.0.1") as c:
        yield c


def poll(client: TestClient, as_member: str, ref: str, seen: str = "") -> tuple[int, str]:
    sign_in_client(client, as_member)
    headers = {"If-None-Match": f'"{seen}"'} if seen else {}
    response = client.get(f"/api/live/transcripts/{ref}", headers=headers)
    if response.status_code == 304:
        assert response.content == b"" and response.headers["etag"] == f'"{seen}"'
        return 304, seen
    if response.status_code != 200:
        return response.status_code, response.json()["error"]
    version = response.json()["version"]
    assert response.headers["etag"] == f'"{version}"'
    assert response.headers["cache-control"] == "no-store"
    return 200, version


def add(client: TestClient, as_member: str, ref: str, start: int, end: int) -> int:
    sign_in_client(client, as_member)
    body = {"code": "Mood", "start": start, "end": end}
    response = client.post(f"/api/transcripts/{ref}/codings", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_unchanged_is_304_and_a_visible_change_is_a_new_version(web: TestClient) -> None:
    status, seen = poll(web, B, "1")
    assert status == 200
    assert poll(web, B, "1", seen) == (304, seen)
    add(web, A, "1", 31, 35)
    status, now = poll(web, B, "1", seen)
    assert status == 200 and now != seen
    assert poll(web, READER, "2")[0] == 200  # readers follow anonymised transcripts


def test_the_page_carries_the_version_it_was_built_at(web: TestClient) -> None:
    _, seen = poll(web, B, "1")
    page = web.get("/transcripts/1").text
    assert f'data-live="{seen}"' in page


def test_a_blind_coder_polls_in_vain_while_the_other_coder_codes(
    web: TestClient,
    team: StudyService,  # noqa: F811
) -> None:
    team.set_blind_coding(True, by=A)
    _, seen = poll(web, B, "1")
    coding = add(web, A, "1", 31, 35)
    assert poll(web, B, "1", seen) == (304, seen)
    sign_in_client(web, A)
    assert web.delete(f"/api/codings/{coding}").status_code == 200
    assert poll(web, B, "1", seen) == (304, seen)
    add(web, B, "1", 0, 5)
    assert poll(web, B, "1", seen)[0] == 200


def test_members_who_see_anonymised_text_only_get_nothing_for_the_rest(web: TestClient) -> None:
    status, error = poll(web, LIMITED, "1")
    assert status == 403 and "not fully anonymised" in error
    assert poll(web, READER, "1")[0] == 403
    assert poll(web, LIMITED, "t1.txt")[0] == 404  # a file name is not a way in either
    assert poll(web, LIMITED, "2")[0] == 200


def test_signed_out_gets_401(web: TestClient) -> None:
    web.cookies.clear()
    assert web.get("/api/live/transcripts/1").status_code == 401


def test_the_codebook_feed(web: TestClient) -> None:
    sign_in_client(web, B)
    first = web.get("/api/live/codebook")
    version = first.json()["version"]
    assert web.get("/codebook").text.count(f'data-live="{version}"') == 1
    unchanged = web.get("/api/live/codebook", headers={"If-None-Match": f'"{version}"'})
    assert unchanged.status_code == 304
    add(web, A, "2", 0, 5)
    sign_in_client(web, B)
    assert (
        web.get("/api/live/codebook", headers={"If-None-Match": f'"{version}"'}).json()["version"]
        != version
    )


def test_the_themes_feed(web: TestClient, team: StudyService) -> None:  # noqa: F811
    sign_in_client(web, B)
    first = web.get("/api/live/themes")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    version = first.json()["version"]
    assert first.headers["etag"] == f'"{version}"'
    assert web.get("/themes").text.count(f'data-live="{version}"') == 1
    unchanged = web.get("/api/live/themes", headers={"If-None-Match": f'"{version}"'})
    assert unchanged.status_code == 304 and unchanged.content == b""
    sign_in_client(web, A)
    made = web.post("/api/themes", json={"name": "Living with pain"})
    assert made.status_code == 201, made.text
    sign_in_client(web, B)
    changed = web.get("/api/live/themes", headers={"If-None-Match": f'"{version}"'})
    assert changed.status_code == 200 and changed.json()["version"] != version
    team.set_blind_coding(True, by=A)
    _, seen = poll_themes(web, B)
    add(web, A, "1", 31, 35)  # the other coder's level-one work
    assert poll_themes(web, B, seen) == (304, seen)
    assert poll_themes(web, READER)[0] == 200
    web.cookies.clear()
    assert web.get("/api/live/themes").status_code == 401


def poll_themes(client: TestClient, as_member: str, seen: str = "") -> tuple[int, str]:
    sign_in_client(client, as_member)
    headers = {"If-None-Match": f'"{seen}"'} if seen else {}
    response = client.get("/api/live/themes", headers=headers)
    if response.status_code == 304:
        return 304, seen
    return response.status_code, response.json().get("version", "")
