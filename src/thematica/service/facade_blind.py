"""Blind level-one coding, revealing a transcript for reconciliation, and its checking state
(methods of :class:`~thematica.service.StudyService`; ``service/checking.py`` does the checking
work). Who may is :class:`~thematica.service.acting.MemberStudy`'s rule; the lead-only ones
check the lead here too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from thematica.domain import MemberRole, TranscriptSummary
from thematica.errors import AccessDenied
from thematica.service import audit, checking
from thematica.service import codebook as cb
from thematica.service import transcripts as tx
from thematica.service.sessions import Sessions
from thematica.storage.models import StudyRow, TeamMemberRow, TranscriptRow


class BlindMethods(Sessions):
    # -- blind level-one coding -----------------------------------------------------------

    def _lead(self, session: Session, by: str) -> str:
        row = session.get(TeamMemberRow, cb.member_id(session, by))
        assert row is not None
        if row.role != MemberRole.LEAD.value:
            raise AccessDenied(f"only a lead can do this; {row.name} is a {row.role}")
        return row.name

    def blind_coding(self) -> bool:
        with self._session() as session:
            study = session.get(StudyRow, 1)
            return bool(study and study.blind_coding)

    def set_blind_coding(self, on: bool, *, by: str) -> None:
        with self._transaction() as session:
            who = self._lead(session, by)
            study = session.get(StudyRow, 1)
            assert study is not None
            study.blind_coding = on
            audit.record(
                session, actor=who, action=f"blind.{'on' if on else 'off'}", target="study"
            )

    def reveal(self, ref: str, *, by: str) -> dt.datetime:
        """Reveal a transcript for reconciliation: every coder now sees every coding in it."""
        with self._transaction() as session:
            who = self._lead(session, by)
            row = session.get(TranscriptRow, tx.resolve(session, ref))
            assert row is not None
            if row.revealed_at is None:
                checking.check_reveal(session, row)
                row.revealed_at, row.revealed_by = dt.datetime.now(dt.UTC), who
                audit.record(
                    session,
                    actor=who,
                    action="transcript.reveal",
                    target=f"transcript {row.id}",
                    details={"transcript_id": row.id},
                )
            return row.revealed_at

    # -- checked against the recording (service/checking.py) --------------------------------

    def set_checking(self, ref: str, state: str, *, by: str) -> TranscriptSummary:
        """Transcript ``ref`` marked ``automatic``, ``checking`` or ``checked`` by team member
        ``by`` (audit-logged); who may is :class:`MemberStudy`'s rule."""
        wanted = checking.parse_state(state)
        with self._transaction() as session:
            member = session.get(TeamMemberRow, cb.member_id(session, by))
            assert member is not None
            tid = tx.resolve(session, ref)
            checking.set_state(session, tid, wanted, member)
            session.flush()
            return next(t for t in tx.summaries(session) if t.id == tid)

    def reveal_requires_checked(self) -> bool:
        """Whether the lead requires a transcript checked before it is revealed."""
        with self._session() as session:
            return checking.reveal_requires_checked(session)

    def set_reveal_requires_checked(self, on: bool, *, by: str) -> None:
        with self._transaction() as session:
            checking.set_reveal_requires_checked(session, on, self._lead(session, by))

    def revealed(self, ref: str) -> bool:
        with self._session() as session:
            row = session.get(TranscriptRow, tx.resolve(session, ref))
            return row is not None and row.revealed_at is not None


__all__ = ["BlindMethods"]
