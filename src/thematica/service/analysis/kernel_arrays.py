"""The agreement kernel's load (:func:`thematica.service.analysis.kernel.load`) as arrays.

The study-wide two-coder report compares every code in every transcript. Loading 200,000
codings into nested dictionaries of merged span lists, then walking them code by code, cost
seconds; here the codings and the speaker turns arrive as integer arrays (one row per coding,
read through the database driver's own cursor, without a Python object per row from the ORM),
and :mod:`thematica.service.analysis.compare_arrays` computes every figure over them at once.
Same scope rules, same transcripts, same codes as :func:`~thematica.service.analysis.kernel.load`
(``tests/service/test_agreement_arrays.py`` checks both loads agree).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ClauseElement, select
from sqlalchemy.orm import Session

from thematica.analysis.source_units import SourceUnits
from thematica.domain import CodePath, Level
from thematica.errors import ThematicaError
from thematica.service import transcripts as tx
from thematica.service.analysis.kernel import SCOPES, transcript_facts
from thematica.service.codebook import CodeIndex
from thematica.storage.models import CodeRow, CodingRow, TeamMemberRow, TurnRow

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CodingArrays:
    """The codings in scope as columns, with what the figures are computed over."""

    index: CodeIndex
    coders: tuple[int, ...]
    names: tuple[str, ...]
    transcripts: tuple[int, ...]  # in scope, in id order
    transcript: Ints  # per coding: its transcript id
    code: Ints
    coder: Ints
    start: Ints
    end: Ints
    lengths: Mapping[int, int]  # transcript -> code points
    turn_starts: Ints  # every in-scope transcript's turns, by transcript (id order), then start
    turn_ends: Ints
    first_turn: Ints  # transcript k's turns: first_turn[k] .. first_turn[k + 1] - 1
    unit_of: Mapping[int, int | str]  # transcript -> its participant (or itself, unlinked)
    labels: Mapping[int, str]
    source_units: Mapping[int, SourceUnits] = field(default_factory=dict)

    def codes(self) -> list[int]:
        """The codes compared (any coding in scope), in path order, as the kernel lists them."""
        return sorted({int(c) for c in np.unique(self.code)}, key=lambda c: self.index.paths[c])

    def participants(self) -> int:
        return len(set(self.unit_of.values()))


def fetch(session: Session, statement: ClauseElement) -> list[tuple[Any, ...]]:
    """All rows of ``statement`` as plain tuples from the driver's cursor (no ORM rows). Its
    values are inlined as literals, so only use it for statements over numbers."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _columns(rows: list[tuple[Any, ...]], width: int) -> Ints:
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def turn_columns(session: Session, transcript_ids: Sequence[int]) -> Ints:
    """The turns of these transcripts as rows ``(transcript, start, end)``, sorted by transcript,
    then start. Sorted here rather than by the database: ordering by start is not what its
    index of turns is ordered by, and a sort of the table's rows costs more than this one."""
    turns = _columns(
        fetch(
            session,
            select(TurnRow.transcript_id, TurnRow.start_offset, TurnRow.end_offset).where(
                TurnRow.transcript_id.in_(list(transcript_ids))
            ),
        ),
        3,
    )
    return turns[np.lexsort((turns[:, 1], turns[:, 0]))]


def load(
    session: Session,
    coder_ids: Sequence[int],
    level: Level,
    code: CodePath | None = None,
    scope: str = "either",
    source_units: bool = False,
) -> CodingArrays:
    """The study-wide :func:`thematica.service.analysis.kernel.load` (no ``transcript``)."""
    if scope not in SCOPES:
        raise ThematicaError(f"scope must be one of {', '.join(SCOPES)}")
    index = CodeIndex.load(session)
    if code is None:
        compared = [i for i, r in index.rows.items() if r.level == int(level)]
    else:
        root = index.get(code, level)
        compared = [root, *index.descendants(root)]
    ids = [int(i) for i in coder_ids]
    rows = _columns(
        fetch(
            session,
            select(
                CodingRow.transcript_id,
                CodingRow.code_id,
                CodingRow.coder_id,
                CodingRow.start_offset,
                CodingRow.end_offset,
            )
            .join(CodeRow, CodeRow.id == CodingRow.code_id)
            .where(CodeRow.level == int(level), CodingRow.coder_id.in_(ids)),
        ),
        5,
    )
    who = np.unique(rows[:, 0] * (max(ids) + 1) + rows[:, 2]) if rows.size else rows[:, 0]
    coded_tids, coders_there = np.unique(who // (max(ids) + 1), return_counts=True)
    in_scope = sorted(
        int(t) for t, n in zip(coded_tids, coders_there, strict=True) if scope == "either" or n >= 2
    )
    keep = np.isin(rows[:, 0], in_scope) & np.isin(rows[:, 1], compared)
    rows = rows[keep]
    lengths, participant_of, units = transcript_facts(session, in_scope, source_units=source_units)
    transcripts = tuple(t for t in in_scope if t in lengths)
    turns = turn_columns(session, in_scope)
    turns = turns[np.isin(turns[:, 0], transcripts)]
    first_turn = np.searchsorted(turns[:, 0], np.array([*transcripts, np.iinfo(np.int64).max]))
    team = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    rows = rows[np.isin(rows[:, 0], transcripts)]
    return CodingArrays(
        index=index,
        coders=tuple(ids),
        names=tuple(team[i] for i in ids),
        transcripts=transcripts,
        transcript=rows[:, 0],
        code=rows[:, 1],
        coder=rows[:, 2],
        start=rows[:, 3],
        end=rows[:, 4],
        lengths=lengths,
        turn_starts=turns[:, 1].copy(),
        turn_ends=turns[:, 2].copy(),
        first_turn=first_turn.astype(np.int64),
        unit_of={t: p if p is not None else f"transcript {t}" for t, p in participant_of.items()},
        labels=tx.participant_labels(session, in_scope),
        source_units=units,
    )
