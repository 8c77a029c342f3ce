"""Live team work: a cheap fingerprint of what one member sees of one transcript, so that an open
page can ask "has anything I may see changed?" twice a second and refetch only when it has.

A transcript's fingerprint covers exactly what the transcript page shows and nothing more:

- the level-one codings of the transcript that the member may see (blind coding's one condition,
  :func:`thematica.service.blind_rule.hidden_codings`): their number, ids, codes, coders, spans and
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

The theme framework page has one too (:func:`themes_version`): every node's name, description
and place, its codes and their stances, the interlinks, the paths of the codes it shows, and
what its single counts are computed from. Those counts are level-two figures (the agreed layer,
which blind coding never hides), so only level-two codings enter it; a level-one code enters
only while the study does not code blind, or once it is assigned to a theme (its chip shows
it). Theme nodes are few, so their rows are folded exactly rather than aggregated.

Nothing else enters them, so a blind coder's fingerprints do not move when the other coder adds,
changes or removes a hidden coding, and a member who may not read the transcript gets no
fingerprint at all (the same refusal as the page). A fingerprint is a hash: it says "changed",
never what or how much.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer, Select, bindparam, cast, func, select, true
from sqlalchemy.orm import Session

from thematica.domain import Level
from thematica.service import blind_rule
from thematica.service import codebook as cb
from thematica.service.versions import fingerprint
from thematica.storage.models import (
    CodeRow,
    CodingRow,
    CorrectionRow,
    LineageRow,
    NodeCodeRow,
    NodeLinkRow,
    StudyRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
)


def _big(column: Any) -> Any:
    """A column as a 64-bit integer, so that products of ids and offsets cannot overflow
    PostgreSQL's 32-bit ``integer`` before they are summed."""
    return cast(column, BigInteger)


def _codings_seen(blind: bool) -> Select[Any]:
    """The transcript's level-one codings as the member sees them, folded into one row:
    parameters ``transcript`` and (``blind``: the study codes blind) ``viewer``."""
    transcript = bindparam("transcript", type_=Integer)
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
    return query.where(~blind_rule.HIDDEN_FROM_VIEWER) if blind else query


def _codebook_rows() -> Select[Any]:
    lineage = select(func.max(LineageRow.id), func.count(LineageRow.undone_at)).subquery()
    return select(
        func.count(CodeRow.id),
        func.sum(_big(CodeRow.id) * (func.coalesce(CodeRow.parent_id, 0) + 1)),
        func.sum(_big(CodeRow.id) * func.length(CodeRow.name)),
        func.sum(_big(CodeRow.id) * func.length(func.coalesce(CodeRow.colour, ""))),
        select(lineage.c[0]).scalar_subquery(),
        select(lineage.c[1]).scalar_subquery(),
    )


_CODEBOOK = _codebook_rows()


def _page_rows(blind: bool) -> Select[Any]:
    """Everything a transcript page's fingerprint is made of, in one row: the codings the
    member sees (:func:`_codings_seen`, 8 values and the transcript's ``revealed_at``), the
    transcript's latest correction and, unless the study codes blind, the codebook's values."""
    latest_correction = (
        select(func.max(CorrectionRow.id))
        .where(CorrectionRow.transcript_id == bindparam("transcript", type_=Integer))
        .scalar_subquery()
    )
    seen = _codings_seen(blind).subquery()
    if blind:
        return select(*seen.c, latest_correction)
    codebook = _codebook_rows().subquery()
    both = seen.join(codebook, true())  # a row each: their cross join is one row
    return select(*seen.c, latest_correction, *codebook.c).select_from(both)


_PAGE = {blind: _page_rows(blind) for blind in (False, True)}  # built once: polled twice a second


