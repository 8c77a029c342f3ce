"""What the codebook, theme framework and quotes pages show, built once from the service: each
HTML page renders its dict and its JSON twin returns it as it is."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thematica.analysis.reports import NodeCount
from thematica.domain import Code, Coding, Level, format_path
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.acting import MemberStudy
from thematica.service.framework import Quote, code_version
from thematica.web import code_tree, theme_map_view
from thematica.web.context import PALETTE

LEVEL_LABELS = {
    1: "Level one: each coder's own codes",
    2: "Level two: agreed codes (these count for themes)",
}


def can_edit(study: MemberStudy) -> bool:
    return study.can_code


def _code_json(code: Code, colour: str) -> dict[str, Any]:
    return {
        "id": code.id,
        "path": format_path(code.path),
        "name": code.name,
        "parent": format_path(code.path[:-1]) if len(code.path) > 1 else None,
        "depth": len(code.path),
        "level": int(code.level),
        "colour": code.colour or colour,
        "description": code.description,
        "codings": code.codings,
        "owner": code.owner,
        "version": code_version(code),
    }


def _coded(codes: Iterable[Code]) -> list[dict[str, Any]]:
    return [_code_json(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(codes)]


def codebook(study: MemberStudy) -> dict[str, Any]:
    """Both levels' codes (parents before children, and as a tree: issue 14, item 2), the
    lineage log, newest first, and the codebook's downloads."""
    levels = []
    for level in (Level.TWO, Level.ONE):
        codes = _coded(study.codes(level))
        levels.append(
            {
                "level": int(level),
                "label": LEVEL_LABELS[int(level)],
                "codes": codes,
                "tree": code_tree.tree(codes),
            }
        )
    return {
        "levels": levels,
        "lineage": [
            {
                "id": e.id,
                "at": e.at.strftime("%Y-%m-%d %H:%M"),
                "actor": e.actor,
                "operation": e.operation,
                "summary": e.summary,
                "undone_at": e.undone_at.strftime("%Y-%m-%d %H:%M") if e.undone_at else None,
                "undoable": e.undoable,
            }
            for e in reversed(study.lineage())
        ],
        "can_edit": can_edit(study),
        "downloads": {fmt: f"/codebook.{fmt}" for fmt in ("csv", "xlsx", "qdc")},
    }


def _segment(coding: Coding, readable: set[int] | None) -> dict[str, Any]:
    shown = readable is None or coding.transcript_id in readable
    return {
        "coding": coding.id,
        "participant": coding.participant or f"Transcript {coding.transcript_id}",
        "transcript_id": coding.transcript_id,
        "code": format_path(coding.code),
        "level": int(coding.level),
        "coder": coding.coder,
        "start": coding.start,
        "end": coding.end,
        "text": coding.text if shown else None,
        "memo": coding.memo if shown else None,
        "href": f"/transcripts/{coding.transcript_id}#o{coding.start}" if shown else None,
    }


def _withheld(segments: list[dict[str, Any]]) -> int:
    return sum(1 for s in segments if s["text"] is None)


def code_detail(study: MemberStudy, code_id: int) -> dict[str, Any]:
    """One code for its editor: where it can move, what it can merge into, its own codings."""
    code = study.code_by_id(code_id)
    same = list(study.codes(code.level, counted=False))
    inside = {c.id for c in same if c.path[: len(code.path)] == code.path}
    readable = study.readable_transcripts()
    own = [
        _segment(c, readable)
        for c in study.codings(code=code.path, level=code.level)
        if c.code == code.path
    ]
    colour = next(x for x in _coded(same) if x["id"] == code.id)["colour"]
    return {
        "code": _code_json(code, colour),
        "level_label": LEVEL_LABELS[int(code.level)],
        "parents": [
            {"id": c.id, "path": format_path(c.path)}
            for c in same
            if c.id not in inside and c.path != code.path[:-1]
        ],
        "targets": [{"id": c.id, "path": format_path(c.path)} for c in same if c.id not in inside],
        "codings": own,
        "withheld": _withheld(own),
        "can_edit": can_edit(study),
        "can_merge": can_edit(study) and not merge_blind(study, code.level),
    }


