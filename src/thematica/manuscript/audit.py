"""The audit itself: a draft against a study's facts, nothing read or written elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thematica.manuscript import sentences
from thematica.manuscript.checking import check, readings
from thematica.manuscript.claims import Claim, Vocabulary, find_claims
from thematica.manuscript.draft import BODY, HEADING, QUOTE, Draft
from thematica.manuscript.facts import NodeFacts, StudyFacts, label_prefixes
from thematica.manuscript.quote_check import QuoteChecker
from thematica.manuscript.quotes import DraftQuote, Labels, find_quotes, quoted_spans
from thematica.manuscript.results import (
    UNTIED,
    AuditReport,
    ClaimResult,
    Inconsistency,
    Location,
    Mention,
    QuoteResult,
)
from thematica.manuscript.tying import SAMPLE_WORDS, Named, Names, clauses, nearest

BEFORE_HEADINGS = "(before the first heading)"


@dataclass
class _Section:
    heading: str = BEFORE_HEADINGS
    stack: tuple[tuple[int, Named | None, str], ...] = ()
    preceding: Named | None = None


@dataclass(frozen=True)
class _Tie:
    node: NodeFacts | None
    how: str | None
    evidence: str


def _tie(
    claim: Claim, sentence: str, named: Sequence[Named], section: _Section, sample: NodeFacts
) -> _Tie:
    near = nearest(named, claim.start, claim.end, clauses(sentence, named))
    if near is not None:
        return _one(near, "sentence", f"“{near.name}” is named in the sentence")
    if SAMPLE_WORDS.search(sentence):
        return _Tie(sample, "sample", "the sentence describes who took part")
    if section.stack and section.stack[-1][1] is not None:
        _level, heading_named, heading = section.stack[-1]
        assert heading_named is not None
        return _one(heading_named, "heading", f"the section heading “{heading}”")
    if section.preceding is not None:
        return _one(
            section.preceding,
            "preceding",
            f"“{section.preceding.name}”, named earlier in the section",
        )
    return _Tie(
        None,
        None,
        "no theme or code is named in the sentence, its section heading or earlier in its section",
    )


def _one(named: Named, how: str, evidence: str) -> _Tie:
    if len(named.nodes) > 1:
        paths = "; ".join(n.label for n in named.nodes)
        return _Tie(
            None,
            None,
            f"“{named.name}” names {len(named.nodes)} codes ({paths}): tie it by its theme",
        )
    return _Tie(named.nodes[0], how, evidence)


def audit(draft: Draft, facts: StudyFacts) -> AuditReport:
    labels = Labels([label for label, _ in facts.participants])
    vocabulary = Vocabulary.build([g for g, _ in facts.groups], label_prefixes(facts.participants))
    names = Names(facts.nodes)
    sample = facts.sample()
    by_block: dict[int, list[DraftQuote]] = {}
    for q in find_quotes(draft.blocks, labels):
        by_block.setdefault(q.block, []).append(q)
    checker = QuoteChecker(facts)
    claims: list[ClaimResult] = []
    quotes: list[QuoteResult] = []
    mentions: dict[tuple[str, str | None], list[tuple[frozenset[int], Mention]]] = {}
    section = _Section()
    for number, block in enumerate(draft.blocks):
        paragraph = number + 1
        if block.kind == HEADING:
            kept = tuple(s for s in section.stack if s[0] < block.level)
            section = _Section(
                block.text, (*kept, (block.level, names.in_heading(block.text), block.text))
            )
            continue
        protected = quoted_spans(block.text)
        spans = (
            sentences.split(block.text, protected) if block.kind == BODY else [(0, len(block.text))]
        )
        for q in by_block.get(number, []):
            index = next((i for i, (s, e) in enumerate(spans) if s <= q.start < e), 0)
            where = Location(section.heading, paragraph, index + 1)
            checked = checker.check(q, where, spans[index] if spans else (0, len(block.text)))
            if checked is not None:
                quotes.append(checked)
        if block.kind == QUOTE:
            continue
        for index, (s, e) in enumerate(spans):
            sentence = block.text[s:e]
            named = names.in_sentence(sentence)
            masked = [(a - s, b - s) for a, b in protected if a < e and b > s]
            masked += [(n.start, n.end) for n in named]  # "Two problems, one person" is a name
            where = Location(section.heading, paragraph, index + 1)
            for claim in find_claims(sentence, vocabulary, masked):
                result, allowed = _claim_result(
                    claim, sentence, named, section, sample, facts, where, number, (s, e)
                )
                claims.append(result)
                if result.node is not None and allowed is not None:
                    key = (result.node, claim.group)
                    mentions.setdefault(key, []).append(
                        (allowed, Mention(where, sentence, result.says, number, (s, e)))
                    )
            if named:
                section.preceding = named[-1]
    return AuditReport.of(
        draft.source,
        draft.format,
        facts.level,
        tuple(claims),
        tuple(quotes),
        _inconsistencies(mentions),
    )


def _claim_result(
    claim: Claim,
    sentence: str,
    named: Sequence[Named],
    section: _Section,
    sample: NodeFacts,
    facts: StudyFacts,
    where: Location,
    block: int,
    span: tuple[int, int],
) -> tuple[ClaimResult, frozenset[int] | None]:
    tie = _tie(claim, sentence, named, section, sample)
    base = ClaimResult(
        where,
        sentence,
        claim.text,
        claim.describe(),
        UNTIED,
        None,
        None,
        None,
        None,
        tie.evidence,
        block=block,
        span=span,
    )
    if tie.node is None:
        return base, None
    node = tie.node
    counted = node.count(claim.group)
    if counted is None:
        return ClaimResult(
            **{
                **base.__dict__,
                "evidence": f"{tie.evidence}; the study has no group {claim.group!r}",
            }
        ), None
    k, total = counted
    verdict = check(claim, k, total, facts.rules)
    result = ClaimResult(
        where,
        sentence,
        claim.text,
        claim.describe(),
        verdict.status,
        node.label,
        node.kind,
        node.id,
        tie.how,
        f"tied by {tie.evidence}; {verdict.note}",
        k,
        total,
        verdict.rule_phrase or None,
        block,
        span,
    )
    return result, readings(claim, total)


def _inconsistencies(
    mentions: dict[tuple[str, str | None], list[tuple[frozenset[int], Mention]]],
) -> tuple[Inconsistency, ...]:
    found: list[Inconsistency] = []
    for (node, group), said in mentions.items():
        for i, (first_allows, first) in enumerate(said):
            for second_allows, second in said[i + 1 :]:
                if (first.block, first.span) == (second.block, second.span):
                    continue
                if not first_allows & second_allows:
                    found.append(Inconsistency(node, group, first, second))
    return tuple(found)
