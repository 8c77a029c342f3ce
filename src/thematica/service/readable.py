"""Which transcripts a team member may read: the one rule behind every text the service gives
out. Leads and coders read every transcript; readers and members marked anonymised-only read a
transcript only once it is fully anonymised."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import AnonymisationState, MemberRole, Scope
from thematica.service import codebook as cb
from thematica.service.sessions import memo
from thematica.storage.models import TeamMemberRow, TranscriptRow


def scope_of(row: TeamMemberRow) -> Scope:
    """Which text a member sees: readers, and members marked anonymised-only, anonymised
    text only (:func:`readable` applies the same rule to the two columns)."""
    if MemberRole(row.role) is MemberRole.READER or row.anonymised_only:
        return Scope.ANONYMISED
    return Scope.ALL


def readable(session: Session, member: str) -> set[int] | None:
    """The ids of the transcripts ``member`` may read; None: all of them. Looked up once per
    run of shared reads (``sessions.memo``); the answer is the caller's to keep."""
    found = memo(session, ("readable", member.strip().lower()), lambda: _readable(session, member))
    return None if found is None else set(found)


_ANONYMISED = select(TranscriptRow.id).where(
    TranscriptRow.anonymisation == AnonymisationState.ANONYMISED.value
)


def _readable(session: Session, member: str) -> frozenset[int] | None:
    found = cb.member_facts(session, member)  # NotFoundError, naming the team, if none
    role, anonymised_only = found.role, found.anonymised_only
    if MemberRole(role) is not MemberRole.READER and not anonymised_only:
        return None
    return frozenset(session.scalars(_ANONYMISED))
