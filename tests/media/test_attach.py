"""Recordings linked to transcripts (issue 16, item 1): attach, re-link, the media folder, and
every refusal leaving the study and the folder as they were. On SQLite and PostgreSQL (a server
study keeps its media in a configured folder)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.media.recordings import (
    ANON,
    CODER,
    LEAD,
    READER,
    build,
    not_audio,
    truncated,
    wav,
    webm,
)
from thematica.errors import AccessDenied, ConflictError, InputError, ThematicaError
from thematica.service import StudyService


@pytest.fixture
def media(study: StudyService, location: str, tmp_path: Path) -> StudyService:
    if location.startswith("postgresql"):
        study.media_dir = tmp_path / "server-media"
    return build(study)


def folder_state(folder: Path) -> dict[str, bytes] | None:
    if not folder.exists():
        return None
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_attach_copies_the_file_named_by_its_sha256_privately(
    media: StudyService, tmp_path: Path
) -> None:
    source = wav(tmp_path / "Pat interview.wav", 4)
    found = media.as_member(CODER).attach_recording("P1", source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert (found.sha256, found.format, found.original_name) == (digest, "wav", source.name)
    assert found.duration_ms == 4000 and found.size_bytes == source.stat().st_size
    folder = media.media_folder()
    stored = folder / f"{digest}.wav"
    assert stored.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [r.status for r in media.recordings()] == ["ok"]
    assert media.info().media_bytes == source.stat().st_size
    entry = next(e for e in media.audit_log().entries if e.action == "transcript.recording")
    assert entry.actor == CODER and entry.details["sha256"] == digest


def test_a_sqlite_study_keeps_media_beside_it(tmp_path: Path) -> None:
    with StudyService.create(str(tmp_path / "msk.thematica"), title="T") as study:
        assert study.media_folder() == tmp_path / "msk.thematica-media"


def test_a_server_study_needs_a_media_folder(postgres_location: str) -> None:
    with StudyService.create(postgres_location, title="T") as study:
        with pytest.raises(ThematicaError, match="--media-dir or THEMATICA_MEDIA_DIR"):
            study.media_folder()
        assert study.info().media_bytes is None


def test_a_missing_file_is_reported_and_can_be_relinked(
    media: StudyService, tmp_path: Path
) -> None:
    source = wav(tmp_path / "p1.wav", 4)
    media.as_member(LEAD).attach_recording("P1", source)
    stored = media.recording_file("P1").path
    stored.unlink()
    assert [r.status for r in media.recordings()] == ["missing"]
    with pytest.raises(ThematicaError, match="missing .* --relink"):
        media.recording_file("P1")
    with pytest.raises(ConflictError, match="--relink"):
        media.as_member(LEAD).attach_recording("P1", source)
    media.as_member(LEAD).attach_recording("P1", source, relink=True)
    assert [r.status for r in media.recordings()] == ["ok"]
    stored.write_bytes(b"changed")
    assert [r.status for r in media.recordings()] == ["changed"]


def test_relink_to_another_recording_replaces_the_old_file(
    media: StudyService, tmp_path: Path
) -> None:
    first = media.as_member(LEAD).attach_recording("P1", wav(tmp_path / "a.wav", 4))
    second = media.as_member(LEAD).attach_recording("P1", wav(tmp_path / "b.wav", 5), relink=True)
    assert second.sha256 != first.sha256 and second.duration_ms == 5000
    assert sorted(p.name for p in media.media_folder().iterdir()) == [f"{second.sha256}.wav"]
    actions = [e.action for e in media.audit_log().entries if "recording" in e.action]
    assert sorted(actions) == ["transcript.recording", "transcript.recording.relink"]


REFUSALS = {
    "missing": (lambda d: d / "nowhere.wav", "no such file"),
    "unsupported": (lambda d: wav(d / "a.wav", 4).rename(d / "a.flac"), "unsupported type"),
    "truncated": (lambda d: truncated(d / "cut.wav"), "truncated"),
    "not audio": (lambda d: not_audio(d / "noise.mp3"), "not audio"),
    "truncated webm": (lambda d: webm(d / "cut.webm", 4, cut=True), "truncated"),
    "not webm": (lambda d: not_audio(d / "noise.webm"), "not a readable .webm recording"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_name_the_file_and_change_nothing(
    media: StudyService, location: str, tmp_path: Path, case: str
) -> None:
    make, reason = REFUSALS[case]
    files = tmp_path / "files"
    files.mkdir()
    bad = make(files)
    before, folder = snapshot(location), folder_state(media.media_folder())
    with pytest.raises(InputError) as refused:
        media.as_member(CODER).attach_recording("P1", bad)
    assert str(bad) in str(refused.value) and reason in str(refused.value)
    assert "\n" not in str(refused.value)
    assert snapshot(location) == before
    assert folder_state(media.media_folder()) == folder


def test_a_recording_much_shorter_than_the_transcript_is_refused(
    media: StudyService, location: str, tmp_path: Path
) -> None:
    short = wav(tmp_path / "short.wav", 3)
    before = snapshot(location)
    with pytest.raises(InputError, match=r"short.wav: the recording lasts 0:00:03 .* 0:00:30"):
        media.as_member(CODER).attach_recording("P2", short)
    assert snapshot(location) == before
    assert folder_state(media.media_folder()) is None
    media.as_member(CODER).attach_recording("P2", wav(tmp_path / "long.wav", 29))  # within slack


@pytest.mark.parametrize("who", [READER, ANON])
def test_readers_and_anonymised_only_members_neither_attach_nor_receive(
    media: StudyService, location: str, tmp_path: Path, who: str
) -> None:
    media.as_member(LEAD).attach_recording("P1", wav(tmp_path / "p1.wav", 4))
    before = snapshot(location)
    with pytest.raises(AccessDenied):
        media.as_member(who).attach_recording("P1", wav(tmp_path / "again.wav", 4), relink=True)
    with pytest.raises(AccessDenied):
        media.as_member(who).recording("P1")
    assert media.as_member(who).playable_recording("P1") is None  # no player on their page
    assert snapshot(location) == before
    assert media.as_member(CODER).recording("P1").mime == "audio/wav"
    found = media.as_member(CODER).playable_recording("P1")
    assert found is not None and found.duration_ms == 4000


def test_a_webm_recording_is_read_without_ffmpeg(media: StudyService, tmp_path: Path) -> None:
    found = media.as_member(CODER).attach_recording("P1", webm(tmp_path / "p1.webm", 4.25))
    assert (found.format, found.duration_ms) == ("webm", 4250)
    assert media.recording_file("P1").mime == "video/webm"


def test_a_withdrawal_deletes_their_recordings_and_keeps_the_others(
    media: StudyService, tmp_path: Path
) -> None:
    """Voices identify people: withdrawing P1 deletes P1's recording from the media folder (and
    its row), and the plan says so first; P2's recording stays."""
    media.attach_recording("P1", wav(tmp_path / "p1.wav", 4), by=CODER)
    media.attach_recording("P2", wav(tmp_path / "p2.wav", 30), by=CODER)
    folder = media.media_folder()
    theirs = media.recording_file("P1").path
    kept = media.recording_file("P2").path
    plan = media.withdrawal_plan("P1", by=LEAD)
    assert plan.recordings == 1
    done = media.withdraw("P1", by=LEAD, confirm=plan.fingerprint)
    assert done.recordings_removed == 1
    assert not theirs.exists() and kept.exists()
    assert sorted(p.name for p in folder.iterdir()) == [kept.name]
    assert [r.transcript_id for r in media.recordings()] == [
        media.recording_of("P2").transcript_id  # type: ignore[union-attr]
    ]
