"""The analysis engine over a study: agreement, single counting, saturation, matrix, co-occurrence.

SQL does the set work (distinct participant-code pairs, counts); the pure modules in
``thematica.analysis`` do the arithmetic. Nothing here writes to the study.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.analysis import coefficients, counting, saturation, spans
from thematica.analysis.presence import from_table
from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule, describe
from thematica.analysis.reports import (
    AgreementReport,
    CodeAgreement,
    CooccurrencePair,
    CooccurrenceReport,
    CountsReport,
    Disagreement,
    GroupCount,
    InterviewStep,
    MatrixCell,
    MatrixReport,
    MatrixRow,
    NodeCount,
    PresenceAgreement,
    SaturationReport,
    SourceAgreement,
)
from thematica.domain import CodePath, Level, Stance, format_path
from thematica.errors import NotFoundError, ThematicaError
from thematica.service import register as reg
from thematica.service import transcripts as tx
from thematica.service.codebook import CodeIndex, NodeIndex, member_id
from thematica.storage.models import (
    CodeOriginRow,
    CodeRow,
    CodingRow,
    NodeCodeRow,
    ParticipantRow,
    TeamMemberRow,
    TranscriptRow,
    TurnRow,
)

MISSING = "(missing)"


def _coder_ids(session: Session, coders: Sequence[str]) -> list[int]:
    return [member_id(session, c) for c in coders]


def _coder_names(session: Session, ids: Sequence[int]) -> tuple[str, ...]:
    names = dict(session.execute(select(TeamMemberRow.id, TeamMemberRow.name)).all())
    return tuple(names[i] for i in ids)


# -- agreement -------------------------------------------------------------------------------


def coders_codings(
    session: Session,
    coder_ids: Sequence[int],
    level: Level,
    code: CodePath | None,
    transcript: int | None = None,
) -> tuple[CodeIndex, set[int], list[tuple[int, int, int, int, int]]]:
    """What every agreement computation starts from: the code index, the codes compared (a
    level's codes, or one code and everything beneath it) and the coders' codings at that
    level as (transcript, code, coder, start, end), in the study or in one ``transcript``."""
    index = CodeIndex.load(session)
    level_codes = {i for i, r in index.rows.items() if r.level == int(level)}
    if code is not None:
        root = index.get(code, level)
        level_codes = {root} | index.descendants(root)
    query = (
        select(
            CodingRow.transcript_id,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level), CodingRow.coder_id.in_(coder_ids))
    )
    if transcript is not None:
        query = query.where(CodingRow.transcript_id == transcript)
    rows = session.execute(query).all()
    return index, level_codes, [(t, c, k, s, e) for t, c, k, s, e in rows]


def _presence(a: set[object], b: set[object], units: int) -> PresenceAgreement:
    both = len(a & b)
    result = from_table(both, len(a) - both, len(b) - both, units - len(a | b))
    return PresenceAgreement(units, len(a), len(b), both, result)


SCOPES = ("either", "both")


def agreement(
    session: Session,
    coder_a: str,
    coder_b: str,
    level: Level,
    code: CodePath | None,
    scope: str = "either",
) -> AgreementReport:
    """Agreement over the transcripts that either coder has coded (``scope="either"``: a
    transcript one coder left uncoded counts as that coder finding nothing there), or only those
    both have coded (``"both"``: for a study still being coded)."""
    mode = scope
    if mode not in SCOPES:
        raise ThematicaError(f"scope must be one of {', '.join(SCOPES)}")
    a_id, b_id = _coder_ids(session, [coder_a, coder_b])
    if a_id == b_id:
        raise ThematicaError("name two different coders")
    names = _coder_names(session, [a_id, b_id])
    index, level_codes, rows = coders_codings(session, [a_id, b_id], level, code)
    coded: dict[int, set[int]] = defaultdict(set)
    for tid, _c, coder, _s, _e in rows:
        coded[tid].add(coder)
    in_scope = sorted(t for t, who in coded.items() if len(who) == 2 or mode == "either")
    scope_set = set(in_scope)
    # code -> transcript -> (A's spans, B's spans), in one pass over the codings
    per_code: dict[int, dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]] = (
        defaultdict(dict)
    )
    for tid, code_id, coder, start, end in rows:
        if tid in scope_set and code_id in level_codes:
            pair = per_code[code_id].get(tid)
            if pair is None:
                pair = per_code[code_id][tid] = ([], [])
            pair[0 if coder == a_id else 1].append((start, end))

    lengths: dict[int, int] = dict(
        session.execute(
            select(TranscriptRow.id, func.length(TranscriptRow.text)).where(
                TranscriptRow.id.in_(in_scope)
            )
        ).all()
    )
    participant_of = dict(
        session.execute(
            select(TranscriptRow.id, TranscriptRow.participant_id).where(
                TranscriptRow.id.in_(in_scope)
            )
        ).all()
    )
    labels = tx.participant_labels(session)
    unit_of = {
        t: (participant_of[t] if participant_of[t] is not None else f"transcript {t}")
        for t in in_scope
    }
    participant_units = len(set(unit_of.values()))
    turn_bounds: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for tid, start, end in session.execute(
        select(TurnRow.transcript_id, TurnRow.start_offset, TurnRow.end_offset)
        .where(TurnRow.transcript_id.in_(in_scope))
        .order_by(TurnRow.transcript_id, TurnRow.start_offset)
    ):
        turn_bounds[tid][0].append(start)
        turn_bounds[tid][1].append(end)
    turn_units = sum(len(b[0]) for b in turn_bounds.values())

    results: list[CodeAgreement] = []
    differences: list[Disagreement] = []
    all_sources: list[coefficients.CharacterAgreement] = []
    pooled_p = [0, 0, 0, 0]
    pooled_t = [0, 0, 0, 0]
    texts: dict[int, str] = {}
    for code_id in sorted(per_code, key=lambda c: index.paths[c]):
        sources: list[SourceAgreement] = []
        part_a: set[object] = set()
        part_b: set[object] = set()
        turn_a: set[object] = set()
        turn_b: set[object] = set()
        for tid in sorted(per_code[code_id]):
            raw_a, raw_b = per_code[code_id][tid]
            ma, mb = spans.merge(raw_a), spans.merge(raw_b)
            both = spans.intersection_length(ma, mb)
            result = coefficients.character_agreement(
                lengths[tid], both, spans.length(ma) - both, spans.length(mb) - both
            )
            sources.append(SourceAgreement(tid, labels.get(tid), result))
            starts, ends = turn_bounds[tid]
            if ma:
                part_a.add(unit_of[tid])
                turn_a.update((tid, i) for i in spans.touched(ma, starts, ends))
            if mb:
                part_b.add(unit_of[tid])
                turn_b.update((tid, i) for i in spans.touched(mb, starts, ends))
            for diff in spans.differences(ma, mb):
                if not texts:  # the first disagreement: load every text in scope at once
                    texts.update(
                        session.execute(
                            select(TranscriptRow.id, TranscriptRow.text).where(
                                TranscriptRow.id.in_(in_scope)
                            )
                        ).all()
                    )
                differences.append(
                    Disagreement(
                        tid,
                        labels.get(tid),
                        index.paths[code_id],
                        diff.kind,
                        diff.start,
                        diff.end,
                        texts[tid][diff.start : diff.end],
                        diff.a,
                        diff.b,
                    )
                )
        participants = _presence(part_a, part_b, participant_units)
        turns = _presence(turn_a, turn_b, turn_units)
        for table, presence in ((pooled_p, participants), (pooled_t, turns)):
            both = presence.coded_by_both
            table[0] += both
            table[1] += presence.coded_by_a - both
            table[2] += presence.coded_by_b - both
            table[3] += presence.units - presence.coded_by_a - presence.coded_by_b + both
        all_sources.extend(s.result for s in sources)
        results.append(
            CodeAgreement(
                index.paths[code_id],
                tuple(sources),
                coefficients.aggregate([s.result for s in sources]),
                participants,
                turns,
            )
        )

    def pooled(table: list[int], units: int) -> PresenceAgreement:
        return PresenceAgreement(
            units, table[0] + table[1], table[0] + table[2], table[0], from_table(*table)
        )

    method = (
        f"Level-{int(level)} codings by {names[0]} (A) and {names[1]} (B), over the {len(in_scope)} transcripts "
        + (
            "that either coder has coded (a transcript one coder left uncoded counts as finding nothing there)"
            if mode == "either"
            else "that both coders have coded"
        )
        + "; codes neither coder used there are not listed.",
        "Characters (NVivo's method): per code per transcript, over every character of the transcript "
        "(code points), for transcripts where at least one coder applied the code. Per code: the unweighted "
        "mean over transcripts, the mean weighted by transcript length, and the pooled value of the summed 2x2 table.",
        "Participants: is the code present anywhere in the participant's transcripts? Turns: is it present in the "
        "speaker turn? Percent agreement, Cohen's kappa, Scott's pi, Brennan-Prediger, Gwet's AC1 and "
        "Krippendorff's alpha (nominal) over those units; pooled rows treat every (unit, code) pair as a unit.",
        "Undefined values (no variation, nothing coded) are reported as undefined, never as a number.",
    )
    return AgreementReport(
        names[0],
        names[1],
        level,
        tuple(in_scope),
        participant_units,
        turn_units,
        tuple(results),
        coefficients.aggregate(all_sources),
        pooled(pooled_p, participant_units * len(results)),
        pooled(pooled_t, turn_units * len(results)),
        tuple(sorted(differences, key=lambda d: (d.transcript_id, d.start, d.code))),
        method,
    )


# -- single counting, matrix -----------------------------------------------------------------


def node_assignments(
    session: Session, stance: Stance, level_codes: Collection[int]
) -> list[tuple[int, int]]:
    """(node, code) pairs for codes of the counted level. Theme nodes usually hold agreed
    (level-two) codes; counting level one, each such code brings the level-one codes it was
    formed from (``code_origins``), so themes count the coders' own codings too."""
    pairs = session.execute(
        select(NodeCodeRow.node_id, NodeCodeRow.code_id).where(NodeCodeRow.stance == stance.value)
    ).all()
    origins: dict[int, list[int]] = defaultdict(list)
    for code_id, origin_id in session.execute(
        select(CodeOriginRow.code_id, CodeOriginRow.origin_id)
    ).all():
        origins[code_id].append(origin_id)
    out = []
    for node, code in pairs:
        if code in level_codes:
            out.append((node, code))
        out.extend((node, origin) for origin in origins.get(code, ()) if origin in level_codes)
    return out


def _participant_code_pairs(
    session: Session, level: Level, coder_ids: Sequence[int]
) -> list[tuple[int, int, int]]:
    """(participant id, code id, number of codings) for the level and coders."""
    query = (
        select(TranscriptRow.participant_id, CodingRow.code_id, func.count())
        .join(TranscriptRow, TranscriptRow.id == CodingRow.transcript_id)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level), TranscriptRow.participant_id.is_not(None))
        .group_by(TranscriptRow.participant_id, CodingRow.code_id)
    )
    if coder_ids:
        query = query.where(CodingRow.coder_id.in_(coder_ids))
    return [(p, c, n) for p, c, n in session.execute(query).all() if p is not None]


