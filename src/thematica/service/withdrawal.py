"""A participant's withdrawal: what will go (the plan a lead confirms), and taking it out.

Their transcripts go with every turn, search-index entry, coding of every layer and coder,
reconciliation decision, memo on the transcripts, journal link and anonymisation-log row; the
participant leaves the register. Their words quoted elsewhere (memos, journal entries and field
notes, code and theme descriptions, other codings' memos) are replaced by a marker
(``withdrawal_quotes.py``). The lineage forgets their codings (a merge undone later moves back
the codings that remain) and earlier audit entries lose every id that pointed at them. In the
key file, their identity and the findings and replacements of their transcripts go.

What stays: one ``withdrawals`` row (label, when, who, reason category), so the label is never
given again, and one ``participant.withdraw`` audit entry. Nothing here holds their words.
Counts, saturation and reports are computed from the data, so they change with it.

Taking it out is ``withdrawal_remove.py``; scrubbing the SQLite file afterwards (VACUUM, WAL
truncated) is the caller's, ``withdrawal_methods.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.domain import WITHDRAWAL_REASONS, CodePath, Level
from thematica.errors import ConflictError, NotFoundError, ThematicaError
from thematica.service import audit
from thematica.service.withdrawal_quotes import QuoteFinder
from thematica.storage.models import (
    AnonymisationRunRow,
    Base,
    CodeRow,
    CodingRow,
    JournalEntryRow,
    MemoRow,
    ParticipantRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
    TurnRow,
    WithdrawalRow,
)


@dataclass(frozen=True)
class CoderCodings:
    coder: str
    level: int
    codings: int


@dataclass(frozen=True)
class CountChange:
    """A theme whose single count changes: participants n of N, before and after."""

    path: CodePath
    before: tuple[int, int]
    after: tuple[int, int]


@dataclass(frozen=True)
class QuotePlace:
    """Where their words are quoted: ``"memo 3 on a code"``, ``"journal entry 5"``, or in the
    findings draft the theme under which they are quoted."""

    where: str
    quotes: int


@dataclass(frozen=True)
class KeyEntries:
    identities: int
    findings: int
    replacements: int


@dataclass(frozen=True)
class WithdrawalPlan:
    """Everything a withdrawal will remove or change, counted (no text), for the confirmation.
    ``fingerprint`` names this plan: a confirmation given for another is refused."""

    label: str
    group: str
    transcripts: tuple[int, ...]
    words: int
    turns: int
    codings: tuple[CoderCodings, ...]
    reconciliations: int
    transcript_memos: int
    journal_links: int
    anonymisation_log: int
    quotes: tuple[QuotePlace, ...]
    level: int
    participants_before: int
    participants_after: int
    themes: tuple[CountChange, ...]
    emptied_codes: tuple[tuple[int, CodePath], ...]  # (level, path) of codes only they were
    # coded with: kept (their name may be their words: a lead renames or removes them)
    key: KeyEntries | None
    fingerprint: str
    draft_quotes: tuple[QuotePlace, ...] = ()  # in the findings draft (filled by the facade)
    backups: tuple[str, ...] = ()  # copies of the study file beside it, which still hold them
    recordings: int = 0  # their transcripts' recordings, whose files are deleted too

    @property
    def total_codings(self) -> int:
        return sum(c.codings for c in self.codings)


@dataclass(frozen=True)
class Withdrawal:
    label: str
    withdrawn_at: dt.datetime
    withdrawn_by: str
    reason: str


@dataclass
class Targets:
    """The ids a withdrawal removes and the texts it rewrites (found with the plan)."""

    participant_id: int
    transcripts: list[int]
    turns: list[int]
    codings: list[int]
    rewrites: list[tuple[type[Base], str, int, str, bool]] = field(default_factory=list)


# Stored free text in which their words may be quoted: (model, column, how a place is named,
# whether the row has a ``modified_at`` version to bump).
QUOTED_IN: tuple[tuple[type[Base], str, str, bool], ...] = (
    (MemoRow, "text", "memo {id}", True),
    (JournalEntryRow, "text", "journal entry {id}", True),
    (CodingRow, "memo", "memo of coding {id}", True),
    (CodeRow, "description", "description of code {id}", False),
    (ThemeNodeRow, "description", "description of theme {id}", False),
)


def check_reason(reason: str) -> str:
    reason = reason.strip().lower()
    if reason not in WITHDRAWAL_REASONS:
        raise ThematicaError(
            f"unknown withdrawal reason {reason!r}: one of {', '.join(WITHDRAWAL_REASONS)}"
        )
    return reason


def withdrawn_labels(session: Session) -> list[str]:
    return list(session.scalars(select(WithdrawalRow.label).order_by(WithdrawalRow.id)))


def withdrawals(session: Session) -> tuple[Withdrawal, ...]:
    rows = session.scalars(select(WithdrawalRow).order_by(WithdrawalRow.id))
    return tuple(Withdrawal(r.label, _utc(r.withdrawn_at), r.withdrawn_by, r.reason) for r in rows)


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at


def participant(session: Session, label: str) -> ParticipantRow:
    """The participant to withdraw; a withdrawn or unknown label is refused in one line."""
    wanted = " ".join(label.split())
    if not wanted:
        raise ThematicaError("say which participant withdraws (their label, e.g. 'Physio 4')")
    gone = session.scalar(
        select(WithdrawalRow).where(func.lower(WithdrawalRow.label) == wanted.lower())
    )
    if gone is not None:
        raise ConflictError(
            f"{gone.label} already withdrew on {_utc(gone.withdrawn_at):%Y-%m-%d}: "
            "their data has left the study"
        )
    row = session.scalar(
        select(ParticipantRow).where(func.lower(ParticipantRow.label) == wanted.lower())
    )
    if row is None:
        raise NotFoundError(f"no participant {wanted!r} in the register")
    if session.scalar(select(func.count()).select_from(AnonymisationRunRow)):
        raise ConflictError(
            "an anonymisation apply was interrupted: run 'thematica anonymise check' with the "
            "key file first, then withdraw"
        )
    return row


def targets(session: Session, row: ParticipantRow) -> Targets:
    tids = list(
        session.scalars(
            select(TranscriptRow.id)
            .where(TranscriptRow.participant_id == row.id)
            .order_by(TranscriptRow.id)
        )
    )
    turns = list(session.scalars(select(TurnRow.id).where(TurnRow.transcript_id.in_(tids))))
    codings = list(session.scalars(select(CodingRow.id).where(CodingRow.transcript_id.in_(tids))))
    return Targets(row.id, tids, turns, codings)


def find_quotes(session: Session, found: Targets) -> list[QuotePlace]:
    """Where stored text quotes them; the rewrites go into ``found``."""
    theirs = session.scalars(
        select(TranscriptRow.text).where(TranscriptRow.id.in_(found.transcripts))
    )
    others = session.scalars(
        select(TranscriptRow.text).where(TranscriptRow.id.not_in(found.transcripts))
    )
    finder = QuoteFinder.build(list(theirs), others)
    places: list[QuotePlace] = []
    gone = set(found.codings)
    for model, column, where, versioned in QUOTED_IN:
        table = Base.metadata.tables[model.__tablename__]
        for ident, value in session.execute(select(table.c.id, table.c[column])).all():
            if not value or (model is CodingRow and ident in gone):
                continue
            new, count = finder.redact(value)
            if count:
                places.append(QuotePlace(where.format(id=ident), count))
                found.rewrites.append((model, column, ident, new, versioned))
    return places


def coder_counts(session: Session, tids: list[int]) -> tuple[CoderCodings, ...]:
    rows = session.execute(
        select(TeamMemberRow.name, CodeRow.level, func.count(CodingRow.id))
        .join(TeamMemberRow, TeamMemberRow.id == CodingRow.coder_id)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodingRow.transcript_id.in_(tids))
        .group_by(TeamMemberRow.name, CodeRow.level)
        .order_by(CodeRow.level, TeamMemberRow.name)
    ).all()
    return tuple(CoderCodings(name, int(level), int(n)) for name, level, n in rows)


def analysis_level(session: Session) -> Level:
    """The level reports count: the agreed layer when there is one."""
    agreed = session.scalar(
        select(func.count(CodingRow.id)).join(CodeRow).where(CodeRow.level == 2)
    )
    return Level.TWO if agreed else Level.ONE


def count_changes(
    session: Session, label: str, level: Level
) -> tuple[int, int, tuple[CountChange, ...]]:
    """N before and after, and each theme whose n changes (single counting is over sets of
    participants, so taking one out is exact: n drops where they were counted)."""
    from thematica.service import analysis as an

    counts = an.counts(session, level, (), None)
    before = counts.total
    after = before - (1 if label in counts.participants else 0)
    changes = tuple(
        CountChange(t.path, (t.rolled_up, t.total), (t.rolled_up - 1, after))
        for t in counts.themes
        if label in t.supporters
    )
    return before, after, changes


def emptied_codes(session: Session, gone: list[int]) -> tuple[tuple[int, CodePath], ...]:
    """Codes every coding of which is theirs (an in-vivo code can be their words): kept, and
    listed so a lead can rename or remove them."""
    from thematica.service.codebook import CodeIndex

    theirs = set(session.scalars(select(CodingRow.code_id).where(CodingRow.id.in_(gone))))
    if not theirs:
        return ()
    remaining = set(
        session.scalars(
            select(CodingRow.code_id).where(
                CodingRow.code_id.in_(theirs), CodingRow.id.not_in(gone)
            )
        )
    )
    index = CodeIndex.load(session)
    return tuple(
        sorted(
            (index.rows[c].level, index.paths[c]) for c in theirs - remaining if c in index.paths
        )
    )


def fingerprint(facts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def record(session: Session, label: str, by: str, reason: str, plan: WithdrawalPlan) -> Withdrawal:
    at = dt.datetime.now(dt.UTC)
    session.add(WithdrawalRow(label=label, withdrawn_at=at, withdrawn_by=by, reason=reason))
    audit.record(
        session,
        actor=by,
        action="participant.withdraw",
        target=f"participant {label}",
        details={
            "label": label,
            "reason": reason,
            "transcripts": len(plan.transcripts),
            "codings": plan.total_codings,
            "quotes_removed": sum(q.quotes for q in plan.quotes),
        },
        at=at,
    )
    return Withdrawal(label, at, by, reason)


__all__ = [
    "CoderCodings",
    "CountChange",
    "KeyEntries",
    "QuotePlace",
    "Targets",
    "Withdrawal",
    "WithdrawalPlan",
    "check_reason",
    "participant",
    "withdrawals",
    "withdrawn_labels",
]