def merge_blind(study: MemberStudy, level: Level) -> bool:
    """While the study codes blind, only a lead merges level-one codes: a merge moves every
    coder's codings, the hidden ones too (the service refuses it; the page says why)."""
    return level == Level.ONE and study.blind


def code_quotes(study: MemberStudy, code_id: int) -> dict[str, Any]:
    code = study.code_by_id(code_id)
    readable = study.readable_transcripts()
    segments = [_segment(c, readable) for c in study.codings(code=code.path, level=code.level)]
    return {
        "kind": "code",
        "title": format_path(code.path),
        "level": int(code.level),
        "level_label": LEVEL_LABELS[int(code.level)],
        "description": code.description,
        "count": None,
        "quotes": segments,
        "withheld": _withheld(segments),
        "back": "/codebook",
    }


def _counts(study: MemberStudy) -> tuple[dict[tuple[str, ...], NodeCount], int, str | None]:
    try:
        report = study.counts(level=Level.TWO)
    except ThematicaError as exc:  # e.g. no participant has a transcript yet
        return {}, 0, str(exc)
    return {c.path: c for c in report.themes}, report.total, None


def _count_json(count: NodeCount | None) -> dict[str, Any] | None:
    if count is None:
        return None
    return {
        "n": count.rolled_up,
        "total": count.total,
        "phrase": count.phrase,
        "direct": count.direct,
        "divergent": len(count.divergent),
    }


def themes(study: MemberStudy) -> dict[str, Any]:
    """The framework in tree order, each node with its single count (level-two codings,
    distinct participants, rolled up from its sub-themes), codes with stance, and interlinks."""
    nodes, links = study.framework()
    counts, total, problem = _counts(study)
    children: dict[int | None, list[int]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n.id)
    names = {n.id: format_path(n.path) for n in nodes}
    all_codes = study.codes()
    return {
        "level": 2,
        "total": total,
        "count_problem": problem,
        "nodes": [
            {
                "id": n.id,
                "parent_id": n.parent_id,
                "name": n.name,
                "path": names[n.id],
                "depth": n.depth,
                "description": n.description,
                "position": n.position,
                "first": children[n.parent_id][0] == n.id,
                "last": children[n.parent_id][-1] == n.id,
                "children": children.get(n.id, []),
                "version": n.version,
                "count": _count_json(counts.get(n.path)),
                "codes": [
                    {
                        "id": c.code_id,
                        "path": format_path(c.path),
                        "level": int(c.level),
                        "stance": c.stance.value,
                    }
                    for c in n.codes
                ],
            }
            for n in nodes
        ],
        "roots": children.get(None, []),
        "links": [
            {
                "id": link.id,
                "from_id": link.from_id,
                "to_id": link.to_id,
                "source": format_path(link.source),
                "target": format_path(link.target),
                "label": link.label,
            }
            for link in links
        ],
        "codes": [
            {"id": c.id, "path": format_path(c.path), "level": int(c.level)}
            for c in sorted(
                all_codes, key=lambda c: (-int(c.level), [p.casefold() for p in c.path])
            )
        ],
        "map": theme_map_view.figures(study),
        "can_edit": can_edit(study),
    }


def node_quotes(study: MemberStudy, node_id: int) -> dict[str, Any]:
    nodes, _links = study.framework()
    node = next((n for n in nodes if n.id == node_id), None)
    if node is None:
        raise NotFoundError(f"no theme node {node_id}")
    counts, _total, _problem = _counts(study)
    readable = study.readable_transcripts()
    found: tuple[Quote, ...] = study.theme_quotes(node_id)
    segments = [
        {
            **_segment(q.coding, readable),
            "stance": q.stance.value,
            "via": format_path(q.node[len(node.path) :]) if q.node_id != node_id else None,
        }
        for q in found
    ]
    return {
        "kind": "theme",
        "title": format_path(node.path),
        "level": 2,
        "level_label": "Codings of the codes assigned to this theme and its sub-themes",
        "description": node.description,
        "count": _count_json(counts.get(node.path)),
        "quotes": segments,
        "withheld": _withheld(segments),
        "back": f"/themes#n{node_id}",
    }