def _interviewed(session: Session) -> dict[int, str]:
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


def _groups(session: Session, attribute: str | None, people: dict[int, str]) -> dict[int, str]:
    if attribute is None:
        return {}
    by_label = {p.label: p for p in reg.participants(session)}
    if attribute.casefold() == "group":
        return {pid: by_label[label].group for pid, label in people.items()}
    names = {d.name.casefold(): d.name for d in reg.attribute_defs(session)}
    if attribute.casefold() not in names:
        raise NotFoundError(
            f"no participant attribute {attribute!r} (attributes: group, {', '.join(names.values())})"
        )
    name = names[attribute.casefold()]
    out = {}
    for pid, label in people.items():
        value = by_label[label].attributes.get(name)
        out[pid] = (
            MISSING
            if value is None
            else ("yes" if value is True else "no" if value is False else str(value))
        )
    return out


def counts(
    session: Session,
    level: Level,
    coders: Sequence[str] = (),
    attribute: str | None = None,
    rules: Sequence[QuantifierRule] = DEFAULT_RULES,
) -> CountsReport:
    coder_ids = _coder_ids(session, coders)
    people = _interviewed(session)
    total = len(people)
    if total == 0:
        raise ThematicaError("no participant has a transcript yet: nothing to count")
    group_of = _groups(session, attribute, people)
    group_totals = Counter(group_of.values())
    for n in {total, *group_totals.values()}:  # the rules must give every count a phrase
        for k in range(n + 1):
            try:
                describe(k, n, rules)
            except ValueError:
                raise ThematicaError(
                    f"the quantifier rules give no phrase for {k} of {n} participants; add a rule that covers it"
                ) from None
    pairs = _participant_code_pairs(session, level, coder_ids)
    by_code: dict[int, set[int]] = defaultdict(set)
    for pid, code_id, _n in pairs:
        if pid in people:
            by_code[code_id].add(pid)
    index = CodeIndex.load(session)
    level_codes = {i: r.parent_id for i, r in index.rows.items() if r.level == int(level)}
    code_tree = counting.Tree(level_codes)
    code_direct, code_rolled = counting.code_participants(
        code_tree, {c: frozenset(s) for c, s in by_code.items()}
    )
    nodes = NodeIndex.load(session)
    node_tree = counting.Tree({i: r.parent_id for i, r in nodes.rows.items()})
    supports = node_assignments(session, Stance.SUPPORTS, level_codes)
    divergent = node_assignments(session, Stance.DIVERGENT, level_codes)
    node_direct, node_rolled = counting.node_participants(node_tree, supports, code_rolled)
    _div_direct, div_rolled = counting.node_participants(node_tree, divergent, code_rolled)

    def make(
        kind: str,
        path: CodePath,
        direct: frozenset[int],
        rolled: frozenset[int],
        against: frozenset[int],
    ) -> NodeCount:
        by_group = tuple(
            GroupCount(value, n, group_totals[value], describe(n, group_totals[value], rules))
            for value in sorted(group_totals)
            for n in [sum(1 for p in rolled if group_of[p] == value)]
        )
        return NodeCount(
            kind,
            path,
            len(path),
            len(direct),
            len(rolled),
            total,
            describe(len(rolled), total, rules),
            tuple(people[p] for p in people if p in rolled),
            tuple(people[p] for p in people if p not in rolled),
            tuple(people[p] for p in people if p in against),
            by_group,
        )

    theme_rows = tuple(
        make(
            "theme", nodes.paths[n], node_direct[n], node_rolled[n], div_rolled.get(n, frozenset())
        )
        for n in sorted(nodes.rows, key=lambda i: _position_key(nodes, i))
    )
    code_rows = tuple(
        make("code", index.paths[c], code_direct[c], code_rolled[c], frozenset())
        for c in sorted(level_codes, key=lambda i: index.paths[i])
    )
    method = (
        f"Distinct participants coded at level {int(level)}"
        + (f" by {', '.join(_coder_names(session, coder_ids))}" if coder_ids else " by any coder")
        + f"; N = {total} participants with at least one transcript. Each participant counts once per node.",
        "Direct: participants coded with the codes assigned to the node itself (with their sub-codes). "
        "n/N: rolled up, the union over the node and everything beneath it (a union, never a sum). Divergent: participants coded with a code marked "
        "divergent for the node or a node beneath it.",
    )
    return CountsReport(
        level,
        _coder_names(session, coder_ids),
        total,
        tuple(people.values()),
        attribute,
        tuple(sorted(group_totals.items())),
        theme_rows,
        code_rows,
        method,
    )


