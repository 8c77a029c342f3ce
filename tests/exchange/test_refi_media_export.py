"""Recordings through REFI-QDA (issue 16, item 5): ``qdpx export --media`` writes each
transcript with a recording as an AudioSource/VideoSource (the recording in the archive, the
transcript with sync points and its codings as TranscriptSelections) that validates against
Project-mrt2019.xsd; import reads it back into a new study with the same text, codings,
recording and turn times. Without --media the export is unchanged."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from tests.exchange.refi_helpers import XP, assert_valid
from tests.media.recordings import ANON, CODER, LEAD, READER, build, wav, webm
from thematica.cli.main import cli
from thematica.errors import AccessDenied, ThematicaError
from thematica.exchange.model import XProject
from thematica.exchange.refi import read_qdpx, write_qdpx
from thematica.exchange.refi_media import extract
from thematica.service import StudyService
from thematica.service.exchange_media import MediaImport


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """A study: P1 (4 s) with a WAV, P2 (30 s) with a WebM; codings by two coders, one memo."""
    location = tmp_path / "rec.thematica"
    with StudyService.create(str(location), title="Recorded") as study:
        build(study)
        study.as_member(LEAD).attach_recording("P1", wav(tmp_path / "Pat 1.wav", 4))
        study.as_member(LEAD).attach_recording("P2", webm(tmp_path / "p2.webm", 31))
        study.add_coding("P1", ("Sleep",), CODER, 0, 3, create_code=True)  # "How"
        study.add_coding("P1", ("Sleep",), LEAD, 19, 46, memo="night pain")
        study.add_coding("P1", ("Back",), CODER, 19, 46, create_code=True)
        study.add_coding("P2", ("Sleep",), CODER, 22, 25)  # inside a turn: no sync point there
    return location


def export(study: Path, out: Path, *extra: str) -> Result:
    return run("qdpx", "export", str(study), str(out), "--allow-identifiers", *extra)


def qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_media_export_carries_recordings_transcripts_and_sync_points(
    recorded: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rec.qdpx"
    result = export(recorded, out, "--media", "--by", CODER)
    assert "2 recordings" in result.output
    with StudyService.open(str(recorded)) as study:
        (entry,) = [e for e in study.audit_log().entries if e.action == "export.qdpx"]
        assert entry.actor == CODER and entry.details["recordings"] == 2
    assert_valid(out.read_bytes())  # against Project-mrt2019.xsd
    root = qde(out)
    audio = root.find(".//q:AudioSource", XP)
    video = root.find(".//q:VideoSource", XP)
    assert audio is not None and video is not None and root.find(".//q:TextSource", XP) is None
    with StudyService.open(str(recorded)) as study:
        rec = {r.transcript_id: r for r in study.recordings()}
        text = study.transcript("P1").text
    guid = audio.get("guid")
    assert audio.get("path") == f"internal://{guid}.wav"
    with zipfile.ZipFile(out) as archive:
        stored = archive.getinfo(f"sources/{guid}.wav")
        assert stored.compress_type == zipfile.ZIP_STORED
        assert hashlib.sha256(archive.read(stored)).hexdigest() == rec[1].sha256
        transcript = audio.find("q:Transcript", XP)
        assert transcript is not None
        path = transcript.get("plainTextPath", "")
        assert archive.read(f"sources/{path.removeprefix('internal://')}").decode() == text
        assert video.get("path", "").endswith(".webm")
    syncs = {
        s.get("guid"): (int(s.get("position", "")), s.get("timeStamp"))
        for s in transcript.findall("q:SyncPoint", XP)
    }
    # a sync point at each turn start with its time (ms, code points), and the last turn's end
    assert (0, "0") in syncs.values() and (19, "1500") in syncs.values()
    assert (len(text), "4000") in syncs.values()
    selections = {
        (syncs[s.get("fromSyncPoint")][0], syncs[s.get("toSyncPoint")][0]): len(
            s.findall("q:Coding", XP)
        )
        for s in transcript.findall("q:TranscriptSelection", XP)
    }
    assert selections == {(0, 3): 1, (19, 46): 2}
    # a coding boundary where no turn starts: a position-only sync point (no time made up)
    assert (3, None) in syncs.values()
    assert "Pat 1.wav" in (audio.findtext("q:Description", namespaces=XP) or "")


def test_round_trip_keeps_text_codings_recording_and_turn_times(
    recorded: Path, tmp_path: Path
) -> None:
    out, back = tmp_path / "rec.qdpx", tmp_path / "back.thematica"
    export(recorded, out, "--media")  # the only lead exports by default
    result = run("qdpx", "import", str(out), str(back), "--format", "json")
    assert '"recordings": 2' in result.output
    with StudyService.open(str(recorded)) as a, StudyService.open(str(back)) as b:
        for ta, tb in zip(a.transcripts(), b.transcripts(), strict=True):
            full_a, full_b = a.transcript(str(ta.id)), b.transcript(str(tb.id))
            assert full_a.text == full_b.text and full_a.turns == full_b.turns
            ra, rb = a.recording_of(str(ta.id)), b.recording_of(str(tb.id))
            assert ra is not None and rb is not None
            assert (ra.sha256, ra.format, ra.duration_ms, ra.original_name) == (
                rb.sha256,
                rb.format,
                rb.duration_ms,
                rb.original_name,
            )

        def codings(s: StudyService) -> list[tuple[object, ...]]:
            return sorted(
                (c.participant, c.code, c.coder, c.start, c.end, c.memo) for c in s.codings()
            )

        assert codings(a) == codings(b) and len(codings(a)) == 4
        assert [r.status for r in b.recordings()] == ["ok", "ok"]
        assert b.media_folder() == back.with_name("back.thematica-media")


def test_without_media_the_export_is_byte_identical(recorded: Path, tmp_path: Path) -> None:
    with StudyService.open(str(recorded)) as study:
        project = study.export_project()
    before = io.BytesIO()
    write_qdpx(project, before)
    run("qdpx", "export", str(recorded), str(tmp_path / "plain.qdpx"), "--allow-identifiers")
    plain = tmp_path / "plain.qdpx"
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(before) as b:
        assert [(i.filename, a.read(i)) for i in a.infolist()] == [
            (i.filename, b.read(i)) for i in b.infolist()
        ]
        assert not any(n.endswith((".wav", ".webm")) for n in a.namelist())
    assert qde(plain).find(".//q:AudioSource", XP) is None


def test_demo_export_without_media_is_byte_identical_to_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo exported the way the command did before (``write_qdpx`` of
    ``export_project()`` into memory, then to the file) and by the command now: the same file,
    byte for byte (the clock is held still: a ZIP records when each member was written)."""
    import time

    run("demo", str(tmp_path))
    study = tmp_path / "demo.thematica"
    monkeypatch.setattr(time, "time", lambda: 1_780_000_000.0)
    with StudyService.open(str(study)) as service:
        before = io.BytesIO()
        write_qdpx(service.export_project(), before)
    export(study, tmp_path / "demo.qdpx")
    assert (tmp_path / "demo.qdpx").read_bytes() == before.getvalue()
    media = export(study, tmp_path / "demo-media.qdpx", "--media")  # no recordings: all text
    assert "0 recordings" in media.output


