"""Taking a withdrawing participant's data out of the study, in the caller's transaction: the
rows that are theirs, their words quoted elsewhere (rewritten with the marker), and every id of
theirs in the lineage and audit logs (see ``withdrawal.py`` for what goes and what stays)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from thematica.service.withdrawal import Targets
from thematica.storage import search_index
from thematica.storage.models import (
    AnonymisationLogRow,
    AuditRow,
    Base,
    CodingRow,
    JournalTranscriptRow,
    LineageRow,
    MemoRow,
    ParticipantRow,
    ParticipantValueRow,
    ReconciliationRow,
    TranscriptRow,
    TurnRow,
)

REDACTED_TARGET = "withdrawn participant"


def remove(session: Session, found: Targets) -> None:
    """Take everything in ``found`` out, in the caller's transaction (which, on SQLite, runs
    with ``secure_delete`` on: freed pages are zeroed as they are written)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
    now = dt.datetime.now(dt.UTC)
    for model, column, ident, new, versioned in found.rewrites:
        table = Base.metadata.tables[model.__tablename__]
        values: dict[str, Any] = {column: new}
        if versioned:
            values["modified_at"] = now
        session.execute(update(table).where(table.c.id == ident).values(**values))
    _forget_in_lineage(session, set(found.codings))
    _forget_in_audit(session, set(found.transcripts), set(found.codings))
    tids = found.transcripts
    if session.get_bind().dialect.name != "sqlite" and found.turns:
        session.execute(
            text("DELETE FROM search_turns WHERE turn_id = ANY(:ids)"), {"ids": found.turns}
        )
    session.execute(delete(ReconciliationRow).where(ReconciliationRow.transcript_id.in_(tids)))
    session.execute(delete(CodingRow).where(CodingRow.transcript_id.in_(tids)))
    session.execute(delete(MemoRow).where(MemoRow.transcript_id.in_(tids)))
    session.execute(
        delete(JournalTranscriptRow).where(JournalTranscriptRow.transcript_id.in_(tids))
    )
    session.execute(delete(AnonymisationLogRow).where(AnonymisationLogRow.transcript_id.in_(tids)))
    session.execute(delete(TurnRow).where(TurnRow.transcript_id.in_(tids)))
    session.execute(delete(TranscriptRow).where(TranscriptRow.id.in_(tids)))
    session.execute(
        delete(ParticipantValueRow).where(
            ParticipantValueRow.participant_id == found.participant_id
        )
    )
    session.execute(delete(ParticipantRow).where(ParticipantRow.id == found.participant_id))
    if session.get_bind().dialect.name == "sqlite":
        search_index.rebuild(session)  # contentless FTS5: the old segments go, then VACUUM


def _forget_in_lineage(session: Session, codings: set[int]) -> None:
    if not codings:
        return
    for row in session.scalars(select(LineageRow)):
        details = json.loads(row.details or "{}")
        listed = details.get("codings")
        if isinstance(listed, list) and codings.intersection(listed):
            details["codings"] = [c for c in listed if c not in codings]
            row.details = json.dumps(details)


def _forget_in_audit(session: Session, transcripts: set[int], codings: set[int]) -> None:
    """Earlier entries keep who did what when, but no id that points at them: an entry about
    one of their transcripts or codings says only that it concerned a withdrawn participant,
    and lists of ids lose theirs."""
    pools = {"transcript": transcripts, "coding": codings}
    lists = {"transcript_ids": transcripts, "coding_ids": codings, "codings": codings}
    for row in session.scalars(select(AuditRow)):
        details = json.loads(row.details or "{}")
        kind, _, ident = row.target.partition(" ")
        about_them = (ident.isdigit() and int(ident) in pools.get(kind, set())) or details.get(
            "transcript_id"
        ) in transcripts
        if about_them:
            row.target, row.details = REDACTED_TARGET, json.dumps({"withdrawn": True})
            continue
        changed = dict(details)
        for key, pool in lists.items():
            value = changed.get(key)
            if isinstance(value, list) and pool.intersection(value):
                changed[key] = [v for v in value if v not in pool]
        if changed.get("with_coding") in codings:
            changed["with_coding"] = None
        if changed != details:
            row.details = json.dumps(changed, sort_keys=True)


__all__ = ["REDACTED_TARGET", "remove"]
