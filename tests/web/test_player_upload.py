"""Attaching a recording from the transcript page (issue 16, item 1's upload):
``POST /transcripts/{id}/recording`` takes a multipart upload (beyond the 2 MB body limit of every
other route), writes it to disk as it arrives under its own name, attaches it in the member's
name and removes what it received, whatever happened; a refusal is a 4xx with the service's one
line and leaves the study and the media folder as they were. Readers and anonymised-only members
see no form and are refused before the upload is read. A recording whose file has gone is
reported on the page with the form to re-link it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from tests.conftest import snapshot
from tests.media.recordings import not_audio, truncated, wav
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService
from thematica.web.middleware import RECORDING_LIMIT, BodyLimit
from thematica.web.upload import safe_name

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
TEN_MINUTES = 600  # Physio 4's transcript runs to 9:18


@pytest.fixture(autouse=True)
def beside_the_study(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THEMATICA_MEDIA_DIR", raising=False)


def ref(demo: Path, who: str = "Physio 4") -> int:
    with StudyService.open(str(demo)) as study:
        return next(t.id for t in study.transcripts() if t.participant == who)


def media(demo: Path) -> Path:
    return demo.with_name("demo.thematica-media")


def leftovers(demo: Path) -> list[str]:
    """What an upload may leave behind in the media folder: nothing but recordings."""
    folder = media(demo)
    return (
        sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
        if folder.exists()
        else []
    )


def upload(client: TestClient, tid: int, file: Path, **fields: str) -> Any:
    with file.open("rb") as fh:
        return client.post(
            f"/transcripts/{tid}/recording",
            files={"recording": (file.name, fh)},
            data=fields,
            follow_redirects=False,
        )


def test_attach_then_relink_from_the_page(client: TestClient, demo: Path, tmp_path: Path) -> None:
    sign_in(client, CODER)
    tid = ref(demo)
    page = client.get(f"/transcripts/{tid}").text
    assert 'id="attach-form"' in page and "Attach a recording" in page and "<audio" not in page
    source = wav(tmp_path / "Physio 4 interview.wav", TEN_MINUTES)
    assert source.stat().st_size > 2 * 1024 * 1024  # over every other route's body limit
    answer = upload(client, tid, source)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/transcripts/{tid}?recording=attached"
    with StudyService.open(str(demo)) as study:
        found = study.recording_of(str(tid))
    assert found is not None and found.original_name == "Physio 4 interview.wav"
    assert found.attached_by == CODER and found.duration_ms == TEN_MINUTES * 1000
    assert leftovers(demo) == []
    page = client.get(f"/transcripts/{tid}?recording=attached").text
    assert 'id="recording-notice"' in page and "Recording attached: Physio 4 interview.wav" in page
    assert f'<audio id="player" controls preload="metadata" src="/media/{tid}">' in page
    assert "Re-link the recording" in page and 'name="relink" value="1"' in page
    again = wav(tmp_path / "second.wav", TEN_MINUTES + 1)
    refused = upload(client, tid, again)
    assert refused.status_code == 409 and "already has a recording" in refused.text
    relinked = upload(client, tid, again, relink="1")
    assert relinked.headers["location"] == f"/transcripts/{tid}?recording=relinked"
    with StudyService.open(str(demo)) as study:
        found = study.recording_of(str(tid))
    assert found is not None and found.original_name == "second.wav"
    assert leftovers(demo) == []


def text_file(path: Path, text: str = "Not audio at all.\n" * 50) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: text_file(d / "notes.mp3"), "notes.mp3: "),
        (lambda d: not_audio(d / "noise.mp3"), "noise.mp3: "),
        (lambda d: wav(d / "short.wav", 20), "short.wav: "),
        (lambda d: truncated(d / "cut.wav", 700), "cut.wav: "),
        (lambda d: text_file(d / "p4.txt"), "p4.txt: unsupported type"),
    ],
    ids=["text-named-mp3", "random-named-mp3", "too-short", "truncated", "unsupported"],
)
def test_refusals_leave_the_study_and_the_folder_unchanged(
    client: TestClient, demo: Path, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    sign_in(client, CODER)
    tid = ref(demo)
    file = make(tmp_path)
    before = snapshot(str(demo))
    answer = upload(client, tid, file)
    assert answer.status_code == 422, answer.text
    assert message in answer.text
    assert str(tmp_path) not in answer.text and ".upload-" not in answer.text
    assert snapshot(str(demo)) == before
    assert leftovers(demo) == []
    assert not [p for p in media(demo).glob("*") if p.is_file()] if media(demo).exists() else True


def test_no_file_chosen_or_not_a_form(client: TestClient, demo: Path) -> None:
    sign_in(client, CODER)
    tid = ref(demo)
    empty = client.post(
        f"/transcripts/{tid}/recording", files={"recording": ("", b"")}, follow_redirects=False
    )
    assert empty.status_code == 422 and "choose a recording" in empty.text
    plain = client.post(f"/transcripts/{tid}/recording", data={"relink": "1"})
    assert plain.status_code == 422 and "multipart/form-data" in plain.text
    assert leftovers(demo) == []


@pytest.mark.parametrize("who", ["reader", "anonymised-only"])
def test_readers_and_anonymised_only_members_cannot_attach(
    client: TestClient, demo: Path, tmp_path: Path, who: str
) -> None:
    name = READER
    if who == "anonymised-only":
        with StudyService.open(str(demo)) as study:
            study.set_anonymised_only(CODER, True)
        name = CODER
    sign_in(client, name)
    pages = [client.get(f"/transcripts/{i}") for i in range(1, 11)]
    readable = [p.text for p in pages if p.status_code == 200]  # anonymised ones (none yet)
    assert all(p.status_code in (200, 403) for p in pages)
    assert not [p for p in readable if "attach-form" in p or "recording.js" in p]
    with StudyService.open(str(demo)) as study:  # what decides whether the page has the form
        assert not study.as_member(name).may_attach_recordings
        assert study.as_member(LEAD).may_attach_recordings
    tid = ref(demo)
    answer = upload(client, tid, wav(tmp_path / "p.wav", TEN_MINUTES))
    assert answer.status_code == 403
    assert not media(demo).exists()  # refused before anything was received


def test_a_missing_file_is_reported_with_the_relink_form(
    client: TestClient, demo: Path, tmp_path: Path
) -> None:
    tid = ref(demo)
    with StudyService.open(str(demo)) as study:
        study.as_member(LEAD).attach_recording(str(tid), wav(tmp_path / "p4.wav", TEN_MINUTES))
        study.recording_file(str(tid)).path.unlink()
    sign_in(client, CODER)
    page = client.get(f"/transcripts/{tid}").text
    assert 'id="recording-missing"' in page and "p4.wav is missing from the media folder" in page
    assert "<audio" not in page and "player.js" not in page and 'class="time seek' not in page
    assert '<details class="attach" open>' in page and "Re-link the recording" in page
    answer = upload(client, tid, wav(tmp_path / "p4.wav", TEN_MINUTES), relink="1")
    assert answer.status_code == 303
    assert "<audio" in client.get(f"/transcripts/{tid}").text


def test_the_sent_name_becomes_a_safe_base_name() -> None:
    assert safe_name("Physio 4.wav") == "Physio 4.wav"
    assert safe_name("C:\\Users\\me\\P4.MP3") == "P4.MP3"
    assert safe_name("../../etc/passwd.wav") == "passwd.wav"
    assert safe_name(".hidden.wav") == "hidden.wav"
    assert safe_name("") == safe_name("..") == "recording"
    assert safe_name("a\x00b:c?.ogg") == "a_b_c_.ogg"
    long = safe_name("x" * 500 + ".opus")
    assert len(long) == 200 and long.endswith(".opus")


def _through(path: str, chunks: list[bytes], declared: int | None) -> tuple[int | None, int]:
    """Send ``chunks`` to ``path`` through the body limit: (the status it answered itself, or
    None; how many body messages the app behind it received)."""
    seen: list[Message] = []
    status: list[int] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            seen.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                return

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    pending = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> Message:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    headers = [] if declared is None else [(b"content-length", str(declared).encode())]
    scope: Scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    asyncio.run(BodyLimit(app)(scope, receive, send))
    return (status[0] if status else None), len(seen)


def test_only_the_recording_route_streams_past_the_body_limit() -> None:
    chunk = bytes(1024 * 1024)
    three_mb = [chunk, chunk, chunk]
    assert _through("/transcripts/6/recording", three_mb, 3 * len(chunk)) == (None, 3)
    assert _through("/transcripts/6/checking", three_mb, 3 * len(chunk))[0] == 413
    assert _through("/transcripts/6/recording", [b"x"], RECORDING_LIMIT + 1) == (413, 0)
    # without a Content-Length, the route sees the client leave once past the limit
    with patch("thematica.web.middleware.RECORDING_LIMIT", 2 * len(chunk)):
        status, messages = _through("/transcripts/6/recording", three_mb, None)
    assert status is None and messages == 3  # two chunks, then a disconnect
