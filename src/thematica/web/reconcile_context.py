"""What the reconciliation pages show, built once for the page and its JSON twin."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from thematica.analysis.coefficients import CharacterAgreement
from thematica.domain import Level, MemberRole, Turn, format_path
from thematica.service.acting import MemberStudy
from thematica.service.reconcile import Item

CONTEXT = 90  # characters of surrounding text shown on each side of a disagreement


def figure(value: float | None, digits: int = 3) -> str:
    return "undefined" if value is None else f"{value:.{digits}f}"


def _agreement(result: CharacterAgreement) -> dict[str, Any]:
    return {
        "percent": result.percent_agreement,
        "kappa": result.kappa,
        "shown": f"{figure(result.percent_agreement, 1)} % · κ {figure(result.kappa)}",
        "both": result.both,
        "a_only": result.a_only,
        "b_only": result.b_only,
    }


def _marked(
    text: str, start: int, end: int, spans: tuple[tuple[int, int], ...]
) -> list[dict[str, Any]]:
    """``text[start:end]`` cut into runs, each marked if one of ``spans`` covers it."""
    cuts = sorted({start, end, *(max(start, min(end, x)) for s in spans for x in s)})
    runs = []
    for lo, hi in itertools.pairwise(cuts):
        if lo < hi:
            runs.append({"text": text[lo:hi], "marked": any(s <= lo and hi <= e for s, e in spans)})
    return runs


def _window(turns: Sequence[Turn], start: int, end: int, length: int) -> tuple[int, int]:
    """The turns a span lies in, from the first one's start to the last one's end: where the
    agreed coding's boundaries may be set (the whole text when no turn holds the span)."""
    inside = [t for t in turns if t.start < end and start < t.end]
    if not inside:
        return 0, length
    return min(start, inside[0].start), max(end, inside[-1].end)


def _pick(text: str, turns: Sequence[Turn], item: Item) -> dict[str, Any]:
    """The words the "Edit the agreed coding" dialog sets boundaries in (issue 14, item 3): the
    turns around the disagreement, split where it starts and ends. The page shows words, never
    offsets; ``base`` lets its script turn a selection back into the transcript's offsets."""
    first, last = _window(turns, item.start, item.end, len(text))
    return {
        "base": first,
        "before": text[first : item.start],
        "inside": text[item.start : item.end],
        "after": text[item.end : last],
    }


def _item(text: str, item: Item, position: int, turns: Sequence[Turn]) -> dict[str, Any]:
    before = text[max(0, item.start - CONTEXT) : item.start]
    after = text[item.end : item.end + CONTEXT]
    decision = item.decision
    return {
        "number": position,
        "code": format_path(item.code),
        "kind": item.kind,
        "start": item.start,
        "end": item.end,
        "text": item.text,
        "a": [list(s) for s in item.a],
        "b": [list(s) for s in item.b],
        "a_runs": _marked(text, item.start, item.end, item.a),
        "b_runs": _marked(text, item.start, item.end, item.b),
        "before": ("…" if item.start > CONTEXT else "") + before,
        "after": after + ("…" if item.end + CONTEXT < len(text) else ""),
        "pick": _pick(text, turns, item),
        "agreed_code": format_path(item.agreed_code)
        if item.agreed_code
        else format_path(item.code),
        "agreed_exists": item.agreed_code is not None,
        "decision": None
        if decision is None
        else {
            "id": decision.id,
            "decision": decision.decision,
            "by": decision.by,
            "at": decision.at.strftime("%Y-%m-%d %H:%M"),
            "version": decision.at.isoformat(),
            "codings": list(decision.codings),
        },
    }


KINDS = {
    "only_a": "only {a} coded this",
    "only_b": "only {b} coded this",
    "boundaries": "both coded this, with different boundaries",
}
DECIDED = {
    "accept_a": "accepted {a}'s coding",
    "accept_b": "accepted {b}'s coding",
    "both": "accepted both codings",
    "edit": "edited the agreed coding",
    "drop": "dropped it",
}


def transcript(study: MemberStudy, ref: str, coders: tuple[str, str] | None) -> dict[str, Any]:
    """One transcript's reconciliation. While the study codes blind, a coder is not given the
    study's agreement (it would tell them about transcripts not yet revealed)."""
    r = study.reconciliation(ref, coders=coders)
    t = study.transcript(str(r.transcript_id))
    items = [_item(t.text, item, n, t.turns) for n, item in enumerate(r.items, start=1)]
    for i in items:
        i["kind_text"] = KINDS[i["kind"]].format(a=r.coder_a, b=r.coder_b)
        if i["decision"]:
            i["decision"]["text"] = DECIDED[i["decision"]["decision"]].format(
                a=r.coder_a, b=r.coder_b
            )
    return {
        "transcript": {"id": r.transcript_id, "participant": r.participant or t.source_name},
        "coder_a": r.coder_a,
        "coder_b": r.coder_b,
        "coders": [m.name for m in study.team() if m.role is not MemberRole.READER],
        "pending": r.pending,
        "decided": len(r.items) - r.pending,
        "items": items,
        "figures": [{"code": format_path(f.code), **_agreement(f.agreement)} for f in r.figures],
        "transcript_agreement": _agreement(r.pooled),
        "study_agreement": None if study.blind else _study(study, r.coder_a, r.coder_b),
        "agreed_codes": [format_path(c.path) for c in study.codes(Level.TWO, counted=False)],
        "agreements": {"count": len(r.agreements), "carried": r.carried},
    }


def _study(study: MemberStudy, a: str, b: str) -> dict[str, Any]:
    report = study.agreement(a, b, disagreements=False)  # figures only
    pooled = report.pooled_characters
    return {
        "pooled_percent": pooled.pooled_percent,
        "pooled_kappa": pooled.pooled_kappa,
        "shown": f"{figure(pooled.pooled_percent, 1)} % · κ {figure(pooled.pooled_kappa)}",
        "participants_kappa": report.pooled_participants.coefficients.cohen_kappa,
        "transcripts": len(report.transcripts),
    }


def overview(study: MemberStudy) -> dict[str, Any]:
    """Every transcript's reconciliation status; a member opens those they may read."""
    readable = study.readable_transcripts()
    return {
        "transcripts": [
            {
                "id": s.transcript_id,
                "participant": s.participant or f"Transcript {s.transcript_id}",
                "coders": list(s.coders),
                "revealed": s.revealed,
                "disagreements": s.disagreements,
                "decided": s.decided,
                "open": len(s.coders) >= 2 and (readable is None or s.transcript_id in readable),
            }
            for s in study.reconciliation_status()
        ],
        "blind": study.blind_coding(),
        "reveal_requires_checked": study.reveal_requires_checked(),  # the lead's rule (issue 16)
        "can_set_rule": study.is_lead,
    }
