"""``GET /media/{ref}`` in the workbench (issue 16, item 2): the recording streamed with HTTP
Range requests (206 with the right bytes and ``Content-Range``, 416 past the end, 200 without a
Range), only to members who see originals (403 for readers and anonymised-only members), and no
path traversal: the file comes from the stored SHA-256, never from the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.media.recordings import wav
from tests.web.conftest import sign_in_client as sign_in
from thematica.service import StudyService
from thematica.web.routes.media import byte_range

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"


@pytest.fixture
def recording(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.delenv("THEMATICA_MEDIA_DIR", raising=False)
    source = wav(tmp_path / "physio4.wav", 10 * 60, rate=1000)
    with StudyService.open(str(demo)) as study:
        study.as_member(LEAD).attach_recording("Physio 4", source)
    return source.read_bytes()


def ref(demo: Path) -> str:
    with StudyService.open(str(demo)) as study:
        return str(next(t.id for t in study.transcripts() if t.participant == "Physio 4"))


def test_whole_file_and_ranges(client: TestClient, demo: Path, recording: bytes) -> None:
    sign_in(client, CODER)
    url = f"/media/{ref(demo)}"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.content == recording
    assert whole.headers["content-type"] == "audio/wav"
    assert whole.headers["accept-ranges"] == "bytes"
    size = len(recording)
    for header, (first, last) in {
        "bytes=0-99": (0, 99),
        "bytes=1000-": (1000, size - 1),
        "bytes=-500": (size - 500, size - 1),
        f"bytes=5000-{size + 100}": (5000, size - 1),
    }.items():
        part = client.get(url, headers={"Range": header})
        assert part.status_code == 206, header
        assert part.content == recording[first : last + 1]
        assert part.headers["content-range"] == f"bytes {first}-{last}/{size}"
        assert part.headers["content-length"] == str(last - first + 1)
    bad = client.get(url, headers={"Range": f"bytes={size}-"})
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{size}"
    assert client.get(url, headers={"Range": "bytes=10-5"}).status_code == 416


@pytest.mark.parametrize("who", ["reader", "anonymised-only"])
def test_readers_and_anonymised_only_members_get_403(
    client: TestClient, demo: Path, recording: bytes, who: str
) -> None:
    name = READER
    if who == "anonymised-only":
        with StudyService.open(str(demo)) as study:
            study.set_anonymised_only(CODER, True)
        name = CODER
    sign_in(client, name)
    answer = client.get(f"/media/{ref(demo)}", headers={"Range": "bytes=0-99"})
    assert answer.status_code == 403
    assert recording[:100] not in answer.content


def test_no_recording_or_no_file_is_404(client: TestClient, demo: Path, recording: bytes) -> None:
    sign_in(client, CODER)
    other = "2" if ref(demo) == "1" else "1"
    none = client.get(f"/media/{other}")
    assert none.status_code == 404 and "has no recording" in none.text
    with StudyService.open(str(demo)) as study:
        study.recording_file("Physio 4").path.unlink()
    missing = client.get(f"/media/{ref(demo)}")
    assert missing.status_code == 404 and "--relink" in missing.text


@pytest.mark.parametrize(
    "path",
    [
        "/media/..%2F..%2F..%2Fetc%2Fpasswd",
        "/media/%2e%2e%2fdemo.thematica",
        "/media/..%5Cdemo.thematica",
        "/media/demo.thematica-media",
        "/media/physio4.wav",
    ],
)
def test_no_path_traversal(client: TestClient, demo: Path, recording: bytes, path: str) -> None:
    sign_in(client, CODER)
    answer = client.get(path)
    assert answer.status_code == 404
    assert recording[:64] not in answer.content and b"SQLite format" not in answer.content


def test_byte_range_parser() -> None:
    assert byte_range(None, 10) is None
    assert byte_range("bytes=0-0", 10) == (0, 0)
    assert byte_range("bytes=2-4,6-8", 10) is None  # several ranges: the whole file
    assert byte_range("items=0-4", 10) is None
    assert byte_range("bytes=-0", 10) == "unsatisfiable"
    assert byte_range("bytes=-20", 10) == (0, 9)
    assert byte_range("bytes=10-", 10) == "unsatisfiable"


def test_transcript_page_has_a_player_with_clickable_times(
    client: TestClient, demo: Path, recording: bytes
) -> None:
    sign_in(client, CODER)
    tid = ref(demo)
    answer = client.get(f"/transcripts/{tid}")
    page = answer.text
    assert f'<audio id="player" controls preload="metadata" src="/media/{tid}">' in page
    assert '<script src="/static/player.js" defer>' in page
    assert 'class="time seek link" data-ms="' in page
    assert "media-src 'self'" in answer.headers["content-security-policy"]
    assert client.get("/api/transcripts/" + tid).json()["recording"]["url"] == f"/media/{tid}"
    other = client.get("/transcripts/" + ("2" if tid == "1" else "1")).text
    assert "<audio" not in other and "player.js" not in other
    assert client.get("/static/player.js").status_code == 200