def _position_key(nodes: NodeIndex, node_id: int) -> tuple[int, ...]:
    chain: list[int] = []
    current: int | None = node_id
    while current is not None:
        chain.append(nodes.rows[current].position)
        current = nodes.rows[current].parent_id
    return tuple(reversed(chain))


def matrix(
    session: Session, attribute: str, level: Level, coders: Sequence[str] = (), rows: str = "auto"
) -> MatrixReport:
    coder_ids = _coder_ids(session, coders)
    people = _interviewed(session)
    group_of = _groups(session, attribute, people)
    values = sorted(Counter(group_of.values()).items())
    pairs = _participant_code_pairs(session, level, coder_ids)
    index = CodeIndex.load(session)
    level_codes = {i: r.parent_id for i, r in index.rows.items() if r.level == int(level)}
    code_tree = counting.Tree(level_codes)
    nodes = NodeIndex.load(session)
    use_themes = rows == "themes" or (rows == "auto" and bool(nodes.rows))
    subtree = {c: code_tree.subtree(c) for c in level_codes}
    if use_themes:
        node_tree = counting.Tree({i: r.parent_id for i, r in nodes.rows.items()})
        assigned: dict[int, set[int]] = defaultdict(set)
        for n, c in node_assignments(session, Stance.SUPPORTS, level_codes):
            if c in level_codes:
                assigned[n] |= subtree[c]
        members = {n: set().union(*(assigned[m] for m in node_tree.subtree(n))) for n in nodes.rows}
        labelled = [
            ("theme", nodes.paths[n], members[n])
            for n in sorted(nodes.rows, key=lambda i: _position_key(nodes, i))
        ]
    else:
        labelled = [
            ("code", index.paths[c], subtree[c])
            for c in sorted(level_codes, key=lambda i: index.paths[i])
        ]
    pairs_by_code: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p, c, n in pairs:
        if p in group_of:
            pairs_by_code[c].append((p, n))
    out = []
    for kind, path, code_set in labelled:
        seen: dict[str, set[int]] = defaultdict(set)
        codings: Counter[str] = Counter()
        for c in code_set:
            for p, n in pairs_by_code.get(c, ()):
                seen[group_of[p]].add(p)
                codings[group_of[p]] += n
        cells = tuple(
            MatrixCell(value, len(seen[value]), total, codings[value]) for value, total in values
        )
        out.append(MatrixRow(kind, path, cells))
    return MatrixReport(attribute, level, tuple(values), tuple(out))


