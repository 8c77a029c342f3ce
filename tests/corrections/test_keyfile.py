"""Corrections of a transcript whose anonymisation has started: the before/after go to the key
file (the study's log says so), the key's findings and replacements move with the text, the
study file keeps no copy of the old text, a correction typing a known name closes the
transcript again, and without the key the correction is refused naming --key. Corrections made
before anonymisation leave the study when it is applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import snapshot
from tests.corrections.world import CODER, LEAD, build, code
from thematica.anonymise.keyfile import FindingRow, KeyCorrectionRow, open_key
from thematica.errors import ThematicaError
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy

IDENTITIES = b"label,real_name,nicknames\nP1,Pat Smith,Patsy\n"


@pytest.fixture
def study(tmp_path: Path) -> StudyService:
    return build(
        StudyService.create(str(tmp_path / "s.thematica"), title="T", research_question="Q")
    )


def anonymised(study: StudyService, key: Path) -> AnonymisingStudy:
    anon = AnonymisingStudy(study, key)
    anon.import_identities(IDENTITIES, "identities.csv")
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD)
    return anon


def key_rows(study: StudyService, key: Path) -> list[KeyCorrectionRow]:
    engine = open_key(key, "T", study.info().created_at.replace(tzinfo=None).isoformat())
    try:
        with Session(engine) as session:
            return list(session.scalars(select(KeyCorrectionRow)))
    finally:
        engine.dispose()


def file_bytes(location: Path) -> bytes:
    """The study file and its write-ahead log (not the key beside it)."""
    files = [location, *(location.with_name(location.name + s) for s in ("-wal", "-journal"))]
    return b"".join(p.read_bytes() for p in files if p.exists())


def test_before_and_after_go_to_the_key_and_leave_no_trace_in_the_study(
    study: StudyService, tmp_path: Path
) -> None:
    key = tmp_path / "s.thematica-key"
    anonymised(study, key)
    assert study.anonymisation_states()[1].value == "anonymised"
    kept = code(study, CODER, "The physio said")
    report = study.as_member(LEAD).correct_text(
        "1", 2, "Honestly it keeps me up until three. The physio said to keep moving.", key=key
    )
    assert report.in_key
    entry = study.corrections("1")[0]
    assert (entry.in_key, entry.before, entry.after) == (True, None, None)
    (row,) = key_rows(study, key)
    assert row.correction_id == entry.id and "awake at night" in row.before
    assert "up until three" in row.after
    assert next(c.text for c in study.codings() if c.id == kept) == "The physio said"
    study.close()
    raw = file_bytes(tmp_path / "s.thematica")
    assert b"awake at night" not in raw and b"up until three" in raw
    assert b"Honestly it keeps me awake" not in raw


def test_without_the_key_the_correction_is_refused_naming_the_option(
    study: StudyService, tmp_path: Path
) -> None:
    anonymised(study, tmp_path / "s.thematica-key")
    before = snapshot(str(tmp_path / "s.thematica"))
    with pytest.raises(ThematicaError, match="--key"):
        study.as_member(LEAD).merge_turns("1", 1)
    assert snapshot(str(tmp_path / "s.thematica")) == before


def test_a_known_name_typed_in_closes_the_transcript(study: StudyService, tmp_path: Path) -> None:
    key = tmp_path / "s.thematica-key"
    anonymised(study, key)
    study.as_member(LEAD).correct_text("1", 6, "Seeing Patsy every time.", key=key)
    assert study.anonymisation_states()[1].value == "partly"


def test_pending_findings_move_with_the_text(study: StudyService, tmp_path: Path) -> None:
    key = tmp_path / "s.thematica-key"
    study.as_member(LEAD).correct_text(
        "1", 6, "Seeing the same person every time, like Pat Smith does.", key=key
    )
    anon = AnonymisingStudy(study, key)
    anon.import_identities(IDENTITIES, "identities.csv")
    anon.scan()
    (finding,) = anon.findings()
    study.as_member(LEAD).split_turn("1", 2, before="The physio", key=key)
    study.as_member(LEAD).correct_text("1", 1, "How is the back?", key=key)
    engine = open_key(key, "T", study.info().created_at.replace(tzinfo=None).isoformat())
    with Session(engine) as session:
        moved = session.get(FindingRow, finding.id)
        assert moved is not None
        assert study.transcript("1").text[moved.start : moved.end] == moved.original == "Pat Smith"
    engine.dispose()


def test_corrections_made_before_anonymisation_move_to_the_key_when_it_is_applied(
    study: StudyService, tmp_path: Path
) -> None:
    key = tmp_path / "s.thematica-key"
    study.as_member(LEAD).correct_text("1", 4, "Low, mostly. I stopped going to Pat Smith's.")
    assert study.corrections()[0].before is not None
    anonymised(study, key)
    entry = study.corrections()[0]
    assert (entry.in_key, entry.before, entry.after) == (True, None, None)
    assert "Pat Smith" in key_rows(study, key)[0].after
    study.close()
    assert b"Pat Smith" not in file_bytes(tmp_path / "s.thematica")


def test_a_withdrawal_takes_the_corrections_with_it(study: StudyService, tmp_path: Path) -> None:
    key = tmp_path / "s.thematica-key"
    anonymised(study, key)
    study.as_member(LEAD).correct_text("1", 2, "Honestly it keeps me up until three.", key=key)
    assert len(key_rows(study, key)) == 1
    plan = study.withdrawal_plan("P1", by=LEAD, key_path=key)
    study.withdraw("P1", by=LEAD, confirm=plan.fingerprint, key_path=key)
    assert study.corrections() == () and key_rows(study, key) == []
