"""What each analysis page shows, drawn from its JSON twin (the serialised result, see
:mod:`thematica.web.analysis_context`) and never from the result object itself, so a page
cannot show a figure its twin does not carry. Each view adds only what the page needs to draw
it: code paths as text, the form's choices, totals and links; the templates round the figures
as the CLI does."""

from __future__ import annotations

from collections import Counter
from typing import Any

from thematica.analysis.saturation import threshold_percent
from thematica.domain import Level, format_path
from thematica.service.acting import MemberStudy
from thematica.web import analysis_context as ctx
from thematica.web.cell_context import cell_href, pair_href, row_ids


def _attributes(study: MemberStudy) -> list[str]:
    return ["group", *(d.name for d in study.attribute_defs())]


# -- agreement -------------------------------------------------------------------------------


def _disagreements(twin: dict[str, Any]) -> dict[str, Any]:
    rows = twin["disagreements"]
    by_transcript: Counter[int] = Counter(d["transcript_id"] for d in rows)
    label = {d["transcript_id"]: d["participant"] for d in rows}
    return {
        "total": len(rows),
        "kinds": {
            kind: sum(1 for d in rows if d["kind"] == kind)
            for kind in ("only_a", "only_b", "boundaries")
        },
        "by_transcript": [
            {
                "transcript_id": tid,
                "participant": label[tid],
                "count": by_transcript[tid],
                "reconcile": f"/reconcile/{tid}",
            }
            for tid in twin["transcripts"]
            if by_transcript[tid]
        ],
    }


def _one_code(twin: dict[str, Any], code: str) -> dict[str, Any] | None:
    """One code's figures transcript by transcript (None if neither coder applied it)."""
    found = next((c for c in twin["codes"] if format_path(c["code"]) == code), None)
    if found is None:
        return None
    counts: Counter[int] = Counter(
        d["transcript_id"] for d in twin["disagreements"] if format_path(d["code"]) == code
    )
    return {
        "code": code,
        "transcripts": [
            {
                "transcript_id": s["transcript_id"],
                "participant": s["participant"],
                **s["result"],
                "disagreements": counts[s["transcript_id"]],
                "reconcile": f"/reconcile/{s['transcript_id']}",
            }
            for s in found["characters"]
        ],
    }


def agreement(study: MemberStudy, **query: str | None) -> dict[str, Any]:
    """The agreement page: the twin's figures, or a notice when there is nothing to compare."""
    level = ctx.level_of(query.get("level"), Level.ONE)
    scope = ctx.choice("scope", query.get("scope"), ctx.SCOPES)
    convention = ctx.choice("convention", query.get("convention"), ctx.CONVENTIONS)
    try:
        twin = ctx.agreement(study, **query)
    except ctx.NothingToCompare as e:
        return {
            "coders": ctx.coders(study),
            "ready": False,
            "notice": str(e),
            "a": query.get("a") or "",
            "b": query.get("b") or "",
            "level": int(level),
            "scope": scope,
            "convention": convention,
        }
    code = ctx.name_of("code", query.get("code"))
    return {
        "coders": ctx.coders(study),
        "ready": True,
        "a": twin["coder_a"],
        "b": twin["coder_b"],
        "level": twin["level"],
        "scope": twin["scope"],
        "convention": twin["convention"],
        "transcripts": len(twin["transcripts"]),
        "participants": twin["participants"],
        "turns": twin["turns"],
        "pooled": {
            "characters": twin["pooled_characters"],
            "participants": twin["pooled_participants"],
            "turns": twin["pooled_turns"],
        },
        "codes": [
            {
                "code": format_path(c["code"]),
                "transcripts": len(c["characters"]),
                "characters": c["characters_overall"],
                "participants": c["participants"],
                "turns": c["turns"],
            }
            for c in twin["codes"]
        ],
        "disagreements": _disagreements(twin),
        "filter": code,
        "code": _one_code(twin, code) if code else None,
        "method": twin["method"],
    }


# -- counts ----------------------------------------------------------------------------------


