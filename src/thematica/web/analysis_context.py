"""What each analysis page shows, built once from the service: the HTML page renders it and the
page's JSON twin returns it as it is. Figures stay raw numbers here (``None`` where a
coefficient is undefined); the templates round them as the CLI does.

Nothing here carries transcript text: the agreement figures name transcripts by participant
label and id only, so every member, anonymised-only or not, may read them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from thematica.analysis.quantifiers import quantify
from thematica.analysis.reports import AgreementReport, CodeAgreement
from thematica.domain import Level, MemberRole, format_path, parse_path
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.acting import MemberStudy

LONGEST = 200  # characters in a name or attribute given as a parameter
SCOPES = ("either", "both")
ROW_KINDS = ("auto", "themes", "codes")


# -- parameters ------------------------------------------------------------------------------


def level_of(text: str | None, default: Level) -> Level:
    if text is None or not text.strip():
        return default
    if text.strip() not in ("1", "2"):
        raise ThematicaError(
            f"level must be 1 (coders' codes) or 2 (agreed codes), not {text[:20]!r}"
        )
    return Level(int(text))


def whole(name: str, text: str | None, default: int) -> int:
    if text is None or not text.strip():
        return default
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6 or int(value) < 1:
        raise ThematicaError(
            f"{name} is a whole number of interviews, at least 1, not {text[:20]!r}"
        )
    return int(value)


def share(name: str, text: str | None, default: float) -> float:
    """A proportion given as a percentage (``5`` for 5 %)."""
    if text is None or not text.strip():
        return default
    try:
        percent = float(text.strip())
    except ValueError:
        raise ThematicaError(f"{name} is a percentage such as 5") from None
    if not 0 <= percent < 100:  # also false for NaN
        raise ThematicaError(f"{name} is a percentage, at least 0 and below 100")
    return percent / 100


def _name(what: str, text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if len(text) > LONGEST:
        raise ThematicaError(f"the {what} is longer than {LONGEST} characters")
    return " ".join(text.split())


def _choice(what: str, text: str | None, choices: tuple[str, ...]) -> str:
    if text is None or not text.strip():
        return choices[0]
    if text.strip() not in choices:
        raise ThematicaError(f"{what} must be one of {', '.join(choices)}")
    return text.strip()


def coders(study: MemberStudy) -> list[str]:
    return [m.name for m in study.team() if m.role in (MemberRole.LEAD, MemberRole.CODER)]


# -- agreement -------------------------------------------------------------------------------


def _blind_check(study: MemberStudy, level: Level, what: str = "agreement") -> None:
    """Checked before the pair of coders is chosen, so a blind coder is told why (the service
    checks it again when the figures are computed)."""
    study.require_level_open(level, what)


def _open_level(study: MemberStudy) -> Level:
    """Level one where the member may see it, else the agreed level two (a page's default)."""
    return Level.TWO if study.blind else Level.ONE


class NothingToCompare(NotFoundError):
    """Fewer than two coders have codings at the level asked for."""


def _pair(study: MemberStudy, a: str | None, b: str | None, level: Level) -> tuple[str, str]:
    """The two coders to compare: as given, else the first leads/coders with codings."""
    if a and b:
        return a, b
    active = [c for c in study.coders_with_codings(level=level) if c not in (a, b)]
    chosen = [x for x in (a, b) if x] + active
    if len(chosen) < 2:
        raise NothingToCompare(
            f"fewer than two coders have level-{int(level)} codings, so there is nothing to compare"
        )
    return chosen[0], chosen[1]


def _code_row(c: CodeAgreement) -> dict[str, Any]:
    return {
        "code": format_path(c.code),
        "path": list(c.code),
        "transcripts": len(c.characters),
        "characters": asdict(c.characters_overall),
        "participants": asdict(c.participants),
        "turns": asdict(c.turns),
    }


def _disagreements(report: AgreementReport) -> dict[str, Any]:
    by_transcript: Counter[int] = Counter(d.transcript_id for d in report.disagreements)
    label = {d.transcript_id: d.participant for d in report.disagreements}
    return {
        "total": len(report.disagreements),
        "kinds": {
            kind: sum(1 for d in report.disagreements if d.kind == kind)
            for kind in ("only_a", "only_b", "boundaries")
        },
        "by_transcript": [
            {
                "transcript_id": tid,
                "participant": label[tid],
                "count": by_transcript[tid],
                "reconcile": f"/reconcile/{tid}",
            }
            for tid in report.transcripts
            if by_transcript[tid]
        ],
    }


def _one_code(report: AgreementReport, code: str) -> dict[str, Any]:
    path = parse_path(code)
    found = next((c for c in report.codes if c.code == path), None)
    if found is None:
        raise NotFoundError(
            f"neither {report.coder_a} nor {report.coder_b} applied a level-{int(report.level)} "
            f"code {format_path(path)!r}"
        )
    counts: Counter[int] = Counter(d.transcript_id for d in report.disagreements if d.code == path)
    return {
        "code": format_path(path),
        "transcripts": [
            {
                "transcript_id": s.transcript_id,
                "participant": s.participant,
                **asdict(s.result),
                "disagreements": counts[s.transcript_id],
                "reconcile": f"/reconcile/{s.transcript_id}",
            }
            for s in found.characters
        ],
    }


def agreement(
    study: MemberStudy,
    a: str | None = None,
    b: str | None = None,
    level: str | None = None,
    scope: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, Level.ONE)
    _blind_check(study, lvl)
    mode = _choice("scope", scope, SCOPES)
    try:
        coder_a, coder_b = _pair(study, _name("coder", a), _name("coder", b), lvl)
    except NothingToCompare as e:
        return {
            "coders": coders(study),
            "ready": False,
            "notice": str(e),
            "a": a or "",
            "b": b or "",
            "level": int(lvl),
            "scope": mode,
        }
    report = study.agreement(coder_a, coder_b, level=lvl, scope=mode)
    wanted = _name("code", code)
    return {
        "coders": coders(study),
        "ready": True,
        "a": report.coder_a,
        "b": report.coder_b,
        "level": int(lvl),
        "scope": mode,
        "transcripts": len(report.transcripts),
        "participants": report.participants,
        "turns": report.turns,
        "pooled": {
            "characters": asdict(report.pooled_characters),
            "participants": asdict(report.pooled_participants),
            "turns": asdict(report.pooled_turns),
        },
        "codes": [_code_row(c) for c in report.codes],
        "disagreements": _disagreements(report),
        "code": _one_code(report, wanted) if wanted else None,
        "method": list(report.method),
    }


def transcript_agreement(
    study: MemberStudy,
    ref: str,
    a: str | None = None,
    b: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, Level.ONE)
    _blind_check(study, lvl)
    coder_a, coder_b = _pair(study, _name("coder", a), _name("coder", b), lvl)
    r = study.transcript_agreement(ref, coder_a, coder_b, level=lvl)
    return {
        "a": r.coder_a,
        "b": r.coder_b,
        "level": int(r.level),
        "transcript_id": r.transcript_id,
        "participant": r.participant,
        "length": r.length,
        "turns": r.turns,
        "coded_by_a": r.coded_by_a,
        "coded_by_b": r.coded_by_b,
        "codes": [
            {
                "code": format_path(c.code),
                "characters": asdict(c.characters),
                "turns": asdict(c.turns),
                "disagreements": c.disagreements,
            }
            for c in r.codes
        ],
        "pooled": {"characters": asdict(r.pooled_characters), "turns": asdict(r.pooled_turns)},
        "disagreements": r.disagreements,
        "reconcile": f"/reconcile/{r.transcript_id}",
        "method": list(r.method),
    }


# -- matrix ----------------------------------------------------------------------------------


def matrix(
    study: MemberStudy,
    by: str | None = None,
    level: str | None = None,
    rows: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, Level.TWO)
    _blind_check(study, lvl, "counts")
    attribute = _name("attribute", by) or "group"
    kind = _choice("rows", rows, ROW_KINDS)
    report = study.matrix(attribute, level=lvl, rows=kind)
    return {
        "by": report.attribute,
        "attributes": ["group", *(d.name for d in study.attribute_defs())],
        "level": int(report.level),
        "rows_shown": kind,
        "values": [{"value": v, "total": n} for v, n in report.values],
        "rows": [
            {
                "kind": row.kind,
                "path": format_path(row.path),
                "label": row.path[-1],
                "depth": len(row.path),
                "cells": [
                    {
                        **asdict(cell),
                        "phrase": quantify(cell.participants, cell.total) if cell.total else "",
                    }
                    for cell in row.cells
                ],
            }
            for row in report.rows
        ],
    }


# -- saturation ------------------------------------------------------------------------------


def saturation(
    study: MemberStudy,
    level: str | None = None,
    base: str | None = None,
    run: str | None = None,
    threshold: str | None = None,
    initial: str | None = None,
    stop: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, _open_level(study))
    _blind_check(study, lvl, "saturation")
    report = study.saturation(
        level=lvl,
        base=whole("base", base, 4),
        run=whole("run", run, 2),
        threshold=share("threshold", threshold, 0.05),
        initial=whole("initial", initial, 10),
        stop=whole("stop", stop, 3),
    )
    labels = {t.participant for t in study.transcripts() if t.participant}
    waiting = [
        name if name in labels or study.sees_originals else "a transcript with no participant"
        for name in report.not_yet_coded
    ]
    return {
        "level": int(report.level),
        "order": report.order,
        "interviews": [
            {
                "position": s.position,
                "transcript_id": s.transcript_id,
                "participant": s.participant or f"Transcript {s.transcript_id}",
                "date": s.interview_date.isoformat() if s.interview_date else None,
                "codes": s.codes,
                "new": s.new,
                "cumulative": s.cumulative,
            }
            for s in report.interviews
        ],
        "total_codes": report.interviews[-1].cumulative if report.interviews else 0,
        "not_yet_coded": waiting,
        "guest": asdict(report.guest),
        "francis": asdict(report.francis),
        "method": list(report.method),
    }


# -- co-occurrence ---------------------------------------------------------------------------


def cooccurrence(study: MemberStudy, level: str | None = None) -> dict[str, Any]:
    lvl = level_of(level, Level.TWO)
    _blind_check(study, lvl, "co-occurrence")
    report = study.cooccurrence(level=lvl)
    pairs = [
        {
            "a": format_path(p.a),
            "b": format_path(p.b),
            "turns_both": p.turns_both,
            "turns_either": p.turns_either,
            "jaccard": p.jaccard,
            "overlapping_codings": p.overlapping_codings,
        }
        for p in report.pairs
    ]
    return {
        "level": int(report.level),
        "turns": report.turns,
        "codes": sorted({p["a"] for p in pairs} | {p["b"] for p in pairs}),
        "pairs": pairs,
        "method": list(report.method),
    }


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


# -- the index -------------------------------------------------------------------------------


def index(study: MemberStudy) -> dict[str, Any]:
    """The analysis index with a few headline figures (each left out if it cannot be had)."""
    summary: dict[str, Any] = {}
    try:
        sat = study.saturation(level=_open_level(study))
        summary["saturation"] = {
            "level": int(sat.level),
            "guest": sat.guest.notation,
            "interviews": len(sat.interviews),
            "codes": sat.interviews[-1].cumulative if sat.interviews else 0,
        }
    except ThematicaError:
        pass
    try:
        figures = agreement(study)
    except ThematicaError:  # blind coding: not for this member
        figures = {"ready": False}
    if figures["ready"]:
        summary["agreement"] = {
            "a": figures["a"],
            "b": figures["b"],
            "pooled_kappa": figures["pooled"]["characters"]["pooled_kappa"],
            "turn_kappa": figures["pooled"]["turns"]["coefficients"]["cohen_kappa"],
            "disagreements": figures["disagreements"]["total"],
        }
    try:
        groups = study.matrix("group").values
        if groups:
            summary["matrix"] = {"groups": [{"value": v, "total": n} for v, n in groups]}
    except ThematicaError:
        pass
    pairs = study.cooccurrence(level=Level.TWO).pairs
    if pairs:
        summary["cooccurrence"] = {
            "a": format_path(pairs[0].a),
            "b": format_path(pairs[0].b),
            "turns_both": pairs[0].turns_both,
        }
    return {
        "attributes": ["group", *(d.name for d in study.attribute_defs())],
        "summary": summary,
    }
