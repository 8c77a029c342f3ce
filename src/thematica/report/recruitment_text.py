"""What the recruitment log says in the report: COREQ items 10 to 13 (sampling, method of
approach, sample size, non-participation with reasons) and 14 (setting) when the plan records
it, the consent statement (SRQR S9 and beside Table 1), and the lead's decision to stop
recruiting, cited in the saturation section and in COREQ 22."""

from __future__ import annotations

from collections import Counter

from thematica.report.data import ReportData
from thematica.report.model import Block, Paragraph, Span, para
from thematica.service.recruitment_types import (
    DECLINED,
    INELIGIBLE,
    LOST,
    WITHDRAWN,
    Candidate,
    RecruitmentLog,
)

TO_COMPLETE = "to complete"


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def _counted(values: list[str]) -> str:
    return ", ".join(f"{v} ({n})" for v, n in Counter(values).most_common())


def _reasons(people: list[Candidate]) -> str:
    return _counted([c.reason or "no reason given" for c in people])


def sampling(log: RecruitmentLog) -> str:
    plan = log.plan
    parts = [plan.sampling] if plan.sampling else [f"{TO_COMPLETE}: sampling strategy"]
    sources = [c.source for c in log.candidates if c.source]
    if sources:
        parts.append(f"recruited through {_counted(sources)}")
    if plan.maximum:
        parts.append(f"planned maximum sample {plan.maximum}")
    parts.append(f"stopping rule: {plan.rule.describe()}")
    if plan.decision:
        parts.append(stop_sentence(log))
    return "; ".join(parts)


def approach(log: RecruitmentLog) -> str:
    ways = [c.approach for c in log.candidates if c.approach]
    if not ways:
        return f"{TO_COMPLETE} ({_plural(len(log.candidates), 'candidate')} approached)"
    unknown = len(log.candidates) - len(ways)
    return f"{_counted(ways)}" + (f"; not recorded for {unknown}" if unknown else "")


def sample_size(data: ReportData, log: RecruitmentLog, sample: str) -> str:
    flow = log.flow
    withdrew = sum(n for _, n in flow.left("interviewed"))
    text = (
        f"{sample}, analysed; {flow.count('consented')} of "
        f"{_plural(flow.count('approached'), 'candidate')} approached consented and "
        f"{flow.count('interviewed')} were interviewed"
    )
    if withdrew:
        text += f"; {withdrew} withdrew after interview"
    return text + " (participant flow figure)"


def non_participation(log: RecruitmentLog) -> str:
    everyone = log.candidates
    ineligible = [c for c in everyone if c.status == INELIGIBLE]
    declined = [c for c in everyone if c.status == DECLINED]
    lost = [c for c in everyone if c.status == LOST]
    withdrawn = [c for c in everyone if c.status == WITHDRAWN]
    texts = {c.key: c.text for c in log.criteria}
    parts = []
    if ineligible:
        excluded = _counted(
            [f"{c.excluded_by}: {texts.get(c.excluded_by or '', '')}" for c in ineligible]
        )
        parts.append(f"{len(ineligible)} ineligible ({excluded})")
    if declined:
        parts.append(f"{len(declined)} declined ({_reasons(declined)})")
    if lost:
        parts.append(f"{len(lost)} lost to follow-up ({_reasons(lost)})")
    after = [c for c in withdrawn if c.interviewed]
    before = [c for c in withdrawn if not c.interviewed]
    if before:
        parts.append(f"{len(before)} withdrew before interview ({_reasons(before)})")
    if after:
        parts.append(f"{len(after)} withdrew after interview ({_reasons(after)})")
    if not parts:
        return (
            f"none of the {_plural(len(everyone), 'candidate')} approached refused or dropped out"
        )
    return "; ".join(parts)


def coreq(data: ReportData, sample: str) -> dict[int, str]:
    """COREQ 10 to 13 (and 14 when the plan records the setting) from the log."""
    log = data.recruitment
    if log is None:
        return {}
    answers: dict[int, str] = {}
    if log.candidates:
        answers.update(
            {
                10: sampling(log),
                11: approach(log),
                12: sample_size(data, log, sample),
                13: non_participation(log),
            }
        )
    elif log.plan.decision:
        answers[10] = sampling(log)
    if log.plan.setting:
        answers[14] = log.plan.setting
    return answers


def consent_statement(log: RecruitmentLog | None) -> str:
    if log is None:
        return ""
    consented = [c for c in log.candidates if c.consent is not None]
    if not consented:
        return ""
    days = sorted(c.consent.on for c in consented if c.consent)
    sheets = sorted({c.consent.sheet_version for c in consented if c.consent})
    forms = sorted({c.consent.form_version for c in consented if c.consent})
    when = days[0].isoformat() if days[0] == days[-1] else f"{days[0]} to {days[-1]}"
    return (
        f"Written informed consent was obtained from all {_plural(len(consented), 'participant')} "
        f"before any data were collected ({when}; "
        f"information sheet {', '.join(sheets)}; consent form {', '.join(forms)}). Signed "
        "consent forms are kept by the research team; the study holds only where each is kept."
    )


def stop_sentence(log: RecruitmentLog) -> str:
    d = log.plan.decision
    if d is None:
        return ""
    return (
        f"recruitment stopped on {d.at:%Y-%m-%d} by {d.by} after "
        f"{_plural(d.interviews, 'coded interview')} ({d.verdict}): “{d.memo}”"
    )


def participant_blocks(data: ReportData) -> list[Block]:
    """The consent statement, beside Table 1 and the flow figure."""
    if data.recruitment is None:
        return []
    text = consent_statement(data.recruitment)
    return [Paragraph((Span("Consent: ", bold=True), Span(text)))] if text else []


def stop_blocks(data: ReportData) -> list[Block]:
    """The decision to stop recruiting, in the saturation section."""
    if data.recruitment is None or data.recruitment.plan.decision is None:
        return []
    sentence = stop_sentence(data.recruitment)
    return [
        Paragraph(
            (Span("Decision to stop: ", bold=True), Span(sentence[0].upper() + sentence[1:] + "."))
        ),
        para(f"Stopping rule: {data.recruitment.plan.rule.describe()}.", "note"),
    ]
