"""Reconciliation methods of :class:`~thematica.service.StudyService` (part of the class): two
coders' level-one coding decided into the agreed layer, one disagreement at a time, each
decision undoable (``service/reconcile.py`` does the work). One transaction per method."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from thematica.domain import CodePath
from thematica.lazy import lazy_module
from thematica.service import audit
from thematica.service import transcripts as tx
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import reconcile as rc
else:  # loaded at first use
    rc = lazy_module("thematica.service.reconcile")


class ReconcileMethods(Sessions):
    # -- reconciliation (level two) ---------------------------------------------------------

    def reconciliation(
        self, ref: str, *, coders: tuple[str, str] | None = None
    ) -> rc.Reconciliation:
        """Two coders' disagreements in one transcript, with the decisions made so far."""
        with self._session() as session:
            return rc.reconciliation(session, tx.resolve(session, ref), coders)

    def reconciliation_status(self) -> tuple[rc.Status, ...]:
        with self._session() as session:
            return rc.statuses(session)

    def reconcile(
        self,
        ref: str,
        code: CodePath,
        start: int,
        end: int,
        decision: str,
        *,
        by: str,
        coders: tuple[str, str] | None = None,
        edit: rc.Edit | None = None,
    ) -> rc.Decision:
        """Decide one disagreement (accept_a, accept_b, both, edit or drop), writing the agreed
        level-two codings it calls for, all or nothing."""
        with self._transaction() as session:
            tid = tx.resolve(session, ref)
            made = rc.decide(session, tid, code, start, end, decision, by, coders, edit)
            audit.record(
                session,
                actor=made.by,
                action="reconcile.decide",
                target=f"transcript {tid}",
                details={
                    "decision_id": made.id,
                    "decision": made.decision,
                    "start": start,
                    "end": end,
                    "coding_ids": list(made.codings),
                },
            )
            return made

    def carry_agreements(self, ref: str, *, by: str, coders: tuple[str, str] | None = None) -> int:
        """Write every passage both coders coded identically into the agreed layer."""
        with self._transaction() as session:
            tid = tx.resolve(session, ref)
            carried = rc.carry_agreements(session, tid, by, coders)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="reconcile.carry",
                target=f"transcript {tid}",
                details={"carried": carried},
            )
            return carried

    def undo_carried(self, ref: str, *, by: str, coders: tuple[str, str] | None = None) -> int:
        """Take the carried agreements of one transcript out of the agreed layer again."""
        with self._transaction() as session:
            tid = tx.resolve(session, ref)
            undone = rc.undo_carried(session, tid, by, coders)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="reconcile.undo-carried",
                target=f"transcript {tid}",
                details={"undone": undone},
            )
            return undone

    def undo_reconciliation(
        self,
        decision: int,
        *,
        by: str,
        ref: str | None = None,
        expected: dt.datetime | None = None,
    ) -> rc.Decision:
        """Undo a reconciliation decision (with ``ref``: only one of that transcript's; with
        ``expected``, its version ``at`` as last seen: a different decision is refused)."""
        with self._transaction() as session:
            tid = tx.resolve(session, ref) if ref is not None else None
            undone = rc.undo(session, decision, by, tid, expected)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="reconcile.undo",
                target=f"decision {decision}",
                details={"decision_id": decision, "decision": undone.decision},
            )
            return undone
