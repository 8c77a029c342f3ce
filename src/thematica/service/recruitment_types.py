"""The recruitment log as plain data (issue 18): the plan and stopping rule, the screening
criteria, candidates with their answers and consent, and the flow a report draws.

Candidates are named by a pseudonymous id only ("C07"); their contact details stay in the key
file, never in the study."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from thematica.analysis.stopping import StoppingRule

APPROACHED = "approached"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
CONSENTED = "consented"
INTERVIEWED = "interviewed"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
LOST = "lost"  # lost to follow-up
STATUSES = (APPROACHED, ELIGIBLE, INELIGIBLE, CONSENTED, INTERVIEWED, DECLINED, WITHDRAWN, LOST)
STATUS_NAMES = {LOST: "lost to follow-up"}
# what `recruitment status` may set, and from which statuses (screening and consent have their
# own commands, which check their own dates and answers)
MOVES: dict[str, tuple[str, ...]] = {
    DECLINED: (APPROACHED, ELIGIBLE),
    LOST: (APPROACHED, ELIGIBLE, CONSENTED),
    INTERVIEWED: (CONSENTED,),
    WITHDRAWN: (CONSENTED, INTERVIEWED),
}
INCLUSION = "inclusion"
EXCLUSION = "exclusion"


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


@dataclass(frozen=True)
class Criterion:
    """An inclusion criterion is met by a "yes"; an exclusion criterion excludes on a "yes"."""

    key: str
    kind: str  # inclusion | exclusion
    text: str

    def excludes(self, answer: bool) -> bool:
        return answer is (self.kind == EXCLUSION)


@dataclass(frozen=True)
class Consent:
    on: dt.date
    sheet_version: str
    form_version: str
    form_location: str  # where the signed form is kept (a reference, never the form)
    recorded_by: str


@dataclass(frozen=True)
class Candidate:
    ref: str
    group: str
    source: str
    approach: str  # how they were approached: email, face-to-face, telephone, ...
    approached_on: dt.date
    status: str
    status_on: dt.date
    reason: str = ""  # why declined, withdrawn or lost (a category, not a story)
    screened_on: dt.date | None = None
    excluded_by: str | None = None  # the criterion key that made them ineligible
    answers: tuple[tuple[str, bool], ...] = ()  # (criterion key, answer), checklist order
    consent: Consent | None = None
    participant: str | None = None  # the label given on consenting
    interviewed: bool = False  # interviewed (a transcript, or recorded so) at any time


@dataclass(frozen=True)
class NewCandidate:
    """A candidate to add (``recruitment add`` or one CSV row)."""

    ref: str
    group: str = ""
    source: str = ""
    approach: str = ""
    approached_on: dt.date | None = None  # default: today


@dataclass(frozen=True)
class StopDecision:
    at: dt.datetime
    by: str
    memo: str
    interviews: int  # interviews coded when the decision was taken
    verdict: str  # the stopping view's message then


@dataclass(frozen=True)
class Plan:
    """The sample-size plan: the planned maximum, the stopping rule, how participants were
    sampled and the setting of data collection (for COREQ 10 and 14), and the decision to stop."""

    maximum: int | None = None
    rule: StoppingRule = field(default_factory=StoppingRule)
    sampling: str = ""
    setting: str = ""
    decision: StopDecision | None = None


@dataclass(frozen=True)
class PlanChange:
    """Only the fields given change."""

    maximum: int | None = None
    rule: str | None = None
    base: int | None = None
    run: int | None = None
    threshold: float | None = None
    initial: int | None = None
    stop: int | None = None
    sampling: str | None = None
    setting: str | None = None


@dataclass(frozen=True)
class Stage:
    """One box of the flow: how many reached it, and who left before the next, by reason."""

    name: str
    count: int
    left: tuple[tuple[str, int], ...] = ()  # (reason, how many) leaving after this stage


@dataclass(frozen=True)
class Flow:
    """Approached -> screened -> eligible -> consented -> interviewed -> analysed, with the
    exclusions, refusals, losses and withdrawals between them (the CONSORT-style figure)."""

    stages: tuple[Stage, ...]
    waiting: int = 0  # still in recruitment (approached, eligible or consented, no interview)

    def count(self, name: str) -> int:
        return next((s.count for s in self.stages if s.name == name), 0)

    def left(self, name: str) -> tuple[tuple[str, int], ...]:
        return next((s.left for s in self.stages if s.name == name), ())


@dataclass(frozen=True)
class RecruitmentLog:
    """Everything the report and the workbench page show, read once."""

    plan: Plan
    criteria: tuple[Criterion, ...]
    candidates: tuple[Candidate, ...]
    flow: Flow

    @property
    def withdrawn_participants(self) -> frozenset[str]:
        return frozenset(
            c.participant for c in self.candidates if c.status == WITHDRAWN and c.participant
        )
