"""Each request's reads share one session (``middleware.SharedReadsPerRequest``): a transcript
page takes two connections from the pool (the sign-in gate's and the request's view), not one
per read, and gives both back once it has answered."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.types import Message, Receive, Scope, Send

from tests.web.conftest import sign_in_client
from thematica.service import StudyService
from thematica.web.middleware import STUDY_STATE, SharedReadsPerRequest


def test_a_request_reads_through_one_session(client: TestClient) -> None:
    sign_in_client(client, "Tom Okafor")
    engine = client.app.state.service._engine  # type: ignore[attr-defined]
    taken = [0]

    def count(*_args: object) -> None:
        taken[0] += 1

    event.listen(engine, "checkout", count)
    try:
        for url in ("/transcripts/1", "/api/transcripts/1"):
            taken[0] = 0
            response = client.get(url)
            assert response.status_code == 200
            assert taken[0] <= 2, f"{url} took {taken[0]} connections"
            assert engine.pool.checkedout() == 0  # the request's session was closed
    finally:
        event.remove(engine, "checkout", count)


def test_a_transcript_page_asks_each_lookup_once(client: TestClient) -> None:
    """The lookups every read repeated (the transcript's number, member ids, the team, the
    study's row) are made once per request, and what one statement can answer is asked in one
    (a transcript's summary, the live fingerprint, the member's id and role): 17 statements
    for a signed-in member, not the 39 of one session each (23 before the summary and the
    fingerprint became one statement each)."""
    sign_in_client(client, "Tom Okafor")
    engine = client.app.state.service._engine  # type: ignore[attr-defined]
    client.get("/transcripts/1")
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/transcripts/1").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 17, "\n".join(statements)
    looked_up = [
        s for s in statements if s.startswith(("SELECT study.id", "SELECT transcripts.id \n"))
    ]
    assert len(looked_up) <= 2


def test_a_refused_request_gives_its_session_back(client: TestClient) -> None:
    sign_in_client(client, "Helen Marsh")  # a reader
    engine = client.app.state.service._engine  # type: ignore[attr-defined]
    assert client.get("/api/transcripts/999").status_code == 404
    assert client.post("/api/transcripts/1/codings", json={"code": "x"}).status_code >= 400
    assert engine.pool.checkedout() == 0


def test_the_session_is_closed_as_the_answer_starts(demo: Path) -> None:
    """A long answer (a recording streamed to the player) holds no connection."""
    service = StudyService.open(str(demo))
    seen: dict[str, int] = {}

    async def app(scope: Scope, _receive: Receive, send: Send) -> None:
        scope["state"][STUDY_STATE].title()
        seen["reading"] = service._engine.pool.checkedout()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        seen["answering"] = service._engine.pool.checkedout()
        await send({"type": "http.response.body", "body": b"..."})

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(_message: Message) -> None:
        return None

    try:
        asyncio.run(SharedReadsPerRequest(app, service)({"type": "http"}, receive, send))
    finally:
        service.close()
    assert seen == {"reading": 1, "answering": 0}
