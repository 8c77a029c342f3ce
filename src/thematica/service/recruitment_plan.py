"""The sample-size plan, the stopping view and the lead's decision to stop (issue 18, item 2),
and the recruitment flow the report draws. Each function runs in the caller's session."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy.orm import Session

from thematica.analysis.stopping import RULES, StoppingRule, StoppingView, stopping_view
from thematica.domain import Level
from thematica.errors import ThematicaError
from thematica.service import analysis as an
from thematica.service import audit
from thematica.service import recruitment as log
from thematica.service.recruitment_checks import no_contact
from thematica.service.recruitment_types import (
    APPROACHED,
    CONSENTED,
    DECLINED,
    ELIGIBLE,
    INELIGIBLE,
    LOST,
    WITHDRAWN,
    Candidate,
    Flow,
    Plan,
    PlanChange,
    RecruitmentLog,
    Stage,
    StopDecision,
)
from thematica.storage.models import RecruitmentPlanRow

MAX_MEMO = 10_000


def plan(session: Session) -> Plan:
    row = session.get(RecruitmentPlanRow, 1)
    if row is None:
        return Plan()
    decision = None
    if row.stopped_at is not None:
        decision = StopDecision(
            row.stopped_at,
            row.stopped_by or "",
            row.stop_memo or "",
            row.stop_interviews or 0,
            row.stop_verdict or "",
        )
    return Plan(
        maximum=row.maximum,
        rule=StoppingRule(row.rule, row.base, row.run, float(row.threshold), row.initial, row.stop),
        sampling=row.sampling,
        setting=row.setting,
        decision=decision,
    )


def _row(session: Session) -> RecruitmentPlanRow:
    row = session.get(RecruitmentPlanRow, 1)
    if row is None:
        row = RecruitmentPlanRow(
            id=1, rule="guest", base=4, run=2, threshold="0.05", initial=10, stop=3
        )
        session.add(row)
    return row


def set_plan(session: Session, change: PlanChange) -> Plan:
    row = _row(session)
    if change.rule is not None:
        if change.rule not in RULES:
            raise ThematicaError(f"stopping rule {change.rule!r}: {' or '.join(RULES)}")
        row.rule = change.rule
    if change.maximum is not None:
        if change.maximum < 1:
            raise ThematicaError(
                f"the planned maximum is at least 1 interview; got {change.maximum}"
            )
        row.maximum = change.maximum
    for name in ("base", "run", "initial", "stop"):
        value = getattr(change, name)
        if value is not None:
            if value < 1:
                raise ThematicaError(f"{name} is a whole number of interviews, at least 1")
            setattr(row, name, value)
    if change.threshold is not None:
        if not 0 <= change.threshold < 1:
            raise ThematicaError(
                f"the new-information threshold is at least 0 and below 1 (0.05 for 5 %); "
                f"got {change.threshold}"
            )
        row.threshold = str(change.threshold)
    if change.sampling is not None:
        row.sampling = no_contact("the sampling description", change.sampling)
    if change.setting is not None:
        row.setting = no_contact("the setting", change.setting)
    session.flush()
    audit.record(session, action="recruitment.plan", target="study", details={"rule": row.rule})
    return plan(session)


def new_codes(session: Session) -> list[int]:
    """New level-one codes per coded interview, in interview order (or level two when the study
    has no level-one codings), as the saturation report counts them."""
    report = an.saturation_report(session, Level.ONE)
    if not report.interviews:
        other = an.saturation_report(session, Level.TWO)
        if other.interviews:
            report = other
    return [s.new for s in report.interviews]


def view(session: Session) -> StoppingView:
    current = plan(session)
    return stopping_view(new_codes(session), current.rule, current.maximum)


def record_stop(session: Session, by: str, memo: str) -> Plan:
    """A lead's decision to stop recruiting, with a memo; the report cites it."""
    memo = memo.strip()
    if not memo:
        raise ThematicaError("say why recruitment stops: the memo is cited by the report")
    if len(memo) > MAX_MEMO:
        raise ThematicaError(f"the memo is at most {MAX_MEMO:,} characters")
    current = plan(session)
    if current.decision is not None:
        raise ThematicaError(
            f"{current.decision.by} already recorded the decision to stop on "
            f"{current.decision.at:%Y-%m-%d}"
        )
    now = view(session)
    row = _row(session)
    row.stopped_at = dt.datetime.now(dt.UTC)
    row.stopped_by = by
    row.stop_memo = memo
    row.stop_interviews = now.interviews
    row.stop_verdict = now.message
    session.flush()
    audit.record(
        session,
        actor=by,
        action="recruitment.stop",
        target="study",
        details={"interviews": now.interviews, "reached": now.reached},
    )
    return plan(session)


# -- the flow --------------------------------------------------------------------------------


def _reasons(found: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(found).most_common())


def flow(candidates: tuple[Candidate, ...], criteria_text: dict[str, str]) -> Flow:
    """Counts for approached -> screened -> eligible -> consented -> interviewed -> analysed,
    and who left between two stages, with their reasons."""

    def why(c: Candidate, default: str) -> str:
        return c.reason or default

    screened = [c for c in candidates if c.screened_on is not None]
    eligible = [c for c in screened if c.status != INELIGIBLE]
    consented = [c for c in eligible if c.consent is not None]
    interviewed = [c for c in consented if c.interviewed]
    analysed = [c for c in interviewed if c.status != WITHDRAWN]
    before_screening = [
        f"{'declined' if c.status == DECLINED else 'lost to follow-up'}: {why(c, 'no reason given')}"
        for c in candidates
        if c.screened_on is None and c.status in (DECLINED, LOST)
    ]
    excluded = [
        f"{c.excluded_by}: {criteria_text.get(c.excluded_by or '', '')}".rstrip(": ")
        for c in screened
        if c.status == INELIGIBLE
    ]
    not_consenting = [
        f"{'declined' if c.status == DECLINED else 'lost to follow-up'}: {why(c, 'no reason given')}"
        for c in eligible
        if c.consent is None and c.status in (DECLINED, LOST)
    ]
    not_interviewed = [
        f"{'withdrew' if c.status == WITHDRAWN else 'lost to follow-up'}: {why(c, 'no reason given')}"
        for c in consented
        if not c.interviewed and c.status in (WITHDRAWN, LOST)
    ]
    withdrew = [
        f"withdrew: {why(c, 'no reason given')}" for c in interviewed if c.status == WITHDRAWN
    ]
    waiting = sum(
        1
        for c in candidates
        if c.status in (APPROACHED, ELIGIBLE) or (c.status == CONSENTED and not c.interviewed)
    )
    return Flow(
        stages=(
            Stage("approached", len(candidates), _reasons(before_screening)),
            Stage("screened", len(screened), _reasons(excluded)),
            Stage("eligible", len(eligible), _reasons(not_consenting)),
            Stage("consented", len(consented), _reasons(not_interviewed)),
            Stage("interviewed", len(interviewed), _reasons(withdrew)),
            Stage("analysed", len(analysed)),
        ),
        waiting=waiting,
    )


def recruitment_log(session: Session) -> RecruitmentLog:
    checklist = log.criteria(session)
    everyone = log.candidates(session)
    return RecruitmentLog(
        plan=plan(session),
        criteria=checklist,
        candidates=everyone,
        flow=flow(everyone, {c.key: c.text for c in checklist}),
    )
