"""The analysis pages' JSON twins: each analysis computed once through the member's study and
serialised by :mod:`thematica.serialise`, the same serialiser as the CLI's ``--format json``,
so the twin of a page and the CLI's JSON with the same parameters are the same document. The
pages are drawn from the twin (:mod:`thematica.web.analysis_pages`). Parameters come as text
and are checked here, so a bad one gets the same message on the page and in the API.

Figures stay raw numbers (``None`` where a coefficient is undefined). Transcript text (the
agreement's disagreements) is kept only for the transcripts the member may read, and an
uncoded transcript is named by its participant only, for a member who sees anonymised text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from thematica import serialise
from thematica.domain import Level, MemberRole, format_path, parse_path
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.acting import MemberStudy

LONGEST = 200  # characters in a name or attribute given as a parameter
SCOPES = ("either", "both")
CONVENTIONS = ("applied", "nvivo")
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
        percent = Decimal(text.strip()[:40])
    except InvalidOperation:
        raise ThematicaError(f"{name} is a percentage such as 5") from None
    if not percent.is_finite() or not 0 <= percent < 100:
        raise ThematicaError(f"{name} is a percentage, at least 0 and below 100")
    return float(str(percent / 100))  # 0.5 is 0.005 exactly, as the CLI would take it


def name_of(what: str, text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if len(text) > LONGEST:
        raise ThematicaError(f"the {what} is longer than {LONGEST} characters")
    return " ".join(text.split())


def choice(what: str, text: str | None, choices: tuple[str, ...]) -> str:
    if text is None or not text.strip():
        return choices[0]
    if text.strip() not in choices:
        raise ThematicaError(f"{what} must be one of {', '.join(choices)}")
    return text.strip()


def coders(study: MemberStudy) -> list[str]:
    return [m.name for m in study.team() if m.role in (MemberRole.LEAD, MemberRole.CODER)]


# -- what the member may see -----------------------------------------------------------------


def reader(study: MemberStudy, *, texts: bool = False) -> serialise.Reader:
    """The member as the serialiser needs them: the transcripts whose text they may read (asked
    only when ``texts``), and the labels an uncoded transcript may be named by."""
    readable = study.readable_transcripts() if texts else set()
    labels = (
        None
        if study.sees_originals
        else frozenset(t.participant for t in study.transcripts() if t.participant)
    )
    return serialise.Reader(None if readable is None else frozenset(readable), labels)


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


def agreement(
    study: MemberStudy,
    a: str | None = None,
    b: str | None = None,
    level: str | None = None,
    scope: str | None = None,
    code: str | None = None,
    convention: str | None = None,
) -> dict[str, Any]:
    """Two coders' agreement (``code``: that code and its sub-codes only, as the CLI's
    ``--code``); :class:`NothingToCompare` when fewer than two coders have coded."""
    lvl = level_of(level, Level.ONE)
    _blind_check(study, lvl)
    mode = choice("scope", scope, SCOPES)
    chosen = choice("convention", convention, CONVENTIONS)
    wanted = name_of("code", code)
    coder_a, coder_b = _pair(study, name_of("coder", a), name_of("coder", b), lvl)
    report = study.agreement(
        coder_a,
        coder_b,
        level=lvl,
        scope=mode,
        code=parse_path(wanted) if wanted else None,
        convention=chosen,
    )
    return serialise.agreement(
        report, scope=mode, convention=chosen, reader=reader(study, texts=True)
    )


def transcript_agreement(
    study: MemberStudy,
    ref: str,
    a: str | None = None,
    b: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, Level.ONE)
    _blind_check(study, lvl)
    coder_a, coder_b = _pair(study, name_of("coder", a), name_of("coder", b), lvl)
    return serialise.transcript_agreement(
        study.transcript_agreement(ref, coder_a, coder_b, level=lvl)
    )


# -- counts, matrix, saturation, co-occurrence -----------------------------------------------


def counts(study: MemberStudy, level: str | None = None, by: str | None = None) -> dict[str, Any]:
    lvl = level_of(level, Level.TWO)
    _blind_check(study, lvl, "counts")
    return serialise.counts(study.counts(level=lvl, by=name_of("attribute", by)))


def matrix(
    study: MemberStudy,
    by: str | None = None,
    level: str | None = None,
    rows: str | None = None,
) -> dict[str, Any]:
    lvl = level_of(level, Level.TWO)
    _blind_check(study, lvl, "counts")
    attribute = name_of("attribute", by) or "group"
    kind = choice("rows", rows, ROW_KINDS)
    return serialise.matrix(study.matrix(attribute, level=lvl, rows=kind))


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
    return serialise.saturation(report, reader=reader(study))


def cooccurrence(study: MemberStudy, level: str | None = None) -> dict[str, Any]:
    lvl = level_of(level, Level.TWO)
    _blind_check(study, lvl, "co-occurrence")
    return serialise.cooccurrence(study.cooccurrence(level=lvl))


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
        figures: dict[str, Any] | None = agreement(study)
    except ThematicaError:  # blind coding (not for this member), or nothing to compare
        figures = None
    if figures is not None:
        summary["agreement"] = {
            "a": figures["coder_a"],
            "b": figures["coder_b"],
            "pooled_kappa": figures["pooled_characters"]["pooled_kappa"],
            "turn_kappa": figures["pooled_turns"]["coefficients"]["cohen_kappa"],
            "disagreements": len(figures["disagreements"]),
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
