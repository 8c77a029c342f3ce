"""Reconciliation (level two): two coders' level-one disagreements in one transcript, each
decided as accept A, accept B, accept both, edit or drop, producing the agreed layer.

A disagreement is what the agreement engine reports (:func:`thematica.analysis.spans.differences`
on the two coders' merged spans of one code): it is identified by its transcript, its level-one
code and its start and end. A decision is stored with the level-two codings it produced, so it
can be undone exactly. The agreed code for a level-one code is the level-two code formed from it
(``code_origins``); when there is none, a level-two code of the same path is created with that
origin, and the team can rename or merge it later.

Simultaneous decisions: a decision is recorded before the codings it writes, and the database
keeps one decision per disagreement (a unique key), so of several people deciding one
disagreement at once exactly one succeeds and the others are refused (ConflictError). A
decision's version is its ``decided_at``; an undo is ``DELETE ... WHERE id AND decided_at`` in one
statement, so one decision is undone once, and an undo from an outdated page is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematica.analysis import spans
from thematica.analysis.coefficients import CharacterAgreement, character_agreement
from thematica.domain import RECONCILE_DECISIONS, CodePath, Level, MemberRole, format_path
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import codebook as cb
from thematica.service import versions
from thematica.service.coding_edits import seen
from thematica.service.transcript_agreement import compare_in_transcript
from thematica.storage.models import (
    CodeOriginRow,
    CodeRow,
    CodingRow,
    ParticipantRow,
    ReconciliationRow,
    StudyRow,
    TeamMemberRow,
    TranscriptRow,
)

DECISIONS = RECONCILE_DECISIONS
Interval = tuple[int, int]


@dataclass(frozen=True)
class Decision:
    id: int
    decision: str
    by: str
    at: dt.datetime
    codings: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    """One disagreement, with the agreed code it would go to and its decision, if made."""

    code: CodePath  # the level-one code
    kind: str  # only_a | only_b | boundaries
    start: int
    end: int
    text: str
    a: tuple[Interval, ...]
    b: tuple[Interval, ...]
    agreed_code: CodePath | None  # the level-two code it goes to (None: created when decided)
    decision: Decision | None


@dataclass(frozen=True)
class Agreement:
    """A passage both coders coded with the same code and the same span; ``carried`` once it
    is in the agreed layer (by :func:`carry_agreements`)."""

    code: CodePath
    start: int
    end: int
    carried: bool


@dataclass(frozen=True)
class CodeFigure:
    code: CodePath
    agreement: CharacterAgreement


@dataclass(frozen=True)
class Reconciliation:
    transcript_id: int
    participant: str | None
    coder_a: str
    coder_b: str
    items: tuple[Item, ...]
    figures: tuple[CodeFigure, ...]  # character agreement per level-one code, this transcript
    pooled: CharacterAgreement  # the summed 2x2 table over those codes
    agreements: tuple[Agreement, ...] = ()  # passages both coded identically

    @property
    def carried(self) -> int:
        return sum(1 for a in self.agreements if a.carried)

    @property
    def pending(self) -> int:
        return sum(1 for i in self.items if i.decision is None)


@dataclass(frozen=True)
class Status:
    """A transcript on the reconciliation list."""

    transcript_id: int
    participant: str | None
    coders: tuple[str, ...]
    revealed: bool
    disagreements: int
    decided: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())


def _level_one(session: Session, tid: int | None) -> list[tuple[int, int, int, int, int]]:
    """Level-one codings as (transcript, code, coder, start, end), of one transcript or all."""
    query = (
        select(
            CodingRow.transcript_id,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(Level.ONE))
    )
    if tid is not None:
        query = query.where(CodingRow.transcript_id == tid)
    return [(t, c, k, s, e) for t, c, k, s, e in session.execute(query).all()]


def _coders_by_volume(
    rows: list[tuple[int, int, int, int, int]], names: dict[int, str]
) -> list[str]:
    volume = Counter(names[k] for _t, _c, k, _s, _e in rows)
    return sorted(volume, key=lambda n: (-volume[n], n))


def _per_code(
    rows: list[tuple[int, int, int, int, int]], a_id: int, b_id: int
) -> dict[int, tuple[list[Interval], list[Interval]]]:
    """Level-one code -> coder A's and coder B's merged spans (rows of one transcript)."""
    raw: dict[int, tuple[list[Interval], list[Interval]]] = defaultdict(lambda: ([], []))
    for _t, code, coder, start, end in rows:
        if coder in (a_id, b_id):
            raw[code][0 if coder == a_id else 1].append((start, end))
    return {code: (spans.merge(a), spans.merge(b)) for code, (a, b) in raw.items()}


def _differences(
    rows: list[tuple[int, int, int, int, int]], a_id: int, b_id: int
) -> dict[int, list[spans.Difference]]:
    """Level-one code -> its disagreements between coders A and B."""
    return {code: spans.differences(a, b) for code, (a, b) in _per_code(rows, a_id, b_id).items()}


def _decisions(session: Session, tid: int) -> dict[tuple[int, int, int], ReconciliationRow]:
    rows = session.scalars(select(ReconciliationRow).where(ReconciliationRow.transcript_id == tid))
    return {(r.code_id, r.start_offset, r.end_offset): r for r in rows}


def _as_decision(row: ReconciliationRow) -> Decision:
    made = tuple(int(c[0]) for c in _entries(row) if c[4])
    return Decision(row.id, row.decision, row.decided_by, cb.utc(row.decided_at), made)


def _entries(row: ReconciliationRow) -> list[list[int]]:
    """The agreed codings a decision relies on: [coding id, code, start, end, made], where
    ``made`` is 1 if this decision wrote the coding (its undo removes it), 0 if the coding was
    already there (written by another decision, or by the team before)."""
    return [[*e[:4], e[4] if len(e) > 4 else 1] for e in json.loads(row.coding_ids)]


def _agreed_code(session: Session, index: cb.CodeIndex, code_id: int) -> int | None:
    """The level-two code formed from a level-one code: the first by path when there are several,
    or the level-two code of the same path."""
    formed = [
        c
        for c in session.scalars(
            select(CodeOriginRow.code_id).where(CodeOriginRow.origin_id == code_id)
        )
        if c in index.paths  # one made after the index was read (by a simultaneous decision)
    ]
    if formed:
        return min(formed, key=lambda c: index.paths[c])
    return index.find(index.paths[code_id], Level.TWO)


def _check_open(session: Session, transcript: TranscriptRow) -> None:
    study = session.get(StudyRow, 1)
    if study is not None and study.blind_coding and transcript.revealed_at is None:
        raise AccessDenied(
            "this transcript is still being coded blind; a lead reveals it before reconciliation"
        )


def _pair(
    session: Session,
    rows: list[tuple[int, int, int, int, int]],
    coders: tuple[str, str] | None,
    label: str,
) -> tuple[int, int]:
    if coders is not None:
        a_id, b_id = cb.member_id(session, coders[0]), cb.member_id(session, coders[1])
        if a_id == b_id:
            raise ThematicaError("name two different coders")
        return a_id, b_id
    names = _names(session)
    ranked = _coders_by_volume(rows, names)
    if len(ranked) < 2:
        who = f"only {ranked[0]} has" if ranked else "nobody has"
        raise ThematicaError(
            f"reconciliation needs two coders' level-one codings in {label}; {who} coded it"
        )
    ids = {v: k for k, v in names.items()}
    first, second = sorted(ranked[:2])
    return ids[first], ids[second]


def reconciliation(
    session: Session, tid: int, coders: tuple[str, str] | None = None
) -> Reconciliation:
    """The disagreements of two coders in one transcript (by default the two who coded it most),
    with decisions made so far and the transcript's agreement figures."""
    transcript = session.get(TranscriptRow, tid)
    assert transcript is not None
    _check_open(session, transcript)
    label = _label(session, transcript)
    rows = _level_one(session, tid)
    a_id, b_id = _pair(session, rows, coders, label or transcript.source_name)
    names = _names(session)
    # the disagreements, the identical passages and the figures: one load through the agreement
    # kernel, as on the analysis pages
    compared = compare_in_transcript(session, tid, a_id, b_id)
    index = compared.data.index
    decided = _decisions(session, tid)
    items = []
    for code_id, found in compared.codes.items():
        agreed = _agreed_code(session, index, code_id)
        for _tid, d in found.differences:
            row = decided.get((code_id, d.start, d.end))
            items.append(
                Item(
                    index.paths[code_id],
                    d.kind,
                    d.start,
                    d.end,
                    transcript.text[d.start : d.end],
                    d.a,
                    d.b,
                    index.paths[agreed] if agreed is not None else None,
                    _as_decision(row) if row is not None else None,
                )
            )
    items.sort(key=lambda i: (i.start, i.end, i.code))
    figures = compared.report.codes
    pooled = character_agreement(
        sum(f.characters.total for f in figures),
        sum(f.characters.both for f in figures),
        sum(f.characters.a_only for f in figures),
        sum(f.characters.b_only for f in figures),
    )
    identical = [
        (code_id, s, e)
        for code_id in compared.codes
        for s, e in sorted(
            set(compared.data.merged(code_id, tid, a_id))
            & set(compared.data.merged(code_id, tid, b_id))
        )
    ]
    return Reconciliation(
        tid,
        label,
        names[a_id],
        names[b_id],
        tuple(items),
        tuple(CodeFigure(f.code, f.characters) for f in figures),
        pooled,
        tuple(
            Agreement(index.paths[c], s, e, (c, s, e) in decided)
            for c, s, e in sorted(identical, key=lambda x: (x[1], x[2], x[0]))
        ),
    )


