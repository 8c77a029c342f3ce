"""The attribute matrix: per theme node (or code) and attribute value, distinct participants and
codings, with the same level-one mapping as the counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from thematica.analysis import counting
from thematica.analysis.reports import MatrixCell, MatrixReport, MatrixRow
from thematica.domain import CodePath, Level, Stance
from thematica.service.analysis.common import (
    coder_ids,
    groups,
    interviewed,
    node_assignments,
    participant_code_pairs,
    position_key,
)
from thematica.service.codebook import CodeIndex, NodeIndex


def row_codes(
    session: Session, level: Level, *, themes: bool
) -> list[tuple[str, int, CodePath, set[int]]]:
    """The matrix's rows: (kind, theme node or code id, path, the level's code ids it counts).
    A theme counts the codes assigned to it in support, and to the nodes beneath it, with their
    sub-codes; a code counts itself and its sub-codes. The cells of a row and the quotes behind
    them (``service/retrieval.py``) both start from here."""
    index = CodeIndex.load(session)
    level_codes = {i: r.parent_id for i, r in index.rows.items() if r.level == int(level)}
    code_tree = counting.Tree(level_codes)
    subtree = {c: code_tree.subtree(c) for c in level_codes}
    if not themes:
        return [
            ("code", c, index.paths[c], set(subtree[c]))
            for c in sorted(level_codes, key=lambda i: index.paths[i])
        ]
    nodes = NodeIndex.load(session)
    node_tree = counting.Tree({i: r.parent_id for i, r in nodes.rows.items()})
    assigned: dict[int, set[int]] = defaultdict(set)
    for n, c in node_assignments(session, Stance.SUPPORTS, level_codes, index):
        if c in level_codes:
            assigned[n] |= subtree[c]
    members = {n: set().union(*(assigned[m] for m in node_tree.subtree(n))) for n in nodes.rows}
    return [
        ("theme", n, nodes.paths[n], members[n])
        for n in sorted(nodes.rows, key=lambda i: position_key(nodes, i))
    ]


def uses_themes(session: Session, rows: str) -> bool:
    """Whether the matrix's rows are theme nodes: asked for, or "auto" and there is a framework."""
    return rows == "themes" or (rows == "auto" and bool(NodeIndex.load(session).rows))


def matrix(
    session: Session, attribute: str, level: Level, coders: Sequence[str] = (), rows: str = "auto"
) -> MatrixReport:
    ids = coder_ids(session, coders)
    people = interviewed(session)
    group_of = groups(session, attribute, people)
    values = sorted(Counter(group_of.values()).items())
    pairs = participant_code_pairs(session, int(level), ids)
    labelled = [
        (kind, path, codes)
        for kind, _id, path, codes in row_codes(session, level, themes=uses_themes(session, rows))
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
