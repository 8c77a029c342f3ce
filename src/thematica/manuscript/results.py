"""The audit's findings: each claim and quote with its status, location and evidence, the
internal inconsistencies, and the summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CONSISTENT, CONTRADICTS, AMBIGUOUS, UNTIED = (
    "consistent",
    "contradicts",
    "ambiguous quantifier",
    "untied",
)
CLAIM_STATUSES = (CONSISTENT, CONTRADICTS, AMBIGUOUS, UNTIED)
VERBATIM, EDITED, WRONG_PARTICIPANT, NOT_FOUND, NOT_CHECKED = (
    "verbatim",
    "edited",
    "wrong participant",
    "not found",
    "not checked",
)
QUOTE_STATUSES = (VERBATIM, EDITED, WRONG_PARTICIPANT, NOT_FOUND, NOT_CHECKED)
FAILING_QUOTES = (EDITED, WRONG_PARTICIPANT, NOT_FOUND)


@dataclass(frozen=True)
class Location:
    section: str
    paragraph: int  # counted from 1 over the draft's paragraphs, headings included
    sentence: int  # counted from 1 within the paragraph

    def __str__(self) -> str:
        return f"{self.section} ¶{self.paragraph} s{self.sentence}"


@dataclass(frozen=True)
class ClaimResult:
    location: Location
    sentence: str
    claim: str  # the words of the draft
    says: str  # what they claim: "7", "4 of 7 (Physiotherapist)", "all but 1", "most"
    status: str
    node: str | None  # the theme node or code path, "the sample", None when untied
    node_kind: str | None  # theme | code | sample
    node_id: int | None
    tie: str | None  # sentence | heading | preceding | sample
    evidence: str  # how it was tied and what the study has, or why it is untied
    true_n: int | None = None
    true_total: int | None = None
    rule_phrase: str | None = None  # what the study's quantifier rules call the true count
    block: int = 0  # the draft block (for annotation)
    span: tuple[int, int] = (0, 0)  # the sentence in the block's text


@dataclass(frozen=True)
class QuoteResult:
    location: Location
    quote: str
    attributed: str
    status: str
    evidence: str
    found_in: str | None = None  # the participant whose transcript has it
    transcript_id: int | None = None
    start: int | None = None
    end: int | None = None
    diff: str = ""
    identifier: bool = False  # where it differs, the transcript has an anonymised identifier
    block: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Mention:
    location: Location
    sentence: str
    says: str
    block: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Inconsistency:
    """The same node claimed with counts that cannot both be true."""

    node: str
    group: str | None
    first: Mention
    second: Mention


def _counts(statuses: list[str], order: tuple[str, ...]) -> str:
    counted = Counter(statuses)
    words = {CONTRADICTS: "contradict"}
    return ", ".join(f"{counted[s]} {words.get(s, s)}" for s in order if counted[s])


def _summary(
    claims: tuple[ClaimResult, ...], quotes: tuple[QuoteResult, ...], inconsistencies: int
) -> str:
    line = f"{len(claims)} claim{'' if len(claims) == 1 else 's'}"
    if claims:
        line += ": " + _counts([c.status for c in claims], CLAIM_STATUSES)
    line += f"; {len(quotes)} quote{'' if len(quotes) == 1 else 's'}"
    if quotes:
        line += ": " + _counts([q.status for q in quotes], QUOTE_STATUSES)
    flagged = sum(1 for q in quotes if q.identifier)
    if flagged:
        line += f" ({flagged} with an anonymised identifier)"
    line += (
        f"; {inconsistencies} inconsistenc{'y' if inconsistencies == 1 else 'ies'} between places"
    )
    return line


@dataclass(frozen=True)
class AuditReport:
    source: str
    format: str
    level: int
    claims: tuple[ClaimResult, ...]
    quotes: tuple[QuoteResult, ...]
    inconsistencies: tuple[Inconsistency, ...]
    summary: str = field(default="")
    failed: bool = field(default=False)

    @classmethod
    def of(
        cls,
        source: str,
        format: str,
        level: int,
        claims: tuple[ClaimResult, ...],
        quotes: tuple[QuoteResult, ...],
        inconsistencies: tuple[Inconsistency, ...],
    ) -> AuditReport:
        failed = (
            any(c.status == CONTRADICTS for c in claims)
            or any(q.status in FAILING_QUOTES or q.identifier for q in quotes)
            or bool(inconsistencies)
        )
        return cls(
            source,
            format,
            level,
            claims,
            quotes,
            inconsistencies,
            _summary(claims, quotes, len(inconsistencies)),
            failed,
        )