@pytest.mark.parametrize("member", [READER, ANON])
def test_members_who_may_not_hear_recordings_are_refused(
    recorded: Path, tmp_path: Path, member: str
) -> None:
    out = tmp_path / "refused.qdpx"
    refused = run(
        "qdpx",
        "export",
        str(recorded),
        str(out),
        "--allow-identifiers",
        "--media",
        "--by",
        member,
        ok=False,
    )
    assert refused.exit_code == 2 and "cannot export recordings" in refused.stderr
    assert not out.exists() and not list(tmp_path.glob(".refused.qdpx*"))
    with StudyService.open(str(recorded)) as study:
        with pytest.raises(AccessDenied, match="export recordings"):
            study.as_member(member).export_with_recordings()
        assert study.as_member(CODER).export_with_recordings().sources[0].media is not None


def test_a_missing_recording_is_refused_by_name(recorded: Path, tmp_path: Path) -> None:
    with StudyService.open(str(recorded)) as study:
        study.recording_file("P1").path.unlink()
        with pytest.raises(ThematicaError, match=r"transcript 1: its recording .* is missing"):
            study.export_project(media=True)


def test_a_recording_changed_on_disk_leaves_no_file(recorded: Path, tmp_path: Path) -> None:
    with StudyService.open(str(recorded)) as study:
        stored = study.recording_file("P1").path
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0xFF  # same size, other content: caught while copying
    stored.write_bytes(bytes(data))
    out = tmp_path / "changed.qdpx"
    refused = run(
        "qdpx", "export", str(recorded), str(out), "--allow-identifiers", "--media", ok=False
    )
    assert refused.exit_code == 2 and "SHA-256 differs" in refused.stderr
    assert not out.exists() and not list(tmp_path.glob(".changed.qdpx*"))


