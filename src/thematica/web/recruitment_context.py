"""The data of the recruitment page and of the overview's stopping view, built once for the
page and its JSON twin (issue 18)."""

from __future__ import annotations

from typing import Any

from thematica.analysis.stopping import StoppingView
from thematica.errors import AccessDenied
from thematica.service.acting import MemberStudy
from thematica.service.recruitment_types import MOVES, RecruitmentLog, status_name

CURVE_W, CURVE_H, PAD = 320, 90, 8


def curve(view: StoppingView) -> dict[str, Any]:
    """The cumulative code curve and new codes per interview as SVG geometry (no script)."""
    n = len(view.cumulative)
    peak = max(view.cumulative, default=0) or 1
    band = (CURVE_W - 2 * PAD) / max(n, 1)
    height = CURVE_H - 2 * PAD

    def y(value: int) -> float:
        return round(PAD + height - value / peak * height, 1)

    points = [(round(PAD + (i + 0.5) * band, 1), y(c)) for i, c in enumerate(view.cumulative)]
    return {
        "width": CURVE_W,
        "height": CURVE_H,
        "points": " ".join(f"{x},{py}" for x, py in points),
        "bars": [
            {
                "x": round(PAD + i * band + band * 0.2, 1),
                "y": y(new),
                "width": round(band * 0.6, 1),
                "height": round(PAD + height - y(new), 1),
                "new": new,
                "number": i + 1,
            }
            for i, new in enumerate(view.new)
        ],
        "desc": (
            f"Cumulative codes over {n} interviews: "
            + ", ".join(str(c) for c in view.cumulative)
            + "."
            if n
            else "No interview has been coded yet."
        ),
    }


def stopping(study: MemberStudy) -> dict[str, Any]:
    """The overview's stopping view: interviews done of the maximum, the curve, the verdict,
    and the lead's decision to stop once recorded. A blind coder sees that it is closed."""
    try:
        view = study.stopping_view()
    except AccessDenied as exc:
        return {"closed": str(exc)}
    decision = study.service.recruitment_plan().decision
    return {
        "interviews": view.interviews,
        "maximum": view.maximum,
        "rule": view.rule.describe(),
        "reached": view.reached,
        "at": view.at,
        "more": view.more,
        "message": view.message,
        "new": list(view.new),
        "cumulative": list(view.cumulative),
        "curve": curve(view),
        "decision": None
        if decision is None
        else {
            "at": decision.at.strftime("%Y-%m-%d"),
            "by": decision.by,
            "memo": decision.memo,
            "interviews": decision.interviews,
            "verdict": decision.verdict,
        },
    }


def page(log: RecruitmentLog, study: MemberStudy) -> dict[str, Any]:
    """The recruitment page (a lead's): plan, criteria, candidates, flow, stopping view."""
    plan = log.plan
    candidates = [
        {
            "ref": c.ref,
            "group": c.group,
            "source": c.source,
            "approach": c.approach,
            "approached": c.approached_on.isoformat(),
            "status": c.status,
            "status_name": status_name(c.status),
            "since": c.status_on.isoformat(),
            "reason": c.reason,
            "excluded_by": c.excluded_by,
            "answers": dict(c.answers),
            "participant": c.participant,
            "consent": None
            if c.consent is None
            else {
                "on": c.consent.on.isoformat(),
                "sheet": c.consent.sheet_version,
                "form": c.consent.form_version,
                "kept_at": c.consent.form_location,
                "recorded_by": c.consent.recorded_by,
            },
        }
        for c in log.candidates
    ]
    return {
        "plan": {
            "maximum": plan.maximum,
            "rule": plan.rule.rule,
            "base": plan.rule.base,
            "run": plan.rule.run,
            "threshold": plan.rule.threshold,
            "initial": plan.rule.initial,
            "stop": plan.rule.stop,
            "describe": plan.rule.describe(),
            "sampling": plan.sampling,
            "setting": plan.setting,
        },
        "criteria": [{"key": c.key, "kind": c.kind, "text": c.text} for c in log.criteria],
        "candidates": candidates,
        "flow": [
            {"name": s.name, "count": s.count, "left": [{"reason": r, "n": n} for r, n in s.left]}
            for s in log.flow.stages
        ],
        "waiting": log.flow.waiting,
        "to_screen": [c["ref"] for c in candidates if c["status"] == "approached"],
        "to_consent": [c["ref"] for c in candidates if c["status"] == "eligible"],
        "movable": [
            c["ref"] for c in candidates if any(c["status"] in froms for froms in MOVES.values())
        ],
        "moves": [{"value": s, "name": status_name(s)} for s in MOVES],
        "stopping": stopping(study),
    }
