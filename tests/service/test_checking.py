"""Checking transcripts against the recording (issue 16, item 4): each transcript is automatic,
in checking or checked (by whom, when); coders and leads who see originals may set it, readers
and anonymised-only members may not; every change is in the audit log; a lead may require
"checked" before a transcript is revealed for reconciliation. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot
from tests.service.test_analysis import build
from thematica.domain import CheckingState, MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService

LEAD, CODER, READER, ANON = "Rachel Ames", "Tom Okafor", "Helen Marsh", "Ann Only"


@pytest.fixture
def team(study: StudyService, location: str) -> StudyService:
    build(study, ["My back pain keeps me awake at night.", "Low mood follows the pain."])
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(ANON, MemberRole.CODER, anonymised_only=True)
    return study


def state(study: StudyService, label: str) -> tuple[CheckingState, str | None]:
    t = next(t for t in study.transcripts() if t.participant == label)
    return t.checking, t.checked_by


def test_a_new_transcript_is_automatic(team: StudyService) -> None:
    assert {t.checking for t in team.transcripts()} == {CheckingState.AUTOMATIC}
    assert {t.checked_by for t in team.transcripts()} == {None}


def test_a_coder_marks_checking_then_checked_and_each_change_is_audited(
    team: StudyService,
) -> None:
    coder = team.as_member(CODER, client="cli")
    found = coder.set_checking("P1", "checking")
    assert (found.checking, found.checked_by) == (CheckingState.CHECKING, CODER)
    found = team.as_member(LEAD).set_checking("P1", "checked")
    assert (found.checking, found.checked_by) == (CheckingState.CHECKED, LEAD)
    assert found.checked_at is not None and found.checked_at.tzinfo is not None
    assert state(team, "P1") == (CheckingState.CHECKED, LEAD)
    assert state(team, "P2") == (CheckingState.AUTOMATIC, None)
    log = [e for e in team.audit_log().entries if e.action.startswith("transcript.check")]
    assert [(e.actor, e.action) for e in reversed(log)] == [
        (CODER, "transcript.checking"),
        (LEAD, "transcript.checked"),
    ]
    assert log[0].details == {"transcript_id": found.id, "state": "checked", "previous": "checking"}
    back = coder.set_checking("P1", "automatic")
    assert (back.checking, back.checked_by, back.checked_at) == (
        CheckingState.AUTOMATIC,
        None,
        None,
    )


@pytest.mark.parametrize("who", [READER, ANON])
def test_readers_and_anonymised_only_members_may_not_and_nothing_changes(
    team: StudyService, location: str, who: str
) -> None:
    before = snapshot(location)
    with pytest.raises(AccessDenied, match="cannot mark a transcript checked"):
        team.as_member(who).set_checking("1", "checked")
    assert snapshot(location) == before


@pytest.mark.parametrize(
    ("ref", "value", "error", "message"),
    [
        ("P9", "checked", NotFoundError, "P9"),
        ("P1", "done", ThematicaError, "unknown checking state 'done'"),
    ],
)
def test_bad_input_is_refused_and_leaves_the_study_as_it_was(
    team: StudyService, location: str, ref: str, value: str, error: type[Exception], message: str
) -> None:
    before = snapshot(location)
    with pytest.raises(error, match=message):
        team.as_member(CODER).set_checking(ref, value)
    assert snapshot(location) == before


def test_only_a_lead_sets_the_reveal_rule(team: StudyService, location: str) -> None:
    before = snapshot(location)
    with pytest.raises(AccessDenied):
        team.as_member(CODER).set_reveal_requires_checked(True)
    assert snapshot(location) == before
    assert team.reveal_requires_checked() is False
    team.as_member(LEAD).set_reveal_requires_checked(True)
    assert team.as_member(CODER).reveal_requires_checked() is True
    assert team.audit_log().entries[0].action == "reveal.require_checked.on"


def test_a_reveal_of_an_unchecked_transcript_is_refused_when_the_lead_requires_it(
    team: StudyService, location: str
) -> None:
    lead = team.as_member(LEAD)
    team.set_blind_coding(True, by=LEAD)
    lead.reveal("P2")  # no rule yet: revealed unchecked
    lead.set_reveal_requires_checked(True)
    team.as_member(CODER).set_checking("P1", "checking")
    before = snapshot(location)
    with pytest.raises(ConflictError) as refused:
        lead.reveal("P1")
    message = str(refused.value)
    assert "\n" not in message and "transcript 1 (P1)" in message and "not checked" in message
    assert snapshot(location) == before
    team.as_member(CODER).set_checking("P1", "checked")
    assert lead.reveal("P1") is not None and team.revealed("P1")
    lead.reveal("P2")  # already revealed: the rule does not take it back