def _codebook(session: Session) -> tuple[Any, ...]:
    """Every code's place, name and colour, and the lineage log, in one row."""
    return tuple(session.execute(_CODEBOOK).one())


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
    hidden = blind_rule.hidden_codings(session, cb.member_id(session, member))
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
    blind_study = blind_rule.codes_blind(session)
    given = {"transcript": transcript, "viewer": cb.member_id(session, member)}
    row = tuple(session.execute(_PAGE[blind_study], given).one())
    *parts, revealed = row[:9]
    parts.append(blind_study and revealed is None)
    # its text and turns change only by a correction (issue 16) or anonymisation
    parts.append(row[9])
    parts.extend(row[10:])  # the codebook's values, unless the study codes blind
    return fingerprint(*parts)


def _code_paths(session: Session, wanted: set[int] | None, level_two: bool) -> list[object]:
    """(id, level, path) of the codes the framework page names: those in ``wanted`` (None:
    every code) and, with ``level_two``, every level-two code."""
    rows = {
        i: (parent, name, level)
        for i, parent, name, level in session.execute(
            select(CodeRow.id, CodeRow.parent_id, CodeRow.name, CodeRow.level)
        ).all()
    }

    def path(code: int) -> tuple[str, ...]:
        names: list[str] = []
        current: int | None = code
        while current is not None and current in rows and len(names) <= len(rows):
            parent, name, _level = rows[current]
            names.append(name)
            current = parent
        return tuple(reversed(names))

    return [
        (i, level, path(i))
        for i, (_parent, _name, level) in sorted(rows.items())
        if wanted is None or i in wanted or (level_two and level == int(Level.TWO))
    ]


def themes_version(session: Session, member: str) -> str:
    """The fingerprint of what ``member`` sees on the theme framework page: the nodes (name,
    description, parent, position: what a node's version covers), their codes and stances,
    the interlinks, the codes the page names, what its level-two counts are computed from,
    and whether the member may edit. While the study codes blind, a level-one code enters only
    once it is on a theme: codes made while coding would tell a blind coder when the other
    coder codes (as for the codebook); level-one codings never enter."""
    role = session.scalar(
        select(TeamMemberRow.role).where(TeamMemberRow.id == cb.member_id(session, member))
    )
    study = session.get(StudyRow, 1)
    blind_study = bool(study and study.blind_coding)
    nodes = session.execute(
        select(
            ThemeNodeRow.id,
            ThemeNodeRow.parent_id,
            ThemeNodeRow.position,
            ThemeNodeRow.name,
            ThemeNodeRow.description,
        ).order_by(ThemeNodeRow.id)
    ).all()
    assigned = session.execute(
        select(NodeCodeRow.node_id, NodeCodeRow.code_id, NodeCodeRow.stance).order_by(
            NodeCodeRow.node_id, NodeCodeRow.code_id
        )
    ).all()
    links = session.execute(
        select(
            NodeLinkRow.id, NodeLinkRow.from_node_id, NodeLinkRow.to_node_id, NodeLinkRow.label
        ).order_by(NodeLinkRow.id)
    ).all()
    codes = _code_paths(session, {c for _n, c, _s in assigned} if blind_study else None, True)
    level_two = select(CodeRow.id).where(CodeRow.level == int(Level.TWO))
    counted = session.execute(  # the single counts: level-two codings per participant
        select(
            func.count(CodingRow.id),
            func.sum(CodingRow.id),
            func.sum(_big(CodingRow.id) * CodingRow.code_id),
            func.sum(_big(CodingRow.id) * CodingRow.transcript_id),
        ).where(CodingRow.code_id.in_(level_two))
    ).one()
    interviewed = session.execute(
        select(
            func.count(TranscriptRow.id),
            func.sum(_big(TranscriptRow.id) * (func.coalesce(TranscriptRow.participant_id, 0) + 1)),
        )
    ).one()
    return fingerprint(
        role,
        [tuple(r) for r in nodes],
        [tuple(r) for r in assigned],
        [tuple(r) for r in links],
        codes,
        tuple(counted),
        tuple(interviewed),
    )
