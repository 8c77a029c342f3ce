"""Checking transcripts against the recording: each transcript's state (``automatic`` as the
tool wrote it, ``checking``, ``checked``), who set it and when, and the lead's rule that a
transcript is revealed for reconciliation only once it is checked. Every change is in the audit
log; who may change it is :class:`~thematica.service.acting.MemberStudy`'s rule (members who
see originals, never readers)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from thematica.domain import CheckingState
from thematica.errors import ConflictError, ThematicaError
from thematica.service import audit
from thematica.storage.models import ParticipantRow, StudyRow, TeamMemberRow, TranscriptRow


def parse_state(value: str) -> CheckingState:
    """``value`` as a checking state, else one line naming the states."""
    try:
        return CheckingState(value.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in CheckingState)
        raise ThematicaError(f"unknown checking state {value!r} (use {allowed})") from None


def set_state(
    session: Session, tid: int, state: CheckingState, member: TeamMemberRow
) -> TranscriptRow:
    """Transcript ``tid`` set to ``state`` by ``member`` (who and when are kept; back to
    ``automatic`` clears them), logged in the audit log. The same state again changes nothing."""
    row = session.get(TranscriptRow, tid)
    assert row is not None
    previous = row.checking
    if previous == state.value and (
        state is CheckingState.AUTOMATIC or row.checked_by == member.name
    ):
        return row
    row.checking = state.value
    if state is CheckingState.AUTOMATIC:
        row.checked_by, row.checked_at = None, None
    else:
        row.checked_by, row.checked_at = member.name, dt.datetime.now(dt.UTC)
    audit.record(
        session,
        actor=member.name,
        action=f"transcript.{state.value}",
        target=f"transcript {tid}",
        details={"transcript_id": tid, "state": state.value, "previous": previous},
    )
    return row


def reveal_requires_checked(session: Session) -> bool:
    study = session.get(StudyRow, 1)
    return bool(study and study.reveal_requires_checked)


def set_reveal_requires_checked(session: Session, on: bool, lead: str) -> None:
    study = session.get(StudyRow, 1)
    assert study is not None
    if bool(study.reveal_requires_checked) == on:
        return
    study.reveal_requires_checked = on
    audit.record(
        session,
        actor=lead,
        action=f"reveal.require_checked.{'on' if on else 'off'}",
        target="study",
    )


def check_reveal(session: Session, row: TranscriptRow) -> None:
    """Refuse to reveal transcript ``row`` while the lead requires checked transcripts and it
    is not checked."""
    if row.checking != CheckingState.CHECKED.value and reveal_requires_checked(session):
        label = session.get(ParticipantRow, row.participant_id) if row.participant_id else None
        name = f"{row.id} ({label.label})" if label else str(row.id)
        raise ConflictError(
            f"transcript {name} is not checked against the recording yet "
            f"({row.checking}), and the lead requires it before a reveal"
        )


__all__ = [
    "check_reveal",
    "parse_state",
    "reveal_requires_checked",
    "set_reveal_requires_checked",
    "set_state",
]
