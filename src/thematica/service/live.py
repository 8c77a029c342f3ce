"""Live team work: a cheap fingerprint of what one member sees of one transcript, so that an open
page can ask "has anything I may see changed?" every second or so and refetch only when it has.

A transcript's fingerprint covers exactly what the transcript page shows and nothing more:

- the level-one codings of the transcript that the member may see (blind coding's one condition,
  :func:`thematica.service.codebook.hidden_codings`): their number, ids, codes, coders, spans and
  versions (``modified_at``), folded in SQL into a few integer aggregates and the latest version,
  so a poll is one indexed query over ``codings`` (``ix_codings_transcript_code``) and returns
  one row;
- whether the transcript is still blind for the member (the page's notice);
- the codebook (names, places, colours, the lineage log), but only while the study does not code
  blind: a code created by another coder as they code an unrevealed transcript would otherwise
  tell a blind coder when that coder was coding.

The codebook page has its own fingerprint (:func:`codebook_version`): the codings the member
may see, per code, in the transcripts they may read, the lineage log, and the codes unless the
study codes blind.

Nothing else enters them, so a blind coder's fingerprints do not move when the other coder adds,
changes or removes a hidden coding, and a member who may not read the transcript gets no
fingerprint at all (the same refusal as the page). A fingerprint is a hash: it says "changed",
never what or how much.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from thematica.domain import Level
from thematica.service import codebook as cb
from thematica.service.versions import fingerprint
from thematica.storage.models import CodeRow, CodingRow, LineageRow, StudyRow, TranscriptRow


def _big(column: Any) -> Any:
    """A column as a 64-bit integer, so that products of ids and offsets cannot overflow
    PostgreSQL's 32-bit ``integer`` before they are summed."""
    return cast(column, BigInteger)


def _codings(session: Session, transcript: int, member: int) -> tuple[Any, ...]:
    level_one = select(CodeRow.id).where(CodeRow.level == int(Level.ONE))
    revealed = select(TranscriptRow.revealed_at).where(TranscriptRow.id == transcript)
    query = select(
        func.count(CodingRow.id),
        func.sum(CodingRow.id),
        func.sum(CodingRow.code_id),
        func.sum(_big(CodingRow.id) * CodingRow.code_id),
        func.sum(_big(CodingRow.id) * CodingRow.coder_id),
        func.sum(_big(CodingRow.id) * CodingRow.start_offset),
        func.sum(CodingRow.end_offset),
        func.max(CodingRow.modified_at),
        revealed.scalar_subquery(),
    ).where(CodingRow.transcript_id == transcript, CodingRow.code_id.in_(level_one))
    hidden = cb.hidden_codings(session, member)
    if hidden is not None:
        query = query.where(~hidden)
    return tuple(session.execute(query).one())


def _codebook(session: Session) -> tuple[Any, ...]:
    """Every code's place, name and colour, and the lineage log, in one row."""
    lineage = select(func.max(LineageRow.id), func.count(LineageRow.undone_at)).subquery()
    return tuple(
        session.execute(
            select(
                func.count(CodeRow.id),
                func.sum(_big(CodeRow.id) * (func.coalesce(CodeRow.parent_id, 0) + 1)),
                func.sum(_big(CodeRow.id) * func.length(CodeRow.name)),
                func.sum(_big(CodeRow.id) * func.length(func.coalesce(CodeRow.colour, ""))),
                select(lineage.c[0]).scalar_subquery(),
                select(lineage.c[1]).scalar_subquery(),
            )
        ).one()
    )


def codebook_version(session: Session, member: str, readable: set[int] | None) -> str:
    """The fingerprint of what ``member`` sees on the codebook page: the codings they may see
    (both levels, blind coding's condition, and only in the transcripts they may read:
    ``readable``, None for all) counted per code, the lineage log (every rename, description,
    move, merge and split) and, while the study does not code blind, the codes themselves."""
    query = select(
        func.count(CodingRow.id),
        func.sum(CodingRow.id),
        func.sum(CodingRow.code_id),
        func.sum(_big(CodingRow.id) * CodingRow.code_id),
        func.max(CodingRow.modified_at),
    )
    hidden = cb.hidden_codings(session, cb.member_id(session, member))
    if hidden is not None:
        query = query.where(~hidden)
    if readable is not None:
        query = query.where(CodingRow.transcript_id.in_(sorted(readable)))
    parts: list[object] = [*session.execute(query).one()]
    lineage = session.execute(
        select(func.max(LineageRow.id), func.count(LineageRow.undone_at))
    ).one()
    parts.extend(lineage)
    if hidden is None:
        parts.extend(_codebook(session))
    return fingerprint(*parts)


def transcript_version(session: Session, transcript: int, member: str) -> str:
    """The fingerprint of what ``member`` sees of ``transcript`` on its page (the caller has
    checked that the member may read it)."""
    study = session.get(StudyRow, 1)
    blind_study = bool(study and study.blind_coding)
    *parts, revealed = _codings(session, transcript, cb.member_id(session, member))
    parts.append(blind_study and revealed is None)
    if not blind_study:
        parts.extend(_codebook(session))
    return fingerprint(*parts)
