"""Single counting: distinct participants per theme node and per code, with the quantifier
phrase, by group, and the divergent cases (docs/methods.md#single-counting-of-participants-per-theme)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from thematica.analysis import counting
from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule, describe
from thematica.analysis.reports import CountsReport, GroupCount, NodeCount
from thematica.domain import CodePath, Level, Stance
from thematica.errors import ThematicaError
from thematica.service.analysis.common import (
    coder_ids,
    coder_names,
    groups,
    interviewed,
    node_assignments,
    participant_code_pairs,
    position_key,
)
from thematica.service.codebook import CodeIndex, NodeIndex


class _Roster:
    """The participants in register order, to list those in a set and those not in it, and to
    count them per group: with hundreds of themes and codes over a thousand participants, a
    Python loop over everyone for each row was most of the time the counts took (issue 15)."""

    def __init__(self, people: dict[int, str], group_of: dict[int, str]) -> None:
        self.order = {pid: i for i, pid in enumerate(people)}
        self.labels = np.array(list(people.values()), dtype=object)
        self.everyone: tuple[str, ...] = tuple(people.values())
        self.values = sorted(set(group_of.values()))
        index = {v: i for i, v in enumerate(self.values)}
        # a participant without a value for the attribute is in no group: a bin past the last
        self.group = np.array(
            [index.get(group_of.get(pid, ""), len(self.values)) for pid in people], dtype=np.intp
        )

    def mask(self, chosen: frozenset[int]) -> np.ndarray:
        mask = np.zeros(len(self.labels), dtype=bool)
        if chosen:
            rows = (self.order[p] for p in chosen if p in self.order)
            mask[np.fromiter(rows, dtype=np.intp)] = True
        return mask

    def split(self, mask: np.ndarray) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(labels where ``mask`` holds, labels of the rest), each in register order."""
        if not mask.any():
            return (), self.everyone
        return tuple(self.labels[mask].tolist()), tuple(self.labels[~mask].tolist())

    def per_group(self, mask: np.ndarray) -> list[int]:
        """How many of those where ``mask`` holds are in each group, in ``values`` order."""
        counted = np.bincount(self.group[mask], minlength=len(self.values) + 1)
        return [int(n) for n in counted[: len(self.values)]]


def _phrases(
    total: int, group_totals: Counter[str], rules: Sequence[QuantifierRule]
) -> dict[tuple[int, int], str]:
    """The phrase for every k of every n a count can show; the rules must give each one."""
    out = {}
    for n in {total, *group_totals.values()}:
        for k in range(n + 1):
            try:
                out[k, n] = describe(k, n, rules)
            except ValueError:
                raise ThematicaError(
                    f"the quantifier rules give no phrase for {k} of {n} participants; add a rule that covers it"
                ) from None
    return out


def counts(
    session: Session,
    level: Level,
    coders: Sequence[str] = (),
    attribute: str | None = None,
    rules: Sequence[QuantifierRule] = DEFAULT_RULES,
) -> CountsReport:
    ids = coder_ids(session, coders)
    people = interviewed(session)
    total = len(people)
    if total == 0:
        raise ThematicaError("no participant has a transcript yet: nothing to count")
    group_of = groups(session, attribute, people)
    group_totals = Counter(group_of.values())
    phrase = _phrases(total, group_totals, rules)
    by_code: dict[int, set[int]] = defaultdict(set)
    for pid, code_id, _n in participant_code_pairs(session, int(level), ids):
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
    supports = node_assignments(session, Stance.SUPPORTS, level_codes, index)
    divergent = node_assignments(session, Stance.DIVERGENT, level_codes, index)
    node_direct, node_rolled = counting.node_participants(node_tree, supports, code_rolled)
    _div_direct, div_rolled = counting.node_participants(node_tree, divergent, code_rolled)

    roster = _Roster(people, group_of)

    def make(
        kind: str,
        path: CodePath,
        direct: frozenset[int],
        rolled: frozenset[int],
        against: frozenset[int],
    ) -> NodeCount:
        coded = roster.mask(rolled)
        by_group = tuple(
            GroupCount(value, n, group_totals[value], phrase[n, group_totals[value]])
            for value, n in zip(roster.values, roster.per_group(coded), strict=True)
        )
        return NodeCount(
            kind,
            path,
            len(path),
            len(direct),
            len(rolled),
            total,
            phrase[len(rolled), total],
            *roster.split(coded),
            roster.split(roster.mask(against))[0] if against else (),
            by_group,
        )

    theme_rows = tuple(
        make(
            "theme", nodes.paths[n], node_direct[n], node_rolled[n], div_rolled.get(n, frozenset())
        )
        for n in sorted(nodes.rows, key=lambda i: position_key(nodes, i))
    )
    code_rows = tuple(
        make("code", index.paths[c], code_direct[c], code_rolled[c], frozenset())
        for c in sorted(level_codes, key=lambda i: index.paths[i])
    )
    method = (
        f"Distinct participants coded at level {int(level)}"
        + (f" by {', '.join(coder_names(session, ids))}" if ids else " by any coder")
        + f"; N = {total} participants with at least one transcript. Each participant counts once per node.",
        "Direct: participants coded with the codes assigned to the node itself (with their sub-codes). "
        "n/N: rolled up, the union over the node and everything beneath it (a union, never a sum). Divergent: participants coded with a code marked "
        "divergent for the node or a node beneath it.",
    )
    return CountsReport(
        level,
        coder_names(session, ids),
        total,
        tuple(people.values()),
        attribute,
        tuple(sorted(group_totals.items())),
        theme_rows,
        code_rows,
        method,
    )