def _reconciler(session: Session, by: str) -> None:
    actor = session.get(TeamMemberRow, cb.member_id(session, by))
    assert actor is not None
    if actor.role == MemberRole.READER.value:
        raise AccessDenied(f"{actor.name} is a reader and cannot reconcile")


def carry_agreements(
    session: Session, tid: int, by: str, coders: tuple[str, str] | None = None
) -> int:
    """Write every passage both coders coded identically into the agreed layer, each as an
    "accept both" decision (so each can be undone); returns how many were carried."""
    _reconciler(session, by)
    current = reconciliation(session, tid, coders)
    carried = 0
    for agreement in current.agreements:
        if not agreement.carried:
            _decide_span(
                session,
                tid,
                agreement.code,
                agreement.start,
                agreement.end,
                "both",
                by,
                [(agreement.start, agreement.end)],
                None,
            )
            carried += 1
    return carried


def undo_carried(session: Session, tid: int, by: str, coders: tuple[str, str] | None = None) -> int:
    """Undo every carried agreement of this transcript (for this pair of coders)."""
    _reconciler(session, by)
    current = reconciliation(session, tid, coders)
    carried = {(a.code, a.start, a.end) for a in current.agreements if a.carried}
    index = cb.CodeIndex.load(session)
    undone = 0
    for row in session.scalars(
        select(ReconciliationRow).where(ReconciliationRow.transcript_id == tid)
    ).all():
        if (index.paths[row.code_id], row.start_offset, row.end_offset) in carried:
            undo(session, row.id, by)
            undone += 1
    return undone


