"""The quote bank: every coded segment at the analysis level under each theme node, exemplars first.

A segment is under a node when its code is one of the node's codes (or a sub-code of one), for
the node or any node beneath it. Exemplars: codings whose memo mentions "exemplar" come first;
the rest are filled with the longest segments from participants not yet quoted, up to the
number asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from thematica.domain import CodePath, ThemeNode, format_path
from thematica.report.data import ReportData, Segment


@dataclass(frozen=True)
class NodeQuotes:
    path: CodePath
    exemplars: tuple[Segment, ...]
    others: tuple[Segment, ...]
    divergent: tuple[Segment, ...]  # coded with a code marked divergent for the node or beneath

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def segments(self) -> tuple[Segment, ...]:
        return (*self.exemplars, *self.others)


def quote(segment: Segment) -> str:
    """“text” — Physio 4 (whitespace inside the quote collapsed to single spaces)."""
    return f"“{' '.join(segment.text.split())}” — {segment.participant}"


def is_under(code: CodePath, assigned: Iterable[CodePath]) -> bool:
    """Whether ``code`` is one of ``assigned`` or a sub-code of one."""
    return any(code[: len(a)] == a for a in assigned)


def beneath(nodes: Sequence[ThemeNode], node: ThemeNode) -> list[ThemeNode]:
    """The node and every node below it."""
    return [n for n in nodes if n.path[: len(node.path)] == node.path]


def _key(segment: Segment) -> tuple[int, int, str]:
    return (segment.transcript_id, segment.start, segment.text)


def _distinct(segments: Iterable[Segment]) -> list[Segment]:
    """One segment per span: the same words coded twice under a node are quoted once."""
    seen: set[tuple[int, int, str]] = set()
    out = []
    for s in segments:
        if _key(s) not in seen:
            seen.add(_key(s))
            out.append(s)
    return out


def ordered(data: ReportData, segments: Iterable[Segment]) -> list[Segment]:
    """In register order of participants, then in transcript order."""
    position = {p.label: i for i, p in enumerate(data.participants)}
    return sorted(
        _distinct(segments),
        key=lambda s: (position.get(s.participant, len(position)), s.transcript_id, s.start),
    )


def pick(
    segments: Sequence[Segment], wanted: int, exclude: Collection[Segment] = ()
) -> list[Segment]:
    """Exemplars: every segment marked as one (memo), then the longest segments from
    participants not yet chosen, until ``wanted`` are chosen. ``exclude``: segments not to
    choose (already quoted, or coded as divergent for the node)."""
    chosen = [s for s in segments if s.is_exemplar and s not in exclude]
    people = {s.participant for s in chosen}
    for s in sorted(segments, key=lambda s: -len(" ".join(s.text.split()))):
        if len(chosen) >= wanted:
            break
        if s in exclude or s.is_exemplar or s.participant in people:
            continue
        chosen.append(s)
        people.add(s.participant)
    return chosen


def node_segments(data: ReportData, node: ThemeNode) -> tuple[list[Segment], list[Segment]]:
    """(supporting, divergent) segments under a node, in order."""
    below = beneath(data.nodes, node)
    supports = {c for n in below for c in n.codes}
    against = {c for n in below for c in n.divergent}
    return (
        ordered(data, (s for s in data.segments if is_under(s.code, supports))),
        ordered(data, (s for s in data.segments if is_under(s.code, against))),
    )


def quote_bank(data: ReportData) -> tuple[NodeQuotes, ...]:
    """A :class:`NodeQuotes` per theme node, in the framework's order."""
    by_path = {n.path: n for n in data.nodes}
    bank = []
    for count in data.counts.themes:
        node = by_path.get(count.path)
        if node is None:
            continue
        segments, divergent = node_segments(data, node)
        exemplars = pick(segments, data.exemplars, exclude=divergent)
        bank.append(
            NodeQuotes(
                node.path,
                tuple(exemplars),
                tuple(s for s in segments if s not in exemplars),
                tuple(divergent),
            )
        )
    return tuple(bank)


def bank_records(bank: Sequence[NodeQuotes]) -> list[dict[str, str]]:
    """The quote bank as data (CSV and XLSX): one record per segment per node."""
    records = []
    for entry in bank:
        for kind, segments in (
            ("exemplar", entry.exemplars),
            ("segment", entry.others),
            ("divergent", entry.divergent),
        ):
            for s in segments:
                records.append(
                    {
                        "path": format_path(entry.path),
                        "depth": str(entry.depth),
                        "kind": kind,
                        "participant": s.participant,
                        "quote": " ".join(s.text.split()),
                        "code": format_path(s.code),
                        "memo": s.memo or "",
                        "transcript": str(s.transcript_id),
                        "start": str(s.start),
                    }
                )
    return records
