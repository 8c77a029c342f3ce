"""Quick lookups for the workbench's hot path: one code by its path, one coding by its id.

:class:`~thematica.service.codebook.CodeIndex` loads every code, which is right for imports and
analysis but costs ~13 ms on a 600-code study, more than adding a coding may take in total.
These walk only the rows they need, with the same matching rules (case-insensitive by
``str.casefold``); anything ambiguous falls back to the full index so the answer is identical.
"""

from __future__ import annotations

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from thematica.domain import CodePath, Coding, Level
from thematica.service.codebook import make_coding
from thematica.storage.models import (
    CodeRow,
    CodingRow,
    ParticipantRow,
    TeamMemberRow,
    TranscriptRow,
)

_NAMED = select(CodeRow.id, CodeRow.name).where(CodeRow.level == bindparam("level", type_=Integer))
_TOP_LEVEL = _NAMED.where(CodeRow.parent_id.is_(None))  # the codes of a level at its top
_CHILDREN = _NAMED.where(CodeRow.parent_id == bindparam("parent", type_=Integer))
_ONE_CODING = (
    select(CodingRow, TeamMemberRow.name, TranscriptRow.text, ParticipantRow.label)
    .join(TeamMemberRow, TeamMemberRow.id == CodingRow.coder_id)
    .join(TranscriptRow, TranscriptRow.id == CodingRow.transcript_id)
    .outerjoin(ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id)
    .where(CodingRow.id == bindparam("coding", type_=Integer))
)
# built once: adding a coding runs them every time


def find_code(session: Session, path: CodePath, level: Level) -> int | None:
    """The code's id, or ``None`` when it is missing or siblings clash under case-folding: then
    the caller asks the full index, which creates, explains or decides."""
    parent: int | None = None
    for part in path:
        query = _TOP_LEVEL if parent is None else _CHILDREN
        given = {"level": int(level), "parent": parent}
        wanted = part.casefold()
        matches = [i for i, name in session.execute(query, given) if name.casefold() == wanted]
        if len(matches) != 1:
            return None
        parent = matches[0]
    return parent


def code_path(session: Session, code_id: int) -> tuple[CodePath, Level]:
    row = session.get(CodeRow, code_id)
    assert row is not None
    level, names, seen = Level(row.level), [row.name], {row.id}
    while row.parent_id is not None and row.parent_id not in seen:
        row = session.get(CodeRow, row.parent_id)
        assert row is not None
        names.append(row.name)
        seen.add(row.id)
    return tuple(reversed(names)), level


def one_coding(session: Session, coding_id: int) -> Coding | None:
    """One coding, built the way :func:`~thematica.service.codebook.list_codings` builds it."""
    found = session.execute(_ONE_CODING, {"coding": coding_id}).first()
    if found is None:
        return None
    row, coder, text, label = found
    path, level = code_path(session, row.code_id)
    return make_coding(row, coder=coder, code=path, level=level, text=text, participant=label)


__all__ = ["code_path", "find_code", "one_coding"]
