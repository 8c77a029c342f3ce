"""The attribute matrix: per theme node (or code) and attribute value, distinct participants and
codings, with the same level-one mapping as the counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from thematica.analysis import counting, matrix_arrays
from thematica.analysis.reports import MatrixCell, MatrixReport, MatrixRow
from thematica.domain import CodePath, Level, Stance
from thematica.service.analysis.common import (
    coder_ids,
    groups,
    interviewed,
    node_assignments,
    participant_code_arrays,
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
    pids, codes, counts = participant_code_arrays(session, int(level), ids)
    labelled = [
        (kind, path, codes)
        for kind, _id, path, codes in row_codes(session, level, themes=uses_themes(session, rows))
    ]
    # participants as indices 0..n-1, each with the index of their group
    value_index = {value: i for i, (value, _total) in enumerate(values)}
    index_of = {pid: i for i, pid in enumerate(group_of)}
    group_index = np.fromiter(
        (value_index[group_of[pid]] for pid in group_of), dtype=np.int64, count=len(group_of)
    )
    lookup = np.full(max([*group_of, int(pids.max()) if len(pids) else 0]) + 1, -1, np.int64)
    lookup[np.fromiter(index_of, dtype=np.int64)] = np.fromiter(index_of.values(), np.int64)
    person = lookup[pids]
    kept = person >= 0  # participants with a value of the attribute
    seen, codings = matrix_arrays.cells(
        person[kept],
        codes[kept],
        counts[kept],
        group_index,
        len(values),
        [code_set for _kind, _path, code_set in labelled],
    )
    out = []
    for r, (kind, path, _codes) in enumerate(labelled):
        cells = tuple(
            MatrixCell(value, int(seen[r, g]), total, int(codings[r, g]))
            for g, (value, total) in enumerate(values)
        )
        out.append(MatrixRow(kind, path, cells))
    return MatrixReport(attribute, level, tuple(values), tuple(out))
