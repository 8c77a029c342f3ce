"""Which transcripts a team member may read: the one rule behind every text the service gives
out. Leads and coders read every transcript; readers and members marked anonymised-only read a
transcript only once it is fully anonymised."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import AnonymisationState, MemberRole, Scope
from thematica.service import codebook as cb
from thematica.storage.models import TeamMemberRow, TranscriptRow


def scope_of(row: TeamMemberRow) -> Scope:
    """Which text a member sees: readers, and members marked anonymised-only, anonymised
    text only."""
    if MemberRole(row.role) is MemberRole.READER or row.anonymised_only:
        return Scope.ANONYMISED
    return Scope.ALL


def readable(session: Session, member: str) -> set[int] | None:
    """The ids of the transcripts ``member`` may read; None: all of them."""
    row = session.get(TeamMemberRow, cb.member_id(session, member))
    assert row is not None
    if scope_of(row) is Scope.ALL:
        return None
    return set(
        session.scalars(
            select(TranscriptRow.id).where(
                TranscriptRow.anonymisation == AnonymisationState.ANONYMISED.value
            )
        )
    )
