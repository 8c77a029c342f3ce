"""Each transcript's anonymisation state, worked out from the study and its key file and stored in
the study (``transcripts.anonymisation``), where every reading rule can see it without the key.

A transcript is *anonymised* when it has been scanned, no finding of it is pending, every
accepted finding has been applied, and the residual check (known names, the deny-list, the
originals already replaced, identifier patterns) finds nothing in its text, file name,
interviewer or speaker names. Short of that it is *partly* anonymised (scanned, or something in it
replaced) or *not anonymised* at all.

Only ``anonymise apply`` may open a transcript (its study transaction records the new text and
the states together). Everything else that can reveal something new to check (a scan, a new
name or deny-list term) can only close one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from thematica.anonymise.keyfile import FindingRow, ReplacementRow
from thematica.domain import AnonymisationState
from thematica.service.anonymise_residue import known_originals, transcript_residue
from thematica.storage.models import TranscriptRow

OPEN = AnonymisationState.ANONYMISED


def assess(study: Session, key: Session, tids: Iterable[int]) -> dict[int, AnonymisationState]:
    """The state each of ``tids`` is in now (the key session's uncommitted changes count)."""
    wanted = sorted(set(tids))
    unfinished: dict[int, int] = dict(
        key.execute(
            select(FindingRow.transcript_id, func.count())
            .where(
                FindingRow.transcript_id.in_(wanted),
                FindingRow.status.in_(("pending", "accepted")),
            )
            .group_by(FindingRow.transcript_id)
        ).all()
    )
    replaced = set(
        key.scalars(
            select(ReplacementRow.transcript_id)
            .where(ReplacementRow.transcript_id.in_(wanted))
            .distinct()
        )
    )
    entries = known_originals(key)
    out: dict[int, AnonymisationState] = {}
    for tid, scanned_at in study.execute(
        select(TranscriptRow.id, TranscriptRow.anonymisation_scanned_at).where(
            TranscriptRow.id.in_(wanted)
        )
    ).all():
        if scanned_at is None:
            out[tid] = AnonymisationState.PARTLY if tid in replaced else AnonymisationState.NONE
        elif unfinished.get(tid) or transcript_residue(study, entries, [tid]):
            out[tid] = AnonymisationState.PARTLY
        else:
            out[tid] = AnonymisationState.ANONYMISED
    return out


def record(study: Session, key: Session, tids: Iterable[int], *, may_open: bool) -> None:
    """Store the states of ``tids``; without ``may_open`` no transcript is opened (a closed
    one that would now count as anonymised stays closed until the next apply)."""
    for tid, state in assess(study, key, tids).items():
        row = study.get(TranscriptRow, tid)
        assert row is not None
        if state is OPEN and not may_open and row.anonymisation != OPEN.value:
            continue
        row.anonymisation = state.value
    study.flush()


def close(study: Session, tids: Iterable[int]) -> None:
    """Take ``tids`` out of the anonymised set (before a scan that may find more in them)."""
    study.execute(
        update(TranscriptRow)
        .where(TranscriptRow.id.in_(list(tids)), TranscriptRow.anonymisation == OPEN.value)
        .values(anonymisation=AnonymisationState.PARTLY.value)
    )


def mark_scanned(study: Session, tids: Iterable[int], at: dt.datetime) -> None:
    study.execute(
        update(TranscriptRow)
        .where(TranscriptRow.id.in_(list(tids)))
        .values(anonymisation_scanned_at=at)
    )


def states(study: Session) -> dict[int, AnonymisationState]:
    """Every transcript's stored state."""
    return {
        tid: AnonymisationState(state)
        for tid, state in study.execute(
            select(TranscriptRow.id, TranscriptRow.anonymisation).order_by(TranscriptRow.id)
        ).all()
    }
