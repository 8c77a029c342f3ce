"""Finding a quote in a transcript: typography and white space do not matter, and the offsets
always point at the transcript's own text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import snapshot
from thematica.errors import InputError
from thematica.importers.codings import read_codings
from thematica.service import StudyService, TranscriptSource
from thematica.text import Span, closest_passage, find_quote

TEAMS = (
    "I think it\u2019s quite a skill\u2026 knowing when to say \u201cthat\u2019s not for me\u201d "
    "\u2013 and when to stay with it.\n\nYeah, and the\n  waiting lists \u2014 twelve weeks."
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("it's quite a skill...", "it\u2019s quite a skill\u2026"),
        ('say "that\'s not for me" - and', "say \u201cthat\u2019s not for me\u201d \u2013 and"),
        ("the waiting lists -- twelve", None),  # two hyphens are not one dash
        ("the waiting lists - twelve weeks", "the\n  waiting lists \u2014 twelve weeks"),
        ("Yeah,   and the waiting", "Yeah, and the\n  waiting"),
        ("it\u2019s quite a skill", "it\u2019s quite a skill"),  # exact
    ],
)
def test_typography_and_white_space_are_equal(quote: str, expected: str | None) -> None:
    found = find_quote(TEAMS, quote)
    if expected is None:
        assert found == ()
        return
    assert [TEAMS[s.start : s.end] for s in found] == [expected]


def test_an_ellipsis_ends_where_the_character_ends() -> None:
    (span,) = find_quote(TEAMS, "a skill...")
    assert TEAMS[span.end - 1] == "\u2026"


VARIANTS = {"'": "\u2019", '"': "\u201c", "-": "\u2013", " ": "\n "}


@given(
    st.lists(
        st.sampled_from(["it's", '"so"', "well-known", "pain", "and", "mood", "..."]),
        min_size=1,
        max_size=12,
    ),
    st.data(),
)
def test_any_typeset_passage_is_found_from_its_plain_form(
    words: list[str], data: st.DataObject
) -> None:
    plain = " ".join(words)
    typeset = "".join(
        VARIANTS[c] if c in VARIANTS and data.draw(st.booleans()) else c for c in plain
    ).replace("...", "\u2026")
    text = "Before. " + typeset + " After."
    found = find_quote(text, plain)
    assert Span(8, 8 + len(typeset)) in found


def test_closest_passage_points_at_the_nearest_words() -> None:
    span = closest_passage(TEAMS, "the waiting list was twelve months")
    assert span is not None
    assert "the\n  waiting lists \u2014 twelve" in TEAMS[span.start : span.end]
    assert closest_passage(TEAMS, "zebra") is None


@pytest.fixture
def teams_study(tmp_path: Path) -> str:
    path = str(tmp_path / "s.thematica")
    with StudyService.create(path, title="Quotes") as service:
        service.add_team_member(
            "Ann Coder", role=__import__("thematica.domain").domain.MemberRole.LEAD
        )
        vtt = (
            "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Jo Bloggs>"
            + TEAMS.replace("\n\n", " ")
            + "</v>\n"
        )
        service.import_transcripts(
            [TranscriptSource(name="physio-4.vtt", read=lambda: vtt.encode("utf-8"))]
        )
        service.import_codebook(
            __import__("thematica.importers.codebook", fromlist=["read_codebook"]).read_codebook(
                b"path\nSkill\n", "codebook.csv"
            ),
            source="codebook.csv",
        )
    return path


def _codings(quote: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["transcript", "coder", "code", "quote"])
    writer.writerow(["1", "Ann Coder", "Skill", quote])
    return out.getvalue().encode("utf-8")


def test_a_straight_apostrophe_quote_codes_the_curly_text(teams_study: str) -> None:
    with StudyService.open(teams_study) as service:
        added = service.import_codings(
            read_codings(_codings("it's quite a skill..."), "c.csv"), source="c.csv"
        )
        assert added == 1
        (coding,) = service.codings()
    assert coding.text == "it\u2019s quite a skill\u2026"


def test_a_missing_quote_names_the_closest_passage(teams_study: str) -> None:
    before = snapshot(teams_study)
    with StudyService.open(teams_study) as service, pytest.raises(InputError) as caught:
        service.import_codings(
            read_codings(_codings("it is quite a skill, knowing when"), "c.csv"), source="c.csv"
        )
    message = str(caught.value)
    assert "c.csv" in message and "row 2" in message
    assert "the closest passage is 'quite a skill\u2026 knowing when' (characters 13-40)" in message
    assert snapshot(teams_study) == before
