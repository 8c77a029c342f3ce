"""SRT, Teams .docx (current and legacy layouts), generic .docx, plain text and Markdown."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import shared
from thematica.errors import InputError
from thematica.importers import read_transcript


def read(relative: str):
    path = shared(relative)
    return read_transcript(path.read_bytes(), path.name)


def test_srt_sample_and_tags() -> None:
    t = read("webvtt-py-samples/sample.srt")
    assert t.source_format == "srt"
    assert t.turns[0].start_ms == 500
    assert t.turns[0].text.startswith("Caption text #1 Caption text #2")
    colours = read("webvtt-py-samples/styles_colours.srt")
    assert "<font" not in colours.turns[0].text and "Musique douce" in colours.turns[0].text


def test_srt_with_speaker_prefixes() -> None:
    data = (
        b"1\r\n00:00:01,000 --> 00:00:02,000\r\nDr. Ann Lee: Hello.\r\n\r\n"
        b"2\r\n00:00:02,500 --> 00:00:04,000\r\nBob: Hi, doctor.\r\n\r\n"
        b"3\r\n00:00:04,000 --> 00:00:05,000\r\nDr. Ann Lee: How are you?\r\n\r\n"
        b"4\r\n00:00:05,000 --> 00:00:06,000\r\nBob: Fine.\r\n"
    )
    t = read_transcript(data, "consult.srt")
    assert [x.speaker for x in t.turns] == ["Dr. Ann Lee", "Bob", "Dr. Ann Lee", "Bob"]


@pytest.mark.parametrize(
    ("name", "location"),
    [
        ("invalid_format1.srt", "line 2"),
        ("invalid_format2.srt", "line 1"),
        ("invalid_format4.srt", "line 1"),
        ("missing_timeframe.srt", "line 6"),
        ("invalid_timeframe.srt", "line 6"),
    ],
)
def test_broken_srt(name: str, location: str) -> None:
    path = shared(f"webvtt-py-samples/{name}")
    with pytest.raises(InputError) as err:
        read_transcript(path.read_bytes(), path.name)
    assert err.value.source == name and err.value.location == location


def test_legacy_teams_docx() -> None:
    t = read("teams-docx-unstructured/teams_chat.docx")
    assert t.source_format == "docx-teams-legacy"
    assert [(x.speaker, x.text, x.start_ms, x.end_ms) for x in t.turns] == [
        ("Some Body", "OK. Yeah.", 0, 1510),
        ("James Bond", "Umm.", 3270, 4250),
    ]
    assert not any("Dennis Forsythe" in x.text for x in t.turns)  # the saved-by table


def _docx_from_paragraphs(paragraphs: list[str]) -> bytes:
    """Write paragraphs the way Teams does: lines inside a paragraph are <w:br/> breaks."""
    document = docx.Document()
    for paragraph in paragraphs:
        p = document.add_paragraph()
        for i, line in enumerate(paragraph.split("\n")):
            run = p.add_run(line)
            if i < paragraph.count("\n"):
                run.add_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_current_teams_docx_from_observed_specimen() -> None:
    specimen = json.loads(
        shared(
            "bristlenose-transcript-fixtures/teams-meeting-recording-2026-08-15.json"
        ).read_text()
    )
    t = read_transcript(_docx_from_paragraphs(specimen["paragraphs"]), specimen["source_filename"])
    expected = specimen["expected"]
    assert t.source_format == "docx-teams"
    assert len(t.turns) == expected["segment_count"]
    assert t.turns[0].speaker == expected["speaker_label"]
    assert t.turns[0].start_ms == expected["start_time"] * 1000
    assert t.turns[0].text.startswith(expected["text_starts_with"])
    assert t.turns[0].text.endswith("Search. Okay.")  # "stopped transcription" is not speech
    assert "\n" not in t.turns[0].text


def test_current_teams_docx_multi_turn() -> None:
    paragraphs = [
        "Interview 3-20260314_101500-Meeting Recording",
        "14 March 2026, 10:15am",
        "Rachel Ames started transcription",
        "Rachel Ames   0:03\nThanks for joining me.",
        "Jo Bloggs   0:07\nNo problem.\nHappy to help.",
        "Rachel Ames   1:02:05\nThat's everything.",
        "Rachel Ames stopped transcription",
    ]
    t = read_transcript(_docx_from_paragraphs(paragraphs), "interview-3.docx")
    assert [(x.speaker, x.text, x.start_ms) for x in t.turns] == [
        ("Rachel Ames", "Thanks for joining me.", 3000),
        ("Jo Bloggs", "No problem. Happy to help.", 7000),
        ("Rachel Ames", "That's everything.", 3725000),
    ]


def test_generic_docx_becomes_paragraph_turns() -> None:
    t = read("qualcoder-examples/ID1.docx")
    assert t.source_format == "docx"
    assert len(t.turns) >= 2 and all(x.speaker == "" for x in t.turns)


def test_plain_text_bracket_speakers() -> None:
    t = read("qualcoder-examples/transcript.txt")
    assert t.speakers == ("id1", "id2", "id3")
    assert t.turns[0].text.startswith("hello, I like the course.")


def test_plain_text_chat_export_with_timestamps_crlf_and_titles() -> None:
    t = read("zoom-vtt-zoomstudentengagement/GMT20240124-202901_RecordingnewChat.txt")
    assert t.speakers[:2] == ("Ryan Sloan", "Dr. Melissa Ko")
    assert t.turns[0].start_ms == (5 * 60 + 16) * 1000
    assert t.turns[0].text.startswith("Let\u2019s try to stay muted")
    assert "\r" not in "".join(x.text for x in t.turns)


def test_markdown_bold_speakers_and_headings() -> None:
    data = (
        b"# Interview 4\n\n**Interviewer:** How long have you worked here?\n\n"
        b"**Physio 4:** About ten years.\nMostly in MSK.\n\n**Interviewer:** Thanks.\n"
        b"\n**Physio 4:** You're welcome.\n"
    )
    t = read_transcript(data, "p4.md")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Interviewer", "How long have you worked here?"),
        ("Physio 4", "About ten years.\nMostly in MSK."),
        ("Interviewer", "Thanks."),
        ("Physio 4", "You're welcome."),
    ]


def test_a_colon_in_speech_is_not_a_speaker() -> None:
    data = (
        b"Ann: I said one thing: that it hurts.\nBob: Really?\nAnn: Yes.\nBob: OK.\nNote: nothing"
    )
    t = read_transcript(data, "t.txt")
    assert t.turns[0].text == "I said one thing: that it hurts."
    assert t.turns[-1].text == "OK.\nNote: nothing"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.docx", "not a readable .docx: the file is damaged or truncated"),
        (b"PK\x03\x04garbage", "bad.docx", "not a readable .docx"),
        (b"hello", "notes.pdf", "unsupported file type '.pdf'"),
        (b"hello", "old.doc", "old Word .doc files are not supported"),
    ],
)
def test_unsupported_and_broken(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_transcript(data, name)


def test_truncated_docx(tmp_path: Path) -> None:
    whole = shared("teams-docx-unstructured/teams_chat.docx").read_bytes()
    with pytest.raises(InputError) as err:
        read_transcript(whole[: len(whole) // 2], "teams_chat.docx")
    assert "damaged or truncated" in str(err.value)


def test_docx_without_document_part() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="has no word/document.xml"):
        read_transcript(out.getvalue(), "fake.docx")


def test_docx_decompression_bomb_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(InputError, match="refused: the .docx would unpack to 201 MB"):
        read_transcript(out.getvalue(), "bomb.docx")


def test_docx_with_external_entity_does_not_resolve_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    good = shared("teams-docx-unstructured/teams_chat.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(
                    b'<?xml version="1.0" encoding="utf-8"?>',
                    f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(),
                ).replace(b"OK. Yeah.", b"&x;")
            dst.writestr(item, content)
    try:
        t = read_transcript(out.getvalue(), "xxe.docx")
    except InputError:
        return  # refused outright: fine
    assert "TOP-SECRET" not in "".join(x.text for x in t.turns)


def test_real_markdown_document_without_speakers_becomes_paragraphs() -> None:
    t = read("zoom-vtt-zoomstudentengagement/test_transcripts_README.md")
    assert t.source_format == "markdown"
    assert not any(x.text.startswith("#") for x in t.turns)  # headings dropped
    assert any("realistic Zoom VTT transcript examples" in x.text for x in t.turns)
