"""The agreement kernel: one load, then one computation, for every agreement figure.

:func:`load` reads what any agreement needs in one pass: the coders' codings at a level (in the
study, or in one transcript), which transcripts are in scope, each compared code's merged spans
per transcript and coder, the transcripts' lengths (code points), their speaker turns and the
participant each belongs to. :func:`compare` then gives two coders' figures for one code: the
character table per transcript (NVivo's method, under either convention), the participants and
turns where each coder found the code, and where they differ. The study report
(:mod:`~thematica.service.analysis.agreement`), the one-transcript figures of the analysis and
reconciliation pages (:mod:`thematica.service.transcript_agreement`) and Krippendorff's alpha
among many coders (:mod:`thematica.service.agreement_many`) are all built from these two, so
they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis import spans
from thematica.analysis.coefficients import CharacterAgreement, Convention, character_agreement
from thematica.analysis.coefficients import from_table as coefficients_from_table
from thematica.analysis.reports import PresenceAgreement
from thematica.analysis.source_units import SourceUnits, intersection
from thematica.domain import CodePath, Level
from thematica.errors import ThematicaError
from thematica.service import transcripts as tx
from thematica.service.codebook import CodeIndex
from thematica.storage.models import CodeRow, CodingRow, TeamMemberRow, TranscriptRow, TurnRow

Interval = tuple[int, int]
SCOPES = ("either", "both")
NOTHING: list[Interval] = []


@dataclass(frozen=True)
class CodingsInScope:
    """What every agreement computation starts from (see :func:`load`)."""

    index: CodeIndex
    level: Level
    coders: tuple[int, ...]
    names: tuple[str, ...]
    transcripts: tuple[int, ...]  # in scope, in id order
    coded: Mapping[int, frozenset[int]]  # transcript -> which of the coders coded it (any code)
    spans: Mapping[int, Mapping[int, Mapping[int, list[Interval]]]]  # code -> transcript -> coder
    lengths: Mapping[int, int]  # transcript -> code points
    turns: Mapping[int, tuple[list[int], list[int]]]  # transcript -> turn starts, ends
    unit_of: Mapping[int, int | str]  # transcript -> its participant (or itself, unlinked)
    labels: Mapping[int, str]  # transcript -> participant label
    # transcript -> its source's units per character (REFI-QDA imports; with source_units=True)
    source_units: Mapping[int, SourceUnits] = field(default_factory=dict)

    def codes(self) -> list[int]:
        """The codes compared: those any of the coders applied in scope, in path order."""
        return sorted(self.spans, key=lambda c: self.index.paths[c])

    def merged(self, code: int, transcript: int, coder: int) -> list[Interval]:
        return self.spans[code].get(transcript, {}).get(coder, NOTHING)

    def participants(self) -> int:
        return len(set(self.unit_of.values()))

    def turn_count(self) -> int:
        return sum(len(self.turns[t][0]) for t in self.transcripts)


def load(
    session: Session,
    coder_ids: Sequence[int],
    level: Level,
    code: CodePath | None = None,
    scope: str = "either",
    transcript: int | None = None,
    source_units: bool = False,
) -> CodingsInScope:
    """The coders' codings at ``level`` (of ``code`` and its sub-codes, or of every code).

    In scope: with ``transcript``, that transcript alone; otherwise under ``scope="either"`` every
    transcript any of the coders coded (a coder who left it uncoded finds nothing there), under
    ``"both"`` those two or more of them coded (with two coders, those both coded). Only codings
    in scope are kept, so a code used only outside the scope is not compared at all. With
    ``source_units``, also what each transcript's characters weighed in its REFI-QDA source.
    """
    if scope not in SCOPES:
        raise ThematicaError(f"scope must be one of {', '.join(SCOPES)}")
    index = CodeIndex.load(session)
    if code is None:
        compared = {i for i, r in index.rows.items() if r.level == int(level)}
    else:
        root = index.get(code, level)
        compared = {root} | index.descendants(root)
    query = (
        select(
            CodingRow.transcript_id,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level), CodingRow.coder_id.in_(list(coder_ids)))
    )
    if transcript is not None:
        query = query.where(CodingRow.transcript_id == transcript)
    rows = session.execute(query).all()
    coded: dict[int, set[int]] = defaultdict(set)
    for tid, _c, coder, _s, _e in rows:
        coded[tid].add(coder)
    if transcript is not None:
        in_scope = [transcript]
    else:
        in_scope = sorted(t for t, who in coded.items() if scope == "either" or len(who) >= 2)
    scope_set = set(in_scope)
    raw: dict[int, dict[int, dict[int, list[Interval]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for tid, code_id, coder, start, end in rows:
        if tid in scope_set and code_id in compared:
            raw[code_id][tid][coder].append((start, end))
    merged = {
        c: {t: {k: spans.merge(s) for k, s in by_coder.items()} for t, by_coder in by_t.items()}
        for c, by_t in raw.items()
    }
    lengths, participant_of, units = transcript_facts(session, in_scope, source_units=source_units)
    turns: dict[int, tuple[list[int], list[int]]] = {t: ([], []) for t in in_scope}
    for tid, start, end in session.execute(
        select(TurnRow.transcript_id, TurnRow.start_offset, TurnRow.end_offset)
        .where(TurnRow.transcript_id.in_(in_scope))
        .order_by(TurnRow.transcript_id, TurnRow.start_offset)
    ):
        turns[tid][0].append(start)
        turns[tid][1].append(end)
    team = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    return CodingsInScope(
        index=index,
        level=level,
        coders=tuple(coder_ids),
        names=tuple(team[i] for i in coder_ids),
        transcripts=tuple(t for t in in_scope if t in lengths),
        coded={t: frozenset(who) for t, who in coded.items()},
        spans=merged,
        lengths=lengths,
        turns=turns,
        unit_of={t: p if p is not None else f"transcript {t}" for t, p in participant_of.items()},
        labels=tx.participant_labels(session, in_scope),
        source_units=units,
    )


# -- two coders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeComparison:
    """Two coders' figures for one code over the transcripts in scope."""

    code: int
    characters: tuple[tuple[int, CharacterAgreement], ...]  # (transcript, its 2x2 table)
    participants_a: frozenset[int | str]
    participants_b: frozenset[int | str]
    turns_a: frozenset[tuple[int, int]]  # (transcript, turn index)
    turns_b: frozenset[tuple[int, int]]
    differences: tuple[tuple[int, spans.Difference], ...]  # (transcript, where they differ)


