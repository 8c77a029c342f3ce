"""Importing into a study through the service: all or nothing, speakers, participants."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from tests.conftest import shared, snapshot
from thematica.domain import MemberRole, SpeakerRole
from thematica.errors import ConflictError, InputError, NotFoundError, ThematicaError
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

TEAMS = "teams-vtt-teams-transcript-formatter/example-transcript.vtt"
REGISTER = b"label,group,age:integer,mh_training:boolean\nPhysio 1,Physiotherapist,34,yes\nOT 1,Occupational therapist,29,no\n"


def source(relative: str, **kwargs: object) -> TranscriptSource:
    path = shared(relative)
    return TranscriptSource(name=path.name, read=path.read_bytes, **kwargs)  # type: ignore[arg-type]


def inline(name: str, data: bytes, **kwargs: object) -> TranscriptSource:
    return TranscriptSource(name=name, read=partial(bytes, data), **kwargs)  # type: ignore[arg-type]


def with_register(study: StudyService) -> StudyService:
    study.import_register(read_register(REGISTER, "r.csv"), source="r.csv")
    return study


def test_import_stores_turns_with_offsets_roles_and_times(study: StudyService) -> None:
    with_register(study)
    report = study.import_transcripts(
        [source(TEAMS, participant="physio 1", interview_date=dt.date(2026, 3, 2))]
    )
    assert len(report.imported) == 1 and not report.failed
    t = study.transcript("Physio 1")
    assert t.participant == "Physio 1" and t.interview_date == dt.date(2026, 3, 2)
    assert t.interviewer == "John Smith"
    assert t.duration_ms == 62000
    assert {(x.speaker, x.role) for x in t.turns} == {
        ("John Smith", SpeakerRole.INTERVIEWER),
        ("Jane Doe", SpeakerRole.PARTICIPANT),
    }
    for turn in t.turns:
        assert t.text[turn.start : turn.end] == turn.text
    assert study.transcripts()[0].words == len(t.text.split())


def test_the_speaker_who_talks_most_is_the_participant_and_can_be_corrected(
    study: StudyService,
) -> None:
    study.import_transcripts([source("bristlenose-transcript-fixtures/Session 1.vtt")])
    t = study.transcript("1")
    roles = {x.speaker: x.role for x in t.turns}
    assert roles == {"Tom Baker": SpeakerRole.PARTICIPANT, "Sarah Chen": SpeakerRole.INTERVIEWER}
    fixed = study.set_speaker_role("1", "sarah chen", SpeakerRole.PARTICIPANT)
    fixed = study.set_speaker_role("1", "Tom Baker", SpeakerRole.INTERVIEWER)
    assert {x.speaker: x.role for x in fixed.turns} == {
        "Tom Baker": SpeakerRole.INTERVIEWER,
        "Sarah Chen": SpeakerRole.PARTICIPANT,
    }
    assert fixed.interviewer == "Tom Baker"


def test_explicit_speaker_roles(study: StudyService) -> None:
    study.import_transcripts([source(TEAMS, roles={"john smith": SpeakerRole.PARTICIPANT})])
    roles = {x.speaker: x.role for x in study.transcript("1").turns}
    assert roles["John Smith"] is SpeakerRole.PARTICIPANT
    assert roles["Jane Doe"] is SpeakerRole.INTERVIEWER


def test_file_named_after_a_label_is_linked(study: StudyService) -> None:
    with_register(study)
    data = shared(TEAMS).read_bytes()
    study.import_transcripts([inline("ot_1.vtt", data)])
    assert study.transcripts()[0].participant == "OT 1"


def test_batch_is_all_or_nothing(location: str, study: StudyService) -> None:
    with_register(study)
    before = snapshot(location)
    good = source(TEAMS)
    bad = inline("broken.vtt", b"WEBVTT\n\n00:00:01.000 --> nonsense\nHi\n")
    with pytest.raises(InputError, match=r"broken.vtt: line 3: malformed cue timing"):
        study.import_transcripts([good, bad])
    assert snapshot(location) == before


def test_skip_bad_imports_the_good_and_reports_the_bad(study: StudyService) -> None:
    bad = inline("empty.vtt", b"")
    report = study.import_transcripts([bad, source(TEAMS)], skip_bad=True)
    assert [t.source_name for t in report.imported] == ["example-transcript.vtt"]
    assert [e.message for e in report.failed] == ["empty.vtt: the file is empty"]
    assert len(study.transcripts()) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"roles": {"Jo Nobody": SpeakerRole.PARTICIPANT}},
            r"unknown speaker 'Jo Nobody'; the speakers in this file are 'John Smith', 'Jane Doe'",
        ),
        ({"interviewer": "Jo Nobody"}, r"unknown interviewer 'Jo Nobody'"),
        ({"participant": "Physio 99"}, r"no participant 'Physio 99' in the register"),
    ],
)
def test_unknown_speakers_and_participants_change_nothing(
    location: str, study: StudyService, kwargs: dict[str, object], message: str
) -> None:
    with_register(study)
    before = snapshot(location)
    with pytest.raises(InputError, match=message):
        study.import_transcripts([source(TEAMS, **kwargs)])
    assert snapshot(location) == before


def test_same_file_twice_is_refused(location: str, study: StudyService) -> None:
    study.import_transcripts([source(TEAMS)])
    before = snapshot(location)
    with pytest.raises(
        InputError, match=r"already imported \(identical to 'example-transcript.vtt'\)"
    ):
        study.import_transcripts([source(TEAMS)])
    with pytest.raises(InputError, match="already imported"):
        study.import_transcripts([inline("a.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n")] * 2)
    assert snapshot(location) == before


def test_unreadable_file(study: StudyService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "gone.vtt"
    with pytest.raises(InputError, match="gone.vtt: cannot be read"):
        study.import_transcripts([TranscriptSource(str(missing), missing.read_bytes)])


def test_register_round_trip_and_conflicts(location: str, study: StudyService) -> None:
    with_register(study)
    people = study.participants()
    assert [(p.label, p.group, p.attributes) for p in people] == [
        ("Physio 1", "Physiotherapist", {"age": 34, "mh_training": True}),
        ("OT 1", "Occupational therapist", {"age": 29, "mh_training": False}),
    ]
    before = snapshot(location)
    with pytest.raises(ConflictError, match="r.csv: already in the register: Physio 1, OT 1"):
        with_register(study)
    with pytest.raises(
        ConflictError,
        match="column 'age' holds text values, but the study already records 'age' as integer",
    ):
        study.import_register(
            read_register(b"group,age\nPhysio,young\n", "r2.csv"), source="r2.csv"
        )
    assert snapshot(location) == before
    added = study.import_register(
        read_register(b"group,age\nPhysiotherapist,50\n", "r3.csv"),
        source="r3.csv",
        prefixes={"Physiotherapist": "Physio"},
    )
    assert [p.label for p in added] == ["Physio 2"]


def test_team_and_info(study: StudyService) -> None:
    study.add_team_member("  Rachel   Ames ", MemberRole.LEAD)
    with pytest.raises(ConflictError):
        study.add_team_member("rachel ames", MemberRole.CODER)
    with pytest.raises(ThematicaError, match="needs a name"):
        study.add_team_member("   ", MemberRole.CODER)
    study.import_transcripts([source(TEAMS)])
    info = study.info()
    assert info.team[0].name == "Rachel Ames" and info.transcripts == 1 and info.words == 146


def test_transcript_references(study: StudyService) -> None:
    with_register(study)
    study.import_transcripts([source(TEAMS, participant="OT 1")])
    assert (
        study.transcript("1").id
        == study.transcript("ot 1").id
        == study.transcript("example-transcript.vtt").id
    )
    with pytest.raises(NotFoundError, match="no transcript 'Physio 7'"):
        study.transcript("Physio 7")
    with pytest.raises(NotFoundError, match="no speaker 'Nobody'"):
        study.set_speaker_role("1", "Nobody", SpeakerRole.OTHER)
    changed = study.set_transcript_details(
        "1", participant="Physio 1", interview_date=dt.date(2026, 4, 1)
    )
    assert changed.participant == "Physio 1" and changed.interview_date == dt.date(2026, 4, 1)


def test_guide_replace(study: StudyService) -> None:
    from thematica.domain import GuideQuestion

    study.replace_guide([GuideQuestion("Q1?", ("p1", "p2")), GuideQuestion("Q2?")])
    study.replace_guide([GuideQuestion("New?", ("a",))])
    assert study.guide() == (GuideQuestion("New?", ("a",)),)
