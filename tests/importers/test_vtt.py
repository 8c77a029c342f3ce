"""WebVTT: Teams, Zoom and plain captions, on real files from ../shared/testdata."""

from __future__ import annotations

import re

import pytest

from tests.conftest import shared
from thematica.errors import InputError
from thematica.importers import read_transcript


def read(relative: str):
    path = shared(relative)
    return read_transcript(path.read_bytes(), path.name)


def test_teams_vtt_merges_cues_and_keeps_multiline_text() -> None:
    t = read("teams-vtt-teams-transcript-formatter/example-transcript.vtt")
    assert t.source_format == "vtt-teams"
    assert t.speakers == ("John Smith", "Jane Doe")
    assert t.turns[0].text == "Hello, I am the interviewer."
    assert (t.turns[0].start_ms, t.turns[0].end_ms) == (10087, 13130)
    # a cue spread over two lines is one line of speech
    assert (
        t.turns[1].text
        == "Nice. I am the student being interviewed, and I have many things to say."
    )
    # speakers alternate: consecutive cues by one speaker were merged
    assert all(a.speaker != b.speaker for a, b in zip(t.turns, t.turns[1:], strict=False))


def test_teams_non_padded_timestamps() -> None:
    t = read("webvtt-py-samples/non_padded_timestamps.vtt")
    assert [(x.speaker, x.start_ms, x.end_ms) for x in t.turns] == [
        ("Jane Doe", 0, 3540),
        ("John Smith", 3540, 7230),
        ("Jane Doe", 65200, 3727950),
    ]


def test_voice_without_closing_tag() -> None:
    t = read("bristlenose-transcript-fixtures/Session 1.vtt")
    assert t.speakers == ("Sarah Chen", "Tom Baker")
    assert not any("<" in turn.text for turn in t.turns)
    assert t.turns[0].text.startswith("Thanks for joining me today.")


def test_note_header_and_html_entities() -> None:
    t = read("bristlenose-transcript-fixtures/cloud-transcript-named.vtt")
    assert t.turns[0].text == "Olá, tudo bem? Vamos começar."
    assert "Ponte & Filhos" in t.turns[1].text
    assert "<Pagamentos>" in t.turns[2].text
    assert not any("source: meet" in turn.text for turn in t.turns)


@pytest.mark.parametrize("n", range(1, 8))
def test_climbing_interviews_speakers_match_the_raw_voice_tags(n: int) -> None:
    relative = f"bristlenose-transcript-fixtures/Climbing Research S{n}.vtt"
    t = read(relative)
    raw = shared(relative).read_text(encoding="utf-8")
    assert set(t.speakers) == set(re.findall(r"<v ([^>]+)>", raw))
    assert all(a.speaker != b.speaker for a, b in zip(t.turns, t.turns[1:], strict=False))
    assert all(turn.text and turn.start_ms is not None for turn in t.turns)


def test_zoom_name_prefixes() -> None:
    t = read("zoom-vtt-zoomstudentengagement/GMT20240124-202901_Recording.transcript.vtt")
    assert t.source_format == "vtt-zoom"
    assert t.turns[0].speaker == "Srijani Ghosh" and t.turns[0].text == "Hi!"
    assert t.turns[1].speaker == "Conor Healy"
    assert t.turns[1].text == "Get this party started."
    assert not any(turn.text.startswith(("Srijani Ghosh:", "Conor Healy:")) for turn in t.turns)


def test_zoom_cue_without_prefix_continues_previous_speaker() -> None:
    text = (
        b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hello there.\n\n"
        b"2\n00:00:02.000 --> 00:00:03.000\nBob Roy: Hi.\n\n"
        b"3\n00:00:03.000 --> 00:00:04.000\nBob Roy: So.\n\n"
        b"4\n00:00:04.000 --> 00:00:05.000\nHmm.\n\n"
        b"5\n00:00:05.000 --> 00:00:06.000\nAnn Lee: Right.\n"
    )
    t = read_transcript(text, "zoom.vtt")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Ann Lee", "Hello there."),
        ("Bob Roy", "Hi. So. Hmm."),
        ("Ann Lee", "Right."),
    ]