# -- saturation ------------------------------------------------------------------------------


def saturation_report(
    session: Session,
    level: Level,
    coders: Sequence[str] = (),
    order: Sequence[str] = (),
    base: int = 4,
    run: int = 2,
    threshold: float = 0.05,
    initial: int = 10,
    stop: int = 3,
) -> SaturationReport:
    if not 0 <= threshold < 1:  # also false for NaN
        raise ThematicaError(
            f"the new-information threshold must be at least 0 and below 1, not {threshold}"
        )
    if base < 1 or run < 1 or initial < 1 or stop < 1:
        raise ThematicaError(
            "base, run, initial and stop are whole numbers of interviews, at least 1"
        )
    coder_ids = _coder_ids(session, coders)
    query = (
        select(CodingRow.transcript_id, CodingRow.code_id)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level))
        .distinct()
    )
    if coder_ids:
        query = query.where(CodingRow.coder_id.in_(coder_ids))
    codes_in: dict[int, set[int]] = defaultdict(set)
    for tid, code_id in session.execute(query):
        codes_in[tid].add(code_id)
    summaries = {s.id: s for s in tx.summaries(session)}
    if order:
        sequence = [tx.resolve(session, ref) for ref in order]
        if len(set(sequence)) != len(sequence):
            raise ThematicaError("--order names a transcript twice")
        how = "the order given"
    else:
        sequence = sorted(
            summaries,
            key=lambda t: (
                summaries[t].interview_date is None,
                summaries[t].interview_date or 0,
                t,
            ),
        )
        how = "interview date (then import order)"
    coded = [t for t in sequence if codes_in.get(t)]
    waiting = tuple(
        summaries[t].participant or summaries[t].source_name
        for t in sequence
        if not codes_in.get(t)
    ) + tuple(  # transcripts the --order left out are named, never silently dropped
        f"{summaries[t].participant or summaries[t].source_name} (not in the order given)"
        for t in summaries
        if t not in set(sequence)
    )
    new = saturation.new_per_interview([codes_in[t] for t in coded])
    cumulative = saturation.cumulative(new)
    steps = tuple(
        InterviewStep(
            i + 1,
            t,
            summaries[t].participant,
            summaries[t].interview_date,
            len(codes_in[t]),
            new[i],
            cumulative[i],
        )
        for i, t in enumerate(coded)
    )
    names = _coder_names(session, coder_ids)
    method = (
        f"Unique level-{int(level)} codes applied by {', '.join(names) if names else 'any coder'}, "
        f"interviews in {how}; interviews not yet coded are left out.",
        "Guest, Namey & Chen (2020): base size, run length and new-information threshold; the denominator is "
        "fixed at the codes in the base; runs overlap, shifting by one interview; reported as n+r.",
        "Francis et al. (2010): after the initial analysis sample, saturation when as many consecutive "
        "interviews as the stopping criterion add no new code.",
    )
    return SaturationReport(
        level,
        names,
        how,
        steps,
        waiting,
        saturation.guest(new, base, run, threshold),
        saturation.francis(new, initial, stop),
        method,
    )


