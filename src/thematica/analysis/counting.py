"""Single counting: how many distinct participants support each theme node and each code.

Each participant counts once per node however many segments they contribute, and counts roll
up the hierarchy as set unions, never sums (Sandelowski 2001 warns against overcounting):
sub-themes {P1, P2, P3} and {P3, P4} make a theme of 4 participants, not 5. A code assigned to a
node brings its sub-codes. See docs/methods.md#single-counting-of-participants-per-theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tree:
    """Parent links of a hierarchy (codes or theme nodes) by id; ``None`` is the root."""

    parent: Mapping[int, int | None]

    def children(self) -> dict[int | None, list[int]]:
        out: dict[int | None, list[int]] = {}
        for node, parent in self.parent.items():
            out.setdefault(parent, []).append(node)
        return out

    def subtree(self, node: int) -> set[int]:
        kids = self.children()
        out, stack = {node}, [node]
        while stack:
            for child in kids.get(stack.pop(), []):
                if child not in out:
                    out.add(child)
                    stack.append(child)
        return out


def roll_up(tree: Tree, direct: Mapping[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """For every node, the union of its own set and every descendant's."""
    kids = tree.children()
    memo: dict[int, frozenset[int]] = {}

    def visit(node: int) -> frozenset[int]:
        if node not in memo:
            acc = set(direct.get(node, frozenset()))
            for child in kids.get(node, []):
                acc |= visit(child)
            memo[node] = frozenset(acc)
        return memo[node]

    for node in tree.parent:
        visit(node)
    return memo


def code_participants(
    codes: Tree, participants_by_code: Mapping[int, frozenset[int]]
) -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """(direct, rolled up) participant sets for every code."""
    direct = {c: participants_by_code.get(c, frozenset()) for c in codes.parent}
    return direct, roll_up(codes, direct)


def node_participants(
    nodes: Tree,
    assignments: Sequence[tuple[int, int]],
    code_rolled: Mapping[int, frozenset[int]],
) -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """(direct, rolled up) participant sets per theme node from ``(node, code)`` assignments,
    each code bringing everyone coded with it or any of its sub-codes."""
    direct: dict[int, set[int]] = {n: set() for n in nodes.parent}
    for node, code in assignments:
        direct.setdefault(node, set()).update(code_rolled.get(code, frozenset()))
    frozen = {n: frozenset(s) for n, s in direct.items()}
    return frozen, roll_up(nodes, frozen)