def _label(session: Session, transcript: TranscriptRow) -> str | None:
    if transcript.participant_id is None:
        return None
    participant = session.get(ParticipantRow, transcript.participant_id)
    return participant.label if participant is not None else None


def statuses(session: Session) -> tuple[Status, ...]:
    """Every transcript with its coders, whether it is revealed, and its disagreements between
    the two coders who coded it most, decided or not."""
    names = _names(session)
    by_transcript: dict[int, list[tuple[int, int, int, int, int]]] = defaultdict(list)
    for row in _level_one(session, None):
        by_transcript[row[0]].append(row)
    decided = Counter(session.scalars(select(ReconciliationRow.transcript_id)).all())
    out = []
    for t in session.scalars(select(TranscriptRow).order_by(TranscriptRow.id)):
        rows = by_transcript.get(t.id, [])
        coders = tuple(_coders_by_volume(rows, names))
        count = 0
        if len(coders) >= 2:
            ids = {v: k for k, v in names.items()}
            first, second = sorted(coders[:2])
            count = sum(len(d) for d in _differences(rows, ids[first], ids[second]).values())
        out.append(
            Status(
                t.id, _label(session, t), coders, t.revealed_at is not None, count, decided[t.id]
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Edit:
    """What an "edit" decision puts in the agreed layer: one span, and optionally another code."""

    start: int
    end: int
    code: CodePath | None = None  # a level-two code (created if missing); default: the agreed one


def decide(
    session: Session,
    tid: int,
    code: CodePath,
    start: int,
    end: int,
    decision: str,
    by: str,
    coders: tuple[str, str] | None = None,
    edit: Edit | None = None,
) -> Decision:
    """Decide one disagreement and write the agreed (level-two) codings it calls for."""
    if decision not in DECISIONS:
        raise ThematicaError(f"a decision is one of {', '.join(DECISIONS)}, not {decision!r}")
    _reconciler(session, by)
    if (decision == "edit") != (edit is not None):
        raise ThematicaError("an edit decision needs the agreed span (and only an edit has one)")
    current = reconciliation(session, tid, coders)
    item = next(
        (i for i in current.items if i.code == code and (i.start, i.end) == (start, end)), None
    )
    if item is None:
        raise ConflictError(
            f"there is no disagreement on {format_path(code)!r} at {start} to {end} any more: "
            "the codings have changed since you loaded the page; reload it"
        )
    if item.decision is not None:
        raise ConflictError(
            f"this disagreement was already decided ({item.decision.decision}) by "
            f"{item.decision.by}; undo that decision first"
        )
    if decision == "accept_a":
        chosen: list[Interval] = list(item.a)
    elif decision == "accept_b":
        chosen = list(item.b)
    elif decision == "both":
        chosen = spans.merge([*item.a, *item.b])
    elif decision == "edit":
        assert edit is not None
        cb.check_span(session, tid, edit.start, edit.end)
        if edit.end <= start or edit.start >= end:
            raise ThematicaError(
                f"the edited span {edit.start}-{edit.end} does not overlap the disagreement it "
                f"decides ({start}-{end}); give a span that covers the agreed words there"
            )
        chosen = [(edit.start, edit.end)]
    else:
        chosen = []
    return _decide_span(session, tid, code, start, end, decision, by, chosen, edit)


def _decide_span(
    session: Session,
    tid: int,
    code: CodePath,
    start: int,
    end: int,
    decision: str,
    by: str,
    chosen: list[Interval],
    edit: Edit | None,
) -> Decision:
    """Record a decision on the passage ``start``-``end`` of a level-one ``code`` and write the
    ``chosen`` spans to the agreed code (skipping any already there)."""
    _reconciler(session, by)
    actor = session.get(TeamMemberRow, cb.member_id(session, by))
    assert actor is not None
    index = cb.CodeIndex.load(session)
    level_one = index.get(code, Level.ONE)
    row = _claim(session, tid, level_one, start, end, decision, actor.name)
    index = cb.CodeIndex.load(session)  # again: the claim made this transaction the writer
    made: list[tuple[int, int, int, int, int]] = []  # see _entries
    if chosen:
        target = _target(session, index, level_one, edit.code if edit else None)
        existing = {
            (s, e): i
            for i, s, e in session.execute(
                select(CodingRow.id, CodingRow.start_offset, CodingRow.end_offset).where(
                    CodingRow.transcript_id == tid, CodingRow.code_id == target
                )
            ).all()
        }
        for s, e in chosen:
            if (s, e) in existing:  # relied on, not written: its undo must leave it
                made.append((existing[(s, e)], target, s, e, 0))
            else:
                made.append(
                    (cb.add_coding(session, tid, target, actor.id, s, e, None), target, s, e, 1)
                )
    row.coding_ids = json.dumps(made)
    session.flush()
    return _as_decision(row)


def _claim(
    session: Session, tid: int, code_id: int, start: int, end: int, decision: str, by: str
) -> ReconciliationRow:
    """Record the decision first: the unique key on the disagreement refuses a second one, even
    one sent at the same moment, before any agreed coding is written."""
    row = ReconciliationRow(
        transcript_id=tid,
        code_id=code_id,
        start_offset=start,
        end_offset=end,
        decision=decision,
        coding_ids="[]",
        decided_by=by,
        decided_at=_now(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the transaction is rolled back as this error leaves it
        raise ConflictError(
            "this disagreement was just decided by someone else; reload to see the decision"
        ) from None
    return row


def _target(session: Session, index: cb.CodeIndex, level_one: int, chosen: CodePath | None) -> int:
    """The level-two code a decision writes to, created (with its origin) when missing."""
    if chosen is None:
        found = _agreed_code(session, index, level_one)
        if found is not None:
            return found
        chosen = index.paths[level_one]
    if not chosen or any(not part or len(part) > 300 for part in chosen):
        raise ThematicaError("a code needs a name of 1 to 300 characters")
    target, _created = cb.ensure_code(session, index, chosen, Level.TWO)
    linked = session.get(CodeOriginRow, (target, level_one))
    if linked is None:
        session.add(CodeOriginRow(code_id=target, origin_id=level_one))
    return target


def undo(
    session: Session,
    decision_id: int,
    by: str,
    tid: int | None = None,
    expected: dt.datetime | None = None,
) -> Decision:
    """Undo a decision: remove the level-two codings it wrote (those still there, and not
    relied on by another decision, which then owns them) and the decision itself. Its maker
    or a lead may. With ``tid``, the decision must belong to that transcript; with ``expected``
    (its version, ``decided_at``), it must be the decision the caller saw."""
    row = session.get(ReconciliationRow, decision_id)
    if row is None or (tid is not None and row.transcript_id != tid):
        raise NotFoundError(f"no reconciliation decision {decision_id}")
    transcript = session.get(TranscriptRow, row.transcript_id)
    assert transcript is not None
    _check_open(session, transcript)
    actor = session.get(TeamMemberRow, cb.member_id(session, by))
    assert actor is not None
    if actor.role != MemberRole.LEAD.value and actor.name != row.decided_by:
        raise AccessDenied(f"only {row.decided_by} or a lead can undo this decision")
    decision = _as_decision(row)
    others = session.scalars(
        select(ReconciliationRow).where(
            ReconciliationRow.transcript_id == row.transcript_id,
            ReconciliationRow.id != row.id,
        )
    ).all()
    entries = _entries(row)
    versions.delete_if_current(
        session,
        row,
        {"decided_at": seen(row.decided_at, expected, f"reconciliation decision {decision_id}")},
        f"reconciliation decision {decision_id}",
    )
    for coding_id, code_id, start, end, wrote in entries:
        if not wrote:
            continue
        heir = next(
            (
                o
                for o in others
                if any(e[:4] == [coding_id, code_id, start, end] for e in _entries(o))
            ),
            None,
        )
        if heir is not None:  # another decision relies on this coding: it now owns it
            heir.coding_ids = json.dumps(
                [
                    [*e[:4], 1] if e[:4] == [coding_id, code_id, start, end] else e
                    for e in _entries(heir)
                ]
            )
            continue
        coding = session.get(CodingRow, coding_id)
        # the very coding it made (SQLite may reuse the id of a coding removed since)
        if coding is not None and (coding.code_id, coding.start_offset, coding.end_offset) == (
            code_id,
            start,
            end,
        ):
            session.delete(coding)
    session.flush()
    return decision


__all__ = [
    "DECISIONS",
    "Agreement",
    "CodeFigure",
    "Decision",
    "Edit",
    "Item",
    "Reconciliation",
    "Status",
    "carry_agreements",
    "decide",
    "reconciliation",
    "statuses",
    "undo",
    "undo_carried",
]
