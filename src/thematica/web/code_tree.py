"""The code tree the transcript page codes from and the codebook page edits: the codes a page
already has (each with its ``path``, colour and count, as its context builds them) nested
under their parents, siblings in natural order ("aspect 2" before "aspect 10"). The page
renders it with ``templates/_code_tree.html`` and its JSON twin returns it as it is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from thematica.domain import format_path, parse_path
from thematica.natural_sort import path_key

COLLAPSE_PAST = 50  # a tree with more codes than this opens with every branch closed


def tree(codes: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``codes`` (dicts with at least ``path``, ``colour`` and ``codings``) as a tree.

    Each node is the code's dict with ``name``, ``depth``, ``parent`` (a path or ``None``),
    ``total`` (its codings and its descendants') and ``children``. ``parents`` lists every
    path in tree order with its depth (what a new code or a move can go under); ``collapsed``
    says whether the tree opens closed."""
    nodes: dict[tuple[str, ...], dict[str, Any]] = {}
    for code in codes:
        path = parse_path(str(code["path"]))
        if path:
            nodes[path] = {
                **code,
                "path": format_path(path),
                "name": path[-1],
                "depth": len(path),
                "parent": format_path(path[:-1]) if len(path) > 1 else None,
                "children": [],
            }
    roots: list[dict[str, Any]] = []
    for path in sorted(nodes, key=path_key):
        parent = nodes.get(path[:-1])
        (parent["children"] if parent is not None else roots).append(nodes[path])
    for root in roots:
        _total(root)
    return {
        "count": len(nodes),
        "collapsed": len(nodes) > COLLAPSE_PAST,
        "nodes": roots,
        "parents": [{"path": n["path"], "depth": n["depth"]} for n in walk(roots)],
    }


def walk(nodes: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every node, parents before their children, in the tree's order."""
    for node in nodes:
        yield node
        yield from walk(node["children"])


def _total(node: dict[str, Any]) -> int:
    node["total"] = int(node.get("codings") or 0) + sum(_total(c) for c in node["children"])
    return int(node["total"])
