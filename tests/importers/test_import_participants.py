"""Naming the participant of each imported file: the labels are looked up once per import (not
once per file), with the database's own case folding, and give what one lookup per file gave."""

from __future__ import annotations

from functools import partial

import pytest

from thematica.errors import InputError
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

REGISTER = "label,group\nPhysio 1,Physio\nOT 1,OT\nZoë 2,OT\n".encode()


def vtt(n: int) -> TranscriptSource:
    data = f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hello {n}.</v>\n".encode()
    return TranscriptSource(f"file-{n}.vtt", partial(bytes, data), participant=None)


def named(n: int, participant: str) -> TranscriptSource:
    plain = vtt(n)
    return TranscriptSource(plain.name, plain.read, participant=participant)


def test_given_participants_in_any_case_and_spacing(study: StudyService) -> None:
    study.import_register(read_register(REGISTER, "r.csv"), source="r.csv")
    report = study.import_transcripts(
        [named(1, "physio 1"), named(2, "  OT 1 "), named(3, "PHYSIO 1"), named(4, "Zoë 2")]
    )
    assert [t.participant for t in report.imported] == ["Physio 1", "OT 1", "Physio 1", "Zoë 2"]


def test_an_unknown_participant_is_named_with_the_known_ones(study: StudyService) -> None:
    study.import_register(read_register(REGISTER, "r.csv"), source="r.csv")
    with pytest.raises(InputError) as caught:
        study.import_transcripts([named(1, "Physio 1"), named(2, "Physio 9")])
    assert str(caught.value) == (
        "file-2.vtt: no participant 'Physio 9' in the register (known: Physio 1, OT 1, Zoë 2)"
    )
    assert study.transcripts() == ()  # all or nothing