def counts(study: MemberStudy, level: str | None, by: str | None) -> dict[str, Any]:
    twin = ctx.counts(study, level, by)
    themes, codes = row_ids(study, Level(twin["level"]))

    def link(node: dict[str, Any], value: str | None, n: int) -> str | None:
        """The quotes behind a count (``value`` None: n/N, everyone), none for an empty one."""
        found = (themes if node["kind"] == "theme" else codes).get(tuple(node["path"]))
        if found is None or not n:
            return None
        by = twin["attribute"] if value is not None else None
        return cell_href(node["kind"], found, twin["level"], by, value)

    def rows(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for node in nodes:
            out.append(
                {
                    **node,
                    "label": node["path"][-1],
                    "path": format_path(node["path"]),
                    "phrase": node["phrase"].rsplit(" (", 1)[0],
                    "href": link(node, None, node["rolled_up"]),
                    "by_group": [
                        {**g, "href": link(node, g["value"], g["n"])} for g in node["by_group"]
                    ],
                }
            )
        return out

    return {
        **twin,
        "attributes": _attributes(study),
        "themes": rows(twin["themes"]),
        "codes": rows(twin["codes"]),
        "groups": [{"value": v, "total": n} for v, n in twin["groups"]],
    }


# -- matrix ----------------------------------------------------------------------------------


def matrix(study: MemberStudy, **query: str | None) -> dict[str, Any]:
    twin = ctx.matrix(study, **query)
    nodes, codes = row_ids(study, Level(twin["level"]))

    def cells(row: dict[str, Any]) -> list[dict[str, Any]]:
        """Each cell with a link to the codings behind it (none for an empty cell)."""
        ids = nodes if row["kind"] == "theme" else codes
        found = ids.get(tuple(row["path"]))
        return [
            {
                **c,
                "href": cell_href(row["kind"], found, twin["level"], twin["attribute"], c["value"])
                if found is not None and c["codings"]
                else None,
            }
            for c in row["cells"]
        ]

    return {
        "by": twin["attribute"],
        "attributes": _attributes(study),
        "level": twin["level"],
        "rows_shown": ctx.choice("rows", query.get("rows"), ctx.ROW_KINDS),
        "values": [{"value": v, "total": n} for v, n in twin["values"]],
        "rows": [
            {
                "kind": row["kind"],
                "path": format_path(row["path"]),
                "label": row["path"][-1],
                "depth": len(row["path"]),
                "cells": cells(row),
            }
            for row in twin["rows"]
        ],
    }


# -- saturation ------------------------------------------------------------------------------


def saturation(study: MemberStudy, **query: str | None) -> dict[str, Any]:
    twin = ctx.saturation(study, **query)
    return {
        **twin,
        "interviews": [
            {
                **s,
                "participant": s["participant"] or f"Transcript {s['transcript_id']}",
                "date": s["interview_date"],
            }
            for s in twin["interviews"]
        ],
        "threshold": threshold_percent(twin["guest"]["threshold"]).removesuffix("%"),
    }


# -- co-occurrence ---------------------------------------------------------------------------


def cooccurrence(study: MemberStudy, level: str | None) -> dict[str, Any]:
    twin = ctx.cooccurrence(study, level)
    pairs = [{**p, "a": format_path(p["a"]), "b": format_path(p["b"])} for p in twin["pairs"]]
    data = {
        "level": twin["level"],
        "turns": twin["turns"],
        "codes": sorted({p["a"] for p in pairs} | {p["b"] for p in pairs}),
        "pairs": pairs,
        "method": twin["method"],
    }
    _themes, ids = row_ids(study, Level(twin["level"]))
    by_path = {format_path(p): i for p, i in ids.items()}
    grid = heat(data)
    for row, cells in zip(data["codes"], grid, strict=True):
        for col, cell in zip(data["codes"], cells, strict=True):
            a, b = by_path.get(row), by_path.get(col)
            linked = cell["count"] and not cell["self"] and a is not None and b is not None
            cell["href"] = pair_href(a, b, twin["level"]) if linked else None  # type: ignore[arg-type]
    for p in pairs:
        a, b = by_path.get(p["a"]), by_path.get(p["b"])
        p["href"] = pair_href(a, b, twin["level"]) if a is not None and b is not None else None
    return {**data, "heat": grid}


def heat(data: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The co-occurrence matrix for the page: a row per code, a cell per code, each with its
    count and a shade from 0 (none) to 5 (the most frequent pair)."""
    codes: list[str] = data["codes"]
    count = {(p["a"], p["b"]): p["turns_both"] for p in data["pairs"]}
    peak = max((p["turns_both"] for p in data["pairs"]), default=0)
    out = []
    for row in codes:
        cells = []
        for col in codes:
            n = count.get((row, col)) or count.get((col, row)) or 0
            shade = 0 if row == col or n == 0 else max(1, round(5 * n / peak))
            cells.append({"count": n, "shade": shade, "self": row == col})
        out.append(cells)
    return out