def test_bom_cue_ids_tags_and_metadata_headers() -> None:
    assert (
        read("webvtt-py-samples/captions_with_bom.vtt").turns[0].text.startswith("Caption text #1")
    )
    tags = read("webvtt-py-samples/cue_tags.vtt")
    assert tags.turns[0].text == "When the moon hits your eye Like a big-a pizza pie That's amore"
    headers = read("webvtt-py-samples/metadata_headers_multiline.vtt")
    assert "Kind:" not in headers.turns[0].text and "::cue" not in headers.turns[0].text
    notes = read("webvtt-py-samples/comments.vtt")
    assert "Kyle" not in notes.turns[0].text and "Det är inte varmt." in notes.turns[0].text


def test_several_voices_in_one_cue() -> None:
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann>Yes?</v> <v.loud Bob>No!</v>\n"
    t = read_transcript(data, "two.vtt")
    assert [(x.speaker, x.text) for x in t.turns] == [("Ann", "Yes?"), ("Bob", "No!")]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("invalid.vtt", "invalid.vtt: line 1: not a WebVTT file"),
        ("invalid_timeframe.vtt", "invalid_timeframe.vtt: line 6: malformed cue timing"),
        ("missing_timeframe.vtt", "missing_timeframe.vtt: line 6: expected a cue timing"),
        (
            "invalid_timeframe_in_cue_text.vtt",
            "invalid_timeframe_in_cue_text.vtt: line 7: a cue's text contains '-->'",
        ),
        ("no_captions.vtt", "no_captions.vtt: the file has no cues"),
        ("empty.vtt", "empty.vtt: the file is empty"),
    ],
)
def test_broken_vtt_files_name_file_line_and_reason(name: str, message: str) -> None:
    path = shared(f"webvtt-py-samples/{name}")
    with pytest.raises(InputError) as err:
        read_transcript(path.read_bytes(), path.name)
    assert str(err.value).startswith(message)


def test_cue_ending_before_it_starts() -> None:
    with pytest.raises(InputError, match=r"x.vtt: line 3: the cue ends before it starts"):
        read_transcript(b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nHi\n", "x.vtt")


def test_impossible_seconds() -> None:
    with pytest.raises(InputError, match=r"line 3: impossible time"):
        read_transcript(b"WEBVTT\n\n00:00:75.000 --> 00:01:01.000\nHi\n", "x.vtt")


def test_zoom_closed_captions_without_speakers() -> None:
    t = read("zoom-vtt-zoomstudentengagement/GMT20240124-202901_Recording.cc.vtt")
    raw = shared("zoom-vtt-zoomstudentengagement/GMT20240124-202901_Recording.cc.vtt").read_text(
        encoding="utf-8"
    )
    assert t.source_format == "vtt" and t.speakers == ("",)
    assert t.turns[0].text.startswith("This doesn't. This as a nerd,")
    assert t.turns[0].start_ms == 68000
    # every word of every cue is kept, in order
    cue_words = [
        w
        for block in raw.split("\n\n")[1:]
        for line in block.splitlines()[1:]
        for w in line.split()
    ]
    assert " ".join(x.text for x in t.turns).split() == cue_words


def test_synthetic_zoom_style_voice_files() -> None:
    stats = read("zoom-vtt-zoomstudentengagement/intro_statistics_week1.vtt")
    bio = read("zoom-vtt-zoomstudentengagement/biology_lab_session.vtt")
    assert stats.speakers[0] == "Professor Smith" and bio.speakers[0] == "Dr. Chen"
    assert bio.turns[0].text.startswith(
        "Good morning everyone! Welcome to Biology 201 Lab. Today we'll"
    )
