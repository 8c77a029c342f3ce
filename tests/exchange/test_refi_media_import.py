"""Reading AudioSource/VideoSource from other tools (issue 16, item 5). No NVivo or MAXQDA
file with audio or video is in ../shared/testdata, so these files follow the REFI-QDA 1.5
spec's own example (Annex: a VideoSource whose Transcript has SyncPoints and a
TranscriptSelection, ``path="internal://<guid>.mpg"``), with a recording the test makes. And the
hostile-input rules of refi_safety.py for the recording: zip-slip paths, a bomb, a member that
is not audio, a recording too short for its transcript; each leaves no study behind."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.exchange.refi_helpers import qde, qdpx
from tests.media.recordings import not_audio, wav
from thematica.cli.main import cli
from thematica.exchange.refi import read_qdpx
from thematica.exchange.refi_media import extract
from thematica.exchange.refi_safety import ExchangeError
from thematica.service import StudyService

SOURCE = "2ed3777f-f0b6-448d-b9c5-6a1c4ae5f9d3"
TRANSCRIPT = "b0d88436-fb9d-49e8-93be-12293ee8d808"
CODE = "d342cd5e-52d1-4894-a342-7d42ed947797"
# code points 0, 10 and 23 begin three lines (43 is the end); the selection is the second line
TEXT = "Hello all\nI sleep bad\r\nOn my back 😀 mostly\n"


def av_project(
    *,
    path: str | None = None,
    tag: str = "VideoSource",
    ext: str = "wav",
    text: str = TEXT,
    syncs: str | None = None,
    extra: str = "",
) -> str:
    path = path if path is not None else f"internal://{SOURCE}.{ext}"
    syncs = (
        syncs
        if syncs is not None
        else """
        <SyncPoint guid="9de5364c-b1ca-45c5-8869-cc3e56fea65b" position="0" timeStamp="0"/>
        <SyncPoint guid="d7c91d8c-77f6-4058-b21e-010a157ba027" position="10" timeStamp="2000"/>
        <SyncPoint guid="01809d1d-40a9-4941-8685-c5eafa9de319" position="23" timeStamp="5000"/>
        <SyncPoint guid="dc84aa87-4261-4111-aaa2-3501e263ddcf" position="43" timeStamp="9000"/>"""
    )
    return f"""<CodeBook><Codes><Code guid="{CODE}" name="Sleep" isCodable="true"/></Codes></CodeBook>
    <Sources><{tag} guid="{SOURCE}" name="English Episode 1" path="{path}"
        currentPath="absolute://E:/Data/Video/Demo.mpg">
      <Description>English Episode Comment 1</Description>
      <Transcript guid="{TRANSCRIPT}" name="English Transcript 1"
          plainTextPath="internal://{TRANSCRIPT}.txt">
        <Description>English Transcript Comment 1</Description>{syncs}
        <TranscriptSelection guid="ecdbd559-e5d2-45b4-bb60-54e2530de054" name="English Clip 1"
            fromSyncPoint="d7c91d8c-77f6-4058-b21e-010a157ba027"
            toSyncPoint="01809d1d-40a9-4941-8685-c5eafa9de319">
          <Coding guid="f1d221e5-fa3a-4b9a-865c-7712cd428c62"><CodeRef targetGUID="{CODE}"/></Coding>
        </TranscriptSelection>
      </Transcript>
      <VideoSelection guid="238965cb-e557-405d-b4f0-6f824b2f4570" begin="16176" end="45358"/>
      {extra}
    </{tag}></Sources>"""


def archive(body: str, media: dict[str, bytes], text: str = TEXT) -> bytes:
    files = {
        "project.qde": qde(body, origin="Transana 3.0"),
        f"sources/{TRANSCRIPT}.txt": text.encode(),
    }
    files.update(media)
    return qdpx(files)


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def test_a_spec_style_video_source_imports_with_turn_times_codings_and_recording(
    tmp_path: Path,
) -> None:
    recording = wav(tmp_path / "r.wav", 9).read_bytes()
    data = archive(av_project(), {f"sources/{SOURCE}.wav": recording})
    file = tmp_path / "transana.qdpx"
    file.write_bytes(data)
    project = read_qdpx(data, str(file))
    (source,) = project.sources
    assert source.media is not None and source.media.kind == "video"
    assert "English Episode 1: 1 coded time spans (VideoSelection)" in project.skipped
    back = tmp_path / "back.thematica"
    result = run("qdpx", "import", str(file), str(back))
    assert "Recordings: 1 attached" in result.output
    with StudyService.open(str(back)) as study:
        transcript = study.transcript("1")
        assert transcript.text == "Hello all\nI sleep bad\nOn my back 😀 mostly\n"
        # one turn from each timed sync point to the next (CRLF counted as one in CP units)
        assert [
            (transcript.text[t.start : t.end], t.start_ms, t.end_ms) for t in transcript.turns
        ] == [
            ("Hello all", 0, 2000),
            ("I sleep bad", 2000, 5000),
            ("On my back 😀 mostly", 5000, 9000),
        ]
        (coding,) = study.codings()
        assert coding.text == "I sleep bad\n" or coding.text.startswith("I sleep bad")
        (rec,) = study.recordings()
        assert (rec.format, rec.duration_ms, rec.status) == ("wav", 9000, "ok")


def test_sync_points_inside_a_line_do_not_start_turns(tmp_path: Path) -> None:
    """QualCoder writes a timed sync point at each coding boundary (mid-line, with the time of
    the timestamp before it): the turns still begin only at line starts."""
    syncs = """
        <SyncPoint guid="9de5364c-b1ca-45c5-8869-cc3e56fea65b" position="0" timeStamp="0"/>
        <SyncPoint guid="d7c91d8c-77f6-4058-b21e-010a157ba027" position="12" timeStamp="2000"/>
        <SyncPoint guid="01809d1d-40a9-4941-8685-c5eafa9de319" position="23" timeStamp="5000"/>
        <SyncPoint guid="dc84aa87-4261-4111-aaa2-3501e263ddcf" position="43" timeStamp="9000"/>"""
    data = archive(av_project(syncs=syncs), {f"sources/{SOURCE}.wav": b"x"})
    (source,) = read_qdpx(data, "qualcoder.qdpx").sources
    assert [(t.start, t.start_ms) for t in source.turns] == [(0, 0), (22, 5000)]
    assert [(c.start, c.end) for c in source.codings] == [(12, 22)]


def test_no_media_imports_the_transcript_only(tmp_path: Path) -> None:
    file = tmp_path / "t.qdpx"
    file.write_bytes(archive(av_project(), {f"sources/{SOURCE}.wav": b"not audio at all"}))
    run("qdpx", "import", str(file), str(tmp_path / "b.thematica"), "--no-media")
    with StudyService.open(str(tmp_path / "b.thematica")) as study:
        assert study.recordings() == () and len(study.transcripts()) == 1
    assert not (tmp_path / "b.thematica-media").exists()


def test_a_recording_outside_the_archive_is_noted_and_the_transcript_kept(tmp_path: Path) -> None:
    file = tmp_path / "t.qdpx"
    file.write_bytes(archive(av_project(path="relative:///Demo.mpg"), {}))
    result = run("qdpx", "import", str(file), str(tmp_path / "b.thematica"))
    assert "Recording not imported: English Episode 1: stored outside the project" in result.stderr
    with StudyService.open(str(tmp_path / "b.thematica")) as study:
        assert study.recordings() == () and len(study.codings()) == 1


@pytest.mark.parametrize(
    "path",
    [
        "internal://../../etc/passwd.wav",
        "internal://sub/r.wav",
        "internal://C:/r.wav",
        "internal://..\\r.wav",
        "internal://.hidden.wav",
        "/etc/r.wav",
    ],
)
def test_a_recording_path_out_of_the_sources_is_refused(path: str, tmp_path: Path) -> None:
    data = archive(av_project(path=path), {f"sources/{SOURCE}.wav": b"x"})
    with pytest.raises(ExchangeError, match="points outside the project's sources"):
        read_qdpx(data, "hostile.qdpx")


def test_a_recording_named_but_not_in_the_archive_is_refused() -> None:
    with pytest.raises(ExchangeError, match="not in the project archive"):
        read_qdpx(archive(av_project(), {}), "t.qdpx")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: not_audio(p).read_bytes(), "not a readable .wav recording|not an audio"),
        (lambda p: b"plain text, not a recording\n" * 50, "not a readable .wav recording"),
        (lambda p: wav(p, 3).read_bytes(), "the recording lasts 0:00:03 but the transcript runs"),
    ],
    ids=["random bytes", "text", "too short"],
)
def test_a_bad_recording_refuses_the_import_and_leaves_nothing(
    tmp_path: Path, make: object, message: str
) -> None:
    file = tmp_path / "bad.qdpx"
    file.write_bytes(
        archive(av_project(), {f"sources/{SOURCE}.wav": make(tmp_path / "m.wav")})  # type: ignore[operator]
    )
    back = tmp_path / "back.thematica"
    refused = run("qdpx", "import", str(file), str(back), ok=False)
    assert refused.exit_code == 2
    assert "the recording of 'English Episode 1'" in refused.stderr
    assert re.search(message, refused.stderr), refused.stderr
    assert not back.exists() and not (tmp_path / "back.thematica-media").exists()


def test_the_specs_mpg_video_is_refused_as_a_type_with_the_way_round_it(tmp_path: Path) -> None:
    """The standard's example stores an MPEG-1 video (``.mpg``), a type Thematica does not
    play: the import says so and names --no-media, which imports the transcript."""
    file = tmp_path / "spec.qdpx"
    file.write_bytes(archive(av_project(ext="mpg"), {f"sources/{SOURCE}.mpg": b"\x00\x00\x01\xba"}))
    refused = run("qdpx", "import", str(file), str(tmp_path / "a.thematica"), ok=False)
    assert "unsupported type '.mpg'" in refused.stderr and "--no-media" in refused.stderr
    run("qdpx", "import", str(file), str(tmp_path / "b.thematica"), "--no-media")


def test_a_recording_whose_header_understates_its_size_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recording's size fields say 1 KB, its data is 2 MB: unpacking stops, the import is
    refused, and no study or media folder is left."""
    from thematica.exchange import refi_safety

    data = bytearray(archive(av_project(), {f"sources/{SOURCE}.wav": bytes(2 * 1024**2)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(signature)  # the recording's headers are the last of each kind
        data[at + offset : at + offset + 4] = struct.pack("<I", 1024)
    monkeypatch.setattr(refi_safety, "MAX_MEMBER_BYTES", 1024 * 1024)
    file = tmp_path / "bomb.qdpx"
    file.write_bytes(bytes(data))
    project = read_qdpx(bytes(data), str(file))  # the recording is read only to attach it
    media = project.sources[0].media
    assert media is not None
    with pytest.raises(ExchangeError, match="cannot be unpacked|unpacks to more than"):
        extract(bytes(data), str(file), media.path, io.BytesIO())
    back = tmp_path / "back.thematica"
    refused = run("qdpx", "import", str(file), str(back), ok=False)
    assert refused.exit_code == 2 and "cannot be unpacked" in refused.stderr
    assert not back.exists() and not (tmp_path / "back.thematica-media").exists()


def test_a_declared_oversize_recording_is_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from thematica.exchange import refi_safety

    monkeypatch.setattr(refi_safety, "MAX_MEMBER_BYTES", 1000)
    data = archive(av_project(), {f"sources/{SOURCE}.wav": bytes(5000)})
    with pytest.raises(ExchangeError, match="would unpack to"):
        read_qdpx(data, "big.qdpx")


def test_a_selection_naming_an_unknown_sync_point_is_refused() -> None:
    syncs = '<SyncPoint guid="9de5364c-b1ca-45c5-8869-cc3e56fea65b" position="0" timeStamp="0"/>'
    with pytest.raises(ExchangeError, match="names the sync point d7c91d8c"):
        read_qdpx(archive(av_project(syncs=syncs), {f"sources/{SOURCE}.wav": b"x"}), "t.qdpx")


def test_an_audio_source_without_a_transcript_is_skipped() -> None:
    body = f"""<Sources><AudioSource guid="{SOURCE}" name="Only audio"
        path="internal://{SOURCE}.m4a"/></Sources>"""
    project = read_qdpx(qdpx({"project.qde": qde(body)}), "t.qdpx")
    assert project.sources == () and project.skipped == ("Only audio",)


def test_zip_members_stay_plain_text_sources(tmp_path: Path) -> None:
    """A media-less archive still reads as before (the AudioSource hook is additive)."""
    data = archive(av_project(tag="AudioSource"), {f"sources/{SOURCE}.wav": b"x"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert f"sources/{SOURCE}.wav" in z.namelist()
    (source,) = read_qdpx(data, "t.qdpx").sources
    assert source.media is not None and source.media.kind == "audio"
