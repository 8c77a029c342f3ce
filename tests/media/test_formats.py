"""Recordings in every format the issue names (issue 16, acceptance: "converted to Opus/WebM/MP3
only where a Debian package does it in the setup script; never downloaded"). Each is made here
from a numpy WAV (or ``espeak-ng`` speech) with the encoders ``scripts/setup --system`` installs:
opusenc (opus-tools), oggenc (vorbis-tools), lame, espeak-ng, and ffmpeg for M4A/AAC, MP4 and
WebM. A test whose encoder is missing skips with one line; under THEMATICA_REQUIRE_ENCODERS=1
(``scripts/test`` sets it) it fails instead, so CI never skips them.

Then the refusals, each leaving the study and its media folder as they were: a truncated MP3,
Opus, Ogg Vorbis and (fast-start) MP4; a text file named .mp3; a WAV renamed .opus or .mp3; an
MP3 renamed .wav; a recording too short for its transcript."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.media.recordings import LEAD, build, wav
from thematica.errors import InputError
from thematica.service import StudyService

REQUIRE = os.environ.get("THEMATICA_REQUIRE_ENCODERS") == "1"
PACKAGES = {
    "opusenc": "opus-tools",
    "oggenc": "vorbis-tools",
    "lame": "lame",
    "espeak-ng": "espeak-ng",
    "ffmpeg": "ffmpeg",
}


def tool(name: str) -> str:
    """The encoder's path; skip (one line) without it, or fail under
    THEMATICA_REQUIRE_ENCODERS=1."""
    found = shutil.which(name)
    if found is None:
        why = f"{name} is not installed (scripts/setup --system: apt-get install {PACKAGES[name]})"
        if REQUIRE:
            pytest.fail(f"THEMATICA_REQUIRE_ENCODERS=1 but {why}")
        pytest.skip(why)
    return found


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=120)


def _ffmpeg(codecs: str) -> Callable[[Path, Path], None]:
    def encode(source: Path, out: Path) -> None:
        ffmpeg = tool("ffmpeg")
        _run(ffmpeg, "-loglevel", "error", "-y", "-i", str(source), *codecs.split(), str(out))

    return encode


BLACK = "-f lavfi -i color=c=black:s=64x48:d=6"  # a video track to go with the audio


def _video(codecs: str, extra: str = "") -> Callable[[Path, Path], None]:
    def encode(source: Path, out: Path) -> None:
        _run(
            tool("ffmpeg"), "-loglevel", "error", "-y", *BLACK.split(), "-i", str(source),
            *codecs.split(), "-shortest", *extra.split(), str(out),
        )  # fmt: skip

    return encode


ENCODERS: dict[str, Callable[[Path, Path], None]] = {
    "opus": lambda s, o: _run(tool("opusenc"), "--quiet", str(s), str(o)),
    "ogg": lambda s, o: _run(tool("oggenc"), "-Q", str(s), "-o", str(o)),
    "mp3": lambda s, o: _run(tool("lame"), "--quiet", str(s), str(o)),
    "m4a": _ffmpeg("-c:a aac"),
    "aac": _ffmpeg("-c:a aac"),
    "webm": _ffmpeg("-c:a libopus"),
    "mp4": _video("-c:v libx264 -c:a aac"),
}
EXPECTED_FORMAT = {"opus": "opus", "ogg": "ogg", "mp3": "mp3", "m4a": "m4a", "aac": "aac"}


def encoded(kind: str, folder: Path, seconds: float = 6.0, name: str = "r") -> Path:
    source = wav(folder / f"{name}-source.wav", seconds, rate=16000)
    out = folder / f"{name}.{kind}"
    ENCODERS[kind](source, out)
    return out


@pytest.fixture
def media(tmp_path: Path) -> StudyService:
    """P1 runs to 4 s, P2 to 30 s (``tests/media/recordings.build``)."""
    study = build(StudyService.create(str(tmp_path / "f.thematica"), title="Formats"))
    yield study  # type: ignore[misc]
    study.close()


@pytest.mark.parametrize("kind", list(ENCODERS))
def test_each_format_attaches_with_its_format_and_duration(
    media: StudyService, tmp_path: Path, kind: str
) -> None:
    recording = encoded(kind, tmp_path)
    found = media.as_member(LEAD).attach_recording("P1", recording)
    assert found.format == EXPECTED_FORMAT.get(kind, kind)
    assert 5900 <= found.duration_ms <= 6200, found.duration_ms  # encoders pad a few frames
    assert media.recording_file("P1").path.suffix == f".{found.format}"
    assert [r.status for r in media.recordings()] == ["ok"]


def test_a_video_webm_attaches(media: StudyService, tmp_path: Path) -> None:
    source = wav(tmp_path / "s.wav", 6, rate=16000)
    out = tmp_path / "v.webm"
    _video("-c:v libvpx -c:a libopus")(source, out)
    found = media.as_member(LEAD).attach_recording("P1", out)
    assert found.format == "webm" and 5900 <= found.duration_ms <= 6200


def test_an_oga_file_is_stored_where_the_study_finds_it(
    media: StudyService, tmp_path: Path
) -> None:
    """Ogg audio named .oga is stored as .ogg, the name its format is looked up by (it was
    stored as .oga and reported missing)."""
    oga = encoded("ogg", tmp_path).rename(tmp_path / "r.oga")
    found = media.as_member(LEAD).attach_recording("P1", oga)
    assert found.format == "ogg" and media.recording_file("P1").path.is_file()
    assert [r.status for r in media.recordings()] == ["ok"]


def test_spoken_audio_from_espeak_attaches(media: StudyService, tmp_path: Path) -> None:
    speech = tmp_path / "speech.wav"
    words = "How is your back? It keeps me awake at night, and the mornings are the worst."
    _run(tool("espeak-ng"), "-s", "120", "-w", str(speech), words)
    found = media.as_member(LEAD).attach_recording("P1", speech)  # P1 runs to 4 s
    assert found.format == "wav" and found.duration_ms > 4000
    opus = tmp_path / "speech.opus"
    ENCODERS["opus"](speech, opus)  # speech, as a recorder would keep it
    again = media.as_member(LEAD).attach_recording("P1", opus, relink=True)
    assert again.format == "opus" and abs(again.duration_ms - found.duration_ms) < 100


def _half(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _renamed(path: Path, suffix: str) -> Path:
    return path.rename(path.with_suffix(suffix))


def _text(folder: Path) -> Path:
    path = folder / "notes.mp3"
    path.write_text("These are my interview notes, not a recording.\n" * 40)
    return path


REFUSALS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated mp3": (lambda f: _half(encoded("mp3", f)), "truncated"),
    "truncated opus": (lambda f: _half(encoded("opus", f)), "truncated"),
    "truncated ogg": (lambda f: _half(encoded("ogg", f)), "truncated|no duration|damaged"),
    "truncated m4a": (lambda f: _half(encoded("m4a", f)), "truncated"),
    "truncated fast-start mp4": (
        lambda f: _half(
            _make(f, "fs.mp4", _video("-c:v libx264 -c:a aac", "-movflags +faststart"))
        ),
        r"truncated \(the file ends inside its 'mdat' box\)",
    ),
    "text named .mp3": (_text, "not a readable .mp3 recording"),
    "wav renamed .opus": (
        lambda f: _renamed(wav(f / "w.wav", 6), ".opus"),
        "its content is WAV, though it is named .opus",
    ),
    "wav renamed .mp3": (
        lambda f: _renamed(wav(f / "w.wav", 6), ".mp3"),
        "its content is WAV, though it is named .mp3",
    ),
    "mp3 renamed .wav": (
        lambda f: _renamed(encoded("mp3", f), ".wav"),
        "its content is MP3, though it is named .wav",
    ),
    "vorbis named .opus": (
        lambda f: _renamed(encoded("ogg", f), ".opus"),
        "its content is Ogg Vorbis, though it is named .opus",
    ),
    "too short mp3": (
        lambda f: encoded("mp3", f, seconds=2),
        "the recording lasts 0:00:02 but the transcript runs to 0:00:04",
    ),
}


def _make(folder: Path, name: str, encode: Callable[[Path, Path], None]) -> Path:
    source = wav(folder / "s.wav", 6, rate=16000)
    encode(source, folder / name)
    return folder / name


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_leave_the_study_and_folder_unchanged(
    media: StudyService, tmp_path: Path, case: str
) -> None:
    make, message = REFUSALS[case]
    folder = tmp_path / "inputs"
    folder.mkdir()
    bad = make(folder)
    before = snapshot(media.location)
    with pytest.raises(InputError, match=message):
        media.as_member(LEAD).attach_recording("P1", bad)
    assert snapshot(media.location) == before
    assert not media.media_folder().exists() or not any(media.media_folder().iterdir())
