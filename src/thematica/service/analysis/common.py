"""What several analyses share: coders by name, the participants interviewed, their groups, the
theme framework's codes at a level, and the order of theme nodes."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis import counting
from thematica.domain import Stance
from thematica.errors import NotFoundError
from thematica.service import register as reg
from thematica.service import values
from thematica.service.codebook import CodeIndex, NodeIndex, member_id
from thematica.storage.models import (
    AttributeDefRow,
    CodeOriginRow,
    CodeRow,
    CodingRow,
    NodeCodeRow,
    ParticipantRow,
    ParticipantValueRow,
    TeamMemberRow,
    TranscriptRow,
)

MISSING = "(missing)"
IntArray = npt.NDArray[np.int64]


def coder_ids(session: Session, coders: Sequence[str]) -> list[int]:
    return [member_id(session, c) for c in coders]


def coder_names(session: Session, ids: Sequence[int]) -> tuple[str, ...]:
    names = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    return tuple(names[i] for i in ids)


def node_assignments(
    session: Session, stance: Stance, level_codes: Collection[int], index: CodeIndex
) -> list[tuple[int, int]]:
    """(node, code) pairs for codes of the counted level. Theme nodes usually hold agreed
    (level-two) codes; counting level one, each such code brings the level-one codes that it and
    every code beneath it were formed from (``code_origins``), so themes count the coders' own
    codings too. A code of the counted level brings its sub-codes when counted (roll-up)."""
    pairs = session.execute(
        select(NodeCodeRow.node_id, NodeCodeRow.code_id).where(NodeCodeRow.stance == stance.value)
    ).all()
    origins: dict[int, list[int]] = defaultdict(list)
    for code_id, origin_id in session.execute(
        select(CodeOriginRow.code_id, CodeOriginRow.origin_id)
    ).all():
        origins[code_id].append(origin_id)
    tree = counting.Tree({i: r.parent_id for i, r in index.rows.items()})
    beneath = counting.roll_up(tree, {c: frozenset([c]) for c in tree.parent})
    out = []
    for node, code in pairs:
        if code in level_codes:
            out.append((node, code))
        for under in sorted(beneath.get(code, frozenset([code]))):
            out.extend((node, origin) for origin in origins.get(under, ()) if origin in level_codes)
    return out


def participant_code_pairs(
    session: Session, level: int, coder_ids: Sequence[int]
) -> list[tuple[int, int, int]]:
    """(participant id, code id, number of codings) for the level and coders, in no set order
    (:func:`participant_code_arrays`, as tuples)."""
    people, codes, sums = participant_code_arrays(session, level, coder_ids)
    return list(zip(people.tolist(), codes.tolist(), sums.tolist(), strict=True))


def participant_code_arrays(
    session: Session, level: int, coder_ids: Sequence[int]
) -> tuple[IntArray, IntArray, IntArray]:
    """Participant ids, code ids and numbers of codings, one element per (participant, code)
    pair for the level and coders, in no set order.

    The codings are grouped by code and transcript in the database, along the (code,
    transcript, coder) index so only the level's codings are read, and the transcripts are
    mapped to their participants here in arrays: joining every coding to its transcript costs
    more than the counting itself (issue 15)."""
    participant_of = dict(
        session.execute(
            select(TranscriptRow.id, TranscriptRow.participant_id).where(
                TranscriptRow.participant_id.is_not(None)
            )
        ).all()
    )
    query = (
        select(CodingRow.code_id, CodingRow.transcript_id, func.count())
        .where(CodingRow.code_id.in_(select(CodeRow.id).where(CodeRow.level == level)))
        .group_by(CodingRow.code_id, CodingRow.transcript_id)  # along ix_codings_code_transcript
    )
    if coder_ids:
        query = query.where(CodingRow.coder_id.in_(coder_ids))
    flat = itertools.chain.from_iterable(session.connection().execute(query))  # Core rows
    rows = np.fromiter(flat, dtype=np.int64).reshape(-1, 3)
    if not len(rows) or not participant_of:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    # transcript -> participant through an array (-1: no participant), then one sum per pair
    lookup = np.full(max(max(participant_of), int(rows[:, 1].max())) + 1, -1, dtype=np.int64)
    lookup[np.fromiter(participant_of, dtype=np.int64)] = np.fromiter(
        participant_of.values(), dtype=np.int64
    )
    people = lookup[rows[:, 1]]
    kept = people >= 0
    span = int(rows[:, 0].max()) + 1  # one integer per (participant, code) pair
    pairs, at = np.unique(people[kept] * span + rows[kept, 0], return_inverse=True)
    sums = np.bincount(at, weights=rows[kept, 2], minlength=len(pairs)).astype(np.int64)
    return pairs // span, pairs % span, sums


def interviewed(session: Session) -> dict[int, str]:
    """Participant id -> label, for participants with at least one transcript, in order."""
    rows = session.execute(
        select(ParticipantRow.id, ParticipantRow.label)
        .where(
            ParticipantRow.id.in_(
                select(TranscriptRow.participant_id).where(
                    TranscriptRow.participant_id.is_not(None)
                )
            )
        )
        .order_by(ParticipantRow.position)
    ).all()
    return dict(rows)


def groups(session: Session, attribute: str | None, people: dict[int, str]) -> dict[int, str]:
    """Participant id -> their value of ``attribute`` (``group`` or an attribute), as text.
    Reads that one column or attribute, not the whole register."""
    if attribute is None:
        return {}
    if attribute.casefold() == "group":
        group_of = dict(session.execute(select(ParticipantRow.id, ParticipantRow.group_name)).all())
        return {pid: group_of[pid] for pid in people}
    defs = reg.attribute_defs(session)
    names = {d.name.casefold(): d for d in defs}
    if attribute.casefold() not in names:
        raise NotFoundError(
            f"no participant attribute {attribute!r} (attributes: group, {', '.join(d.name for d in names.values())})"
        )
    chosen = names[attribute.casefold()]
    stored = dict(
        session.execute(
            select(ParticipantValueRow.participant_id, ParticipantValueRow.value)
            .join(AttributeDefRow, AttributeDefRow.id == ParticipantValueRow.attribute_id)
            .where(AttributeDefRow.name == chosen.name)
        ).all()
    )
    out = {}
    for pid in people:
        raw = stored.get(pid)
        value = None if raw is None else values.decode(raw, chosen.type)
        out[pid] = (
            MISSING
            if value is None
            else ("yes" if value is True else "no" if value is False else str(value))
        )
    return out


def position_key(nodes: NodeIndex, node_id: int) -> tuple[int, ...]:
    """A theme node's place in the framework, for sorting: its and its ancestors' positions."""
    chain: list[int] = []
    current: int | None = node_id
    while current is not None:
        chain.append(nodes.rows[current].position)
        current = nodes.rows[current].parent_id
    return tuple(reversed(chain))