# -- co-occurrence ---------------------------------------------------------------------------


def cooccurrence(session: Session, level: Level, coders: Sequence[str] = ()) -> CooccurrenceReport:
    coder_ids = _coder_ids(session, coders)
    index = CodeIndex.load(session)
    query = (
        select(
            CodingRow.transcript_id, CodingRow.code_id, CodingRow.start_offset, CodingRow.end_offset
        )
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(level))
        .order_by(CodingRow.transcript_id, CodingRow.start_offset)
    )
    if coder_ids:
        query = query.where(CodingRow.coder_id.in_(coder_ids))
    rows = session.execute(query).all()
    tids = sorted({r[0] for r in rows})
    bounds: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for tid, start, end in session.execute(
        select(TurnRow.transcript_id, TurnRow.start_offset, TurnRow.end_offset)
        .where(TurnRow.transcript_id.in_(tids))
        .order_by(TurnRow.transcript_id, TurnRow.start_offset)
    ):
        bounds[tid][0].append(start)
        bounds[tid][1].append(end)
    turns_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    codes_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    overlapping: Counter[tuple[int, int]] = Counter()
    by_transcript: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for tid, code_id, start, end in rows:
        starts, ends = bounds[tid]
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i < len(starts) and starts[i] < end:
            if ends[i] > start:
                turns_of[code_id].add((tid, i))
                codes_at[(tid, i)].add(code_id)
            i += 1
        by_transcript[tid].append((start, end, code_id))
    for items in by_transcript.values():
        active: list[tuple[int, int]] = []
        for start, end, code_id in items:
            active = [(e, c) for e, c in active if e > start]
            for _e, other in active:
                if other != code_id:
                    overlapping[tuple(sorted((code_id, other)))] += 1  # type: ignore[index]
            active.append((end, code_id))
    together: Counter[tuple[int, int]] = Counter()
    for present in codes_at.values():
        for pair in combinations(sorted(present), 2):
            together[pair] += 1
    pairs = []
    for (a, b), both in together.items():
        either = len(turns_of[a]) + len(turns_of[b]) - both
        pairs.append(
            CooccurrencePair(
                index.paths[a],
                index.paths[b],
                both,
                either,
                both / either,
                overlapping.get((a, b), 0),
            )
        )
    pairs.sort(key=lambda p: (-p.turns_both, -p.jaccard, p.a, p.b))
    total_turns = session.scalar(select(func.count()).select_from(TurnRow)) or 0
    method = (
        f"Level-{int(level)} codes. Two codes co-occur in a speaker turn when codings of both touch it. "
        "Jaccard = turns with both / turns with either. Overlapping codings: pairs of codings of the two codes "
        "whose spans overlap.",
    )
    return CooccurrenceReport(level, total_turns, tuple(pairs), method)


__all__ = ["agreement", "cooccurrence", "counts", "format_path", "matrix", "saturation_report"]
