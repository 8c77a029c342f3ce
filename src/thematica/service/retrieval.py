"""Retrieval: the words around a quote (its turn and the turns beside it), the codings behind a
cell of the matrix or of the counts, and the turns behind a co-occurrence cell.

Each function takes a session and returns plain data; who may see what is decided by the caller
(``service/acting_retrieval.py``): contexts are asked for only in transcripts the member may
read, and no turn carries its speaker's name (the workbench names speakers by role and label)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import Level, SpeakerRole
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.analysis.common import groups, interviewed
from thematica.service.analysis.matrix import row_codes
from thematica.storage.models import CodeRow, CodingRow, TranscriptRow, TurnRow

MAX_AROUND = 5  # turns before and after a quote, at most


@dataclass(frozen=True)
class ContextTurn:
    """One speaker turn: its place, who speaks (by role, never by name) and its words."""

    position: int
    role: SpeakerRole
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class QuoteContext:
    """A span's surroundings in its transcript: the turns it touches and up to ``around`` turns
    before and after them."""

    transcript_id: int
    start: int
    end: int
    turns: tuple[ContextTurn, ...]
    before: tuple[ContextTurn, ...]
    after: tuple[ContextTurn, ...]


def _turns(session: Session, tids: Collection[int]) -> dict[int, list[tuple[int, str, int, int]]]:
    found: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
    for tid, position, role, start, end in session.execute(
        select(
            TurnRow.transcript_id,
            TurnRow.position,
            TurnRow.role,
            TurnRow.start_offset,
            TurnRow.end_offset,
        )
        .where(TurnRow.transcript_id.in_(sorted(tids)))
        .order_by(TurnRow.transcript_id, TurnRow.start_offset)
    ):
        found[tid].append((position, role, start, end))
    return found


def contexts(
    session: Session, spans: Sequence[tuple[int, int, int]], around: int = 1
) -> list[QuoteContext | None]:
    """For each (transcript id, start, end), its context; None for a span outside every turn."""
    around = max(0, min(around, MAX_AROUND))
    tids = {tid for tid, _s, _e in spans}
    if not tids:
        return []
    texts = dict(
        session.execute(
            select(TranscriptRow.id, TranscriptRow.text).where(TranscriptRow.id.in_(sorted(tids)))
        ).all()
    )
    turns = _turns(session, tids)
    out: list[QuoteContext | None] = []
    for tid, start, end in spans:
        rows = turns.get(tid, [])
        starts = [r[2] for r in rows]
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        touched = []
        i = first
        while i < len(rows) and rows[i][2] < max(end, start + 1):
            if rows[i][3] > start:
                touched.append(i)
            i += 1
        if not touched:
            out.append(None)
            continue
        text = texts[tid]

        def turn(i: int) -> ContextTurn:
            position, role, s, e = rows[i]  # noqa: B023 - used at once
            return ContextTurn(position, SpeakerRole(role), s, e, text[s:e])  # noqa: B023

        lo, hi = touched[0], touched[-1]
        out.append(
            QuoteContext(
                tid,
                start,
                end,
                tuple(turn(i) for i in range(lo, hi + 1)),
                tuple(turn(i) for i in range(max(0, lo - around), lo)),
                tuple(turn(i) for i in range(hi + 1, min(len(rows), hi + 1 + around))),
            )
        )
    return out


# -- the codings behind an analysis cell ------------------------------------------------------


def cell_codings(
    session: Session,
    level: Level,
    kind: str,
    row_id: int,
    attribute: str | None = None,
    value: str | None = None,
) -> list[int]:
    """The ids of the codings a matrix or counts cell counts: codings at ``level`` of the codes
    of row ``row_id`` (a theme node, ``kind`` "theme", or a code, "code", with everything the
    analyses roll up into it), in the transcripts of interviewed participants whose
    ``attribute`` is ``value`` (every interviewed participant when ``attribute`` is None)."""
    rows = row_codes(session, level, themes=kind == "theme")
    code_set = next((codes for k, i, _p, codes in rows if k == kind and i == row_id), None)
    if code_set is None:
        what = "theme node" if kind == "theme" else f"level-{int(level)} code"
        raise NotFoundError(f"no {what} {row_id}")
    people = interviewed(session)
    if attribute is not None:
        group_of = groups(session, attribute, people)
        wanted = {p for p, v in group_of.items() if v == value}
    else:
        wanted = set(people)
    if not code_set or not wanted:
        return []
    return list(
        session.scalars(
            select(CodingRow.id)
            .join(TranscriptRow, TranscriptRow.id == CodingRow.transcript_id)
            .where(
                CodingRow.code_id.in_(sorted(code_set)),
                TranscriptRow.participant_id.in_(sorted(wanted)),
            )
            .order_by(CodingRow.id)
        )
    )


@dataclass(frozen=True)
class SharedTurn:
    """A turn that codings of two codes both touch, and those codings' ids."""

    transcript_id: int
    start: int
    end: int
    codings_a: tuple[int, ...]
    codings_b: tuple[int, ...]


def shared_turns(session: Session, level: Level, code_a: int, code_b: int) -> list[SharedTurn]:
    """The turns the co-occurrence analysis counts for codes ``code_a`` and ``code_b`` (a turn
    counts when a coding of each touches it), in transcript order."""
    if code_a == code_b:
        raise ThematicaError("co-occurrence is of two different codes")
    for code in (code_a, code_b):
        row = session.get(CodeRow, code)
        if row is None or row.level != int(level):
            raise NotFoundError(f"no level-{int(level)} code {code}")
    rows = session.execute(
        select(
            CodingRow.id,
            CodingRow.transcript_id,
            CodingRow.code_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
        )
        .where(CodingRow.code_id.in_((code_a, code_b)))
        .order_by(CodingRow.transcript_id, CodingRow.start_offset, CodingRow.id)
    ).all()
    turns = _turns(session, {r[1] for r in rows})
    touched: dict[tuple[int, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for cid, tid, code, start, end in rows:
        bounds = turns.get(tid, [])
        starts = [b[2] for b in bounds]
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i < len(bounds) and bounds[i][2] < end:  # as the co-occurrence analysis counts
            if bounds[i][3] > start:
                touched[(tid, i)][0 if code == code_a else 1].append(cid)
            i += 1
    out = []
    for (tid, i), (a, b) in sorted(touched.items()):
        if a and b:
            _pos, _role, s, e = turns[tid][i]
            out.append(SharedTurn(tid, s, e, tuple(a), tuple(b)))
    return out