def compare(
    data: CodingsInScope, code: int, a: int, b: int, convention: Convention = "applied"
) -> CodeComparison:
    """Coders ``a`` and ``b`` on ``code``. Character tables cover, under the ``applied``
    convention, the transcripts where either applied the code; under ``nvivo``, every transcript
    in scope (kappa 1 where neither applied it, as NVivo reports), and a transcript imported from
    REFI-QDA counts its characters in its source's units where ``data`` has them (so the totals
    are the source tool's)."""
    used = data.spans[code]
    sources = (
        data.transcripts
        if convention == "nvivo"
        else [t for t in data.transcripts if a in used.get(t, {}) or b in used.get(t, {})]
    )
    characters = []
    part_a: set[int | str] = set()
    part_b: set[int | str] = set()
    turn_a: set[tuple[int, int]] = set()
    turn_b: set[tuple[int, int]] = set()
    differences: list[tuple[int, spans.Difference]] = []
    for tid in sources:
        ma, mb = data.merged(code, tid, a), data.merged(code, tid, b)
        weights = data.source_units.get(tid) if convention == "nvivo" else None
        if weights is None:
            total, both = data.lengths[tid], spans.intersection_length(ma, mb)
            in_a, in_b = spans.length(ma), spans.length(mb)
        else:
            total, both = weights.length, weights.total(intersection(ma, mb))
            in_a, in_b = weights.total(ma), weights.total(mb)
        characters.append(
            (tid, character_agreement(total, both, in_a - both, in_b - both, convention))
        )
        starts, ends = data.turns[tid]
        if ma:
            part_a.add(data.unit_of[tid])
            turn_a.update((tid, i) for i in spans.touched(ma, starts, ends))
        if mb:
            part_b.add(data.unit_of[tid])
            turn_b.update((tid, i) for i in spans.touched(mb, starts, ends))
        differences.extend((tid, d) for d in spans.differences(ma, mb))
    return CodeComparison(
        code,
        tuple(characters),
        frozenset(part_a),
        frozenset(part_b),
        frozenset(turn_a),
        frozenset(turn_b),
        tuple(differences),
    )


def presence(a: AbstractSet[object], b: AbstractSet[object], units: int) -> PresenceAgreement:
    """Agreement on where a code is present, ``a`` and ``b`` being the units each coder found it
    in, out of ``units``."""
    both = len(a & b)
    return PresenceAgreement(
        units,
        len(a),
        len(b),
        both,
        coefficients_from_table(both, len(a) - both, len(b) - both, units - len(a | b)),
    )


def pooled_presence(tables: Sequence[PresenceAgreement]) -> PresenceAgreement:
    """Every (unit, code) pair of ``tables`` as one unit: the summed 2x2 table."""
    both = sum(t.coded_by_both for t in tables)
    a_only = sum(t.coded_by_a for t in tables) - both
    b_only = sum(t.coded_by_b for t in tables) - both
    units = sum(t.units for t in tables)
    return PresenceAgreement(
        units,
        both + a_only,
        both + b_only,
        both,
        coefficients_from_table(both, a_only, b_only, units - both - a_only - b_only),
    )


def transcript_facts(
    session: Session, in_scope: Sequence[int], *, source_units: bool
) -> tuple[dict[int, int], dict[int, int | None], dict[int, SourceUnits]]:
    """Each transcript's length in characters, its participant, and (with ``source_units``)
    its source's units, for the transcripts ``in_scope`` (both loaders read them so)."""
    lengths: dict[int, int] = {}
    participant_of: dict[int, int | None] = {}
    for tid, length, participant in session.execute(
        select(
            TranscriptRow.id, func.length(TranscriptRow.text), TranscriptRow.participant_id
        ).where(TranscriptRow.id.in_(in_scope))
    ):
        lengths[tid], participant_of[tid] = length or 0, participant
    units: dict[int, SourceUnits] = {}
    if source_units:
        for tid, stored in session.execute(
            select(TranscriptRow.id, TranscriptRow.source_units).where(
                TranscriptRow.id.in_(in_scope), TranscriptRow.source_units.is_not(None)
            )
        ):
            if stored:
                units[tid] = SourceUnits.from_json(stored)
    return lengths, participant_of, units
