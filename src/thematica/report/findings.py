"""A draft of the findings, for the authors to rewrite: per theme and sub-theme, the single
count in words and numbers, who diverges (with their words) and two or three exemplar quotes.

It is scaffolding, not analysis. Every paragraph is built from the counts and the coded
segments, so every claim in it can be traced to the data.
"""

from __future__ import annotations

from collections.abc import Sequence

from thematica.analysis.reports import NodeCount
from thematica.domain import ThemeNode
from thematica.report.characteristics import NO_GROUP, groups_of
from thematica.report.data import ReportData, Segment
from thematica.report.framework import level_name
from thematica.report.model import Block, Heading, Paragraph, Span, para
from thematica.report.quotes import beneath, node_segments, pick, quote

DRAFT_WARNING = (
    "DRAFT, generated from the counts and the coded segments, for the authors to rewrite. "
    "It states who said what and how many; the interpretation is yours to write."
)
QUOTES_PER_NODE = 3
DIVERGENT_QUOTES = 2  # per divergent participant


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """ "Mental health is ..." -> "mental health is ..."; acronyms ("NHS", "OTs") are kept."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def full_stop(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def names(labels: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def by_group(data: ReportData, supporters: Sequence[str]) -> str:
    """ "Physiotherapist 7/7; Occupational therapist 2/3" (empty with a single group)."""
    groups = groups_of(data.participants)
    if len(groups) < 2:
        return ""
    group_of = {p.label: p.group or NO_GROUP for p in data.participants}
    parts = []
    for g in groups:
        size = sum(1 for label in group_of.values() if label == g)
        n = sum(1 for s in supporters if group_of.get(s) == g)
        parts.append(f"{g} {n}/{size}")
    return "; ".join(parts)


def count_sentence(data: ReportData, node: ThemeNode, count: NodeCount) -> str:
    """ "All but one participant (9/10) described “X”: description." with who was not there."""
    if count.rolled_up == 0:
        return f"No participant was coded under “{node.path[-1]}”."
    text = f"{sentence_case(count.phrase)} described “{node.path[-1]}”"
    if node.description.strip():
        text += f": {lower_first(full_stop(node.description))}"
    else:
        text += "."
    groups = by_group(data, count.supporters)
    if groups:
        text += f" ({groups}.)"
    missing = count.not_represented
    if count.rolled_up <= 3 and missing:
        text += f" Raised by {names(count.supporters)}."
    elif 0 < len(missing) <= 3:
        text += f" Not raised by {names(missing)}."
    return text


def divergent_blocks(
    data: ReportData,
    node: ThemeNode,
    count: NodeCount,
    divergent: Sequence[Segment],
    used: set[Segment],
) -> list[Block]:
    """The divergent cases, named, with their words where the divergent code is assigned;
    above that, a pointer to the sub-theme(s) where they are quoted."""
    if not count.divergent:
        return []
    plural = "s" if len(count.divergent) > 1 else ""
    spans = [
        Span(f"Divergent case{plural}: ", italic=True),
        Span(f"{names(count.divergent)} ({len(count.divergent)}/{count.total}) diverged from it"),
    ]
    if not node.divergent:
        where = [n.path[-1] for n in beneath(data.nodes, node) if n.divergent and n != node]
        spans.append(Span(f" (quoted under {names([f'“{w}”' for w in where])})." if where else "."))
        return [Paragraph(tuple(spans))]
    spans.append(Span("."))
    blocks: list[Block] = [Paragraph(tuple(spans))]
    for person in count.divergent:
        theirs = [s for s in divergent if s.participant == person]
        chosen = pick(theirs, DIVERGENT_QUOTES)[:DIVERGENT_QUOTES]
        used.update(chosen)
        blocks.extend(para(quote(s), "quote") for s in chosen)
    return blocks


def node_blocks(
    data: ReportData, node: ThemeNode, count: NodeCount, used: set[Segment]
) -> list[Block]:
    """A heading and the count paragraph; for themes and sub-themes also exemplar quotes
    (not quoted elsewhere in the draft) and the divergent cases with their words."""
    blocks: list[Block] = [
        Heading(node.path[-1], min(node.depth + 1, 4)),
        Paragraph(
            (
                Span(f"{sentence_case(level_name(node.depth))}. ", italic=True),
                Span(count_sentence(data, node, count)),
            )
        ),
    ]
    if node.depth == 1:
        return blocks
    segments, divergent = node_segments(data, node)
    wanted = min(QUOTES_PER_NODE, data.exemplars)
    chosen = pick(segments, wanted, exclude=used | set(divergent))[:wanted]
    used.update(chosen)
    blocks.extend(para(quote(s), "quote") for s in chosen)
    blocks.extend(divergent_blocks(data, node, count, divergent, used))
    return blocks


def findings(data: ReportData) -> list[Block]:
    """The findings draft: each overarching theme, theme and sub-theme in framework order."""
    blocks: list[Block] = [
        Heading("Findings (draft for the authors to rewrite)", 1),
        para(DRAFT_WARNING, "draft"),
    ]
    used: set[Segment] = set()
    by_path = {n.path: n for n in data.nodes}
    for count in data.counts.themes:
        node = by_path.get(count.path)
        if node is not None:
            blocks.extend(node_blocks(data, node, count, used))
    return blocks