def test_media_export_reads_back_as_a_project(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "rec.qdpx"
    export(recorded, out, "--media")
    project = read_qdpx(out.read_bytes(), str(out))
    assert [s.media.format if s.media else None for s in project.sources] == ["wav", "webm"]
    assert [s.media.name if s.media else None for s in project.sources] == [
        "Pat 1.wav",
        "p2.webm",
    ]
    assert project.skipped == () and project.media_skipped == ()


def _through_qdpx(source: StudyService) -> tuple[bytes, XProject]:
    buffer = io.BytesIO()
    write_qdpx(source.export_project(media=True), buffer)
    data = buffer.getvalue()
    assert_valid(data)
    return data, read_qdpx(data, "p.qdpx")


def _recorded_study(study: StudyService, folder: Path) -> StudyService:
    build(study)
    study.as_member(LEAD).attach_recording("P1", wav(folder / "p1.wav", 4))
    study.add_coding("P1", ("Sleep",), CODER, 19, 46, create_code=True)
    return study


def test_a_server_study_exports_its_recordings(
    study: StudyService, location: str, tmp_path: Path
) -> None:
    """Export from SQLite and PostgreSQL (a server study's recordings are in --media-dir),
    import into a study file."""
    study.media_dir = tmp_path / "server-media" if location.startswith("postgresql") else None
    source = _recorded_study(study, tmp_path)
    data, project = _through_qdpx(source)
    target = MediaImport(tmp_path / "back-media", lambda m, out: extract(data, "p.qdpx", m, out))
    with StudyService.create_from_project(
        str(tmp_path / "back.thematica"),
        project,
        None,
        target,  # type: ignore[arg-type]
    ) as back:
        back.media_dir = tmp_path / "back-media"
        (rec,) = back.recordings()
        assert rec.status == "ok" and rec.sha256 == source.recordings()[0].sha256
        assert back.transcript("1").turns == source.transcript("P1").turns


def test_an_import_into_a_server_study_attaches_into_its_media_folder(
    location: str, tmp_path: Path
) -> None:
    """Export from a study file, import into SQLite or PostgreSQL; a refused import leaves the
    media folder as it was (absent)."""
    with StudyService.create(str(tmp_path / "src.thematica"), title="Src") as source:
        data, project = _through_qdpx(_recorded_study(source, tmp_path))
        sha = source.recordings()[0].sha256
    folder = tmp_path / "imported-media"
    target = MediaImport(folder, lambda m, out: extract(data, "p.qdpx", m, out))
    with StudyService.create_from_project(location, project, None, target) as back:
        back.media_dir = folder
        assert [(r.sha256, r.status) for r in back.recordings()] == [(sha, "ok")]
        assert back.info().transcripts == 2
