"""What the audit needs to know of a study, gathered in one read by ``service/manuscript.py``:
single counts per theme node and code (overall and per group), the participants and their
groups, the quantifier rules, and the transcripts the asking member may read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule

SAMPLE = "the sample"


@dataclass(frozen=True)
class NodeFacts:
    """A theme node or code (``kind``), or the whole sample (kind ``sample``): how many
    participants it has (``n`` of ``total``) and per group (group, n, group size)."""

    kind: str
    path: tuple[str, ...]
    id: int | None
    n: int
    total: int
    by_group: tuple[tuple[str, int, int], ...] = ()

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else SAMPLE

    @property
    def label(self) -> str:
        return " > ".join(self.path) if self.path else SAMPLE

    def count(self, group: str | None) -> tuple[int, int] | None:
        """(n, N) overall, or within ``group``; None for a group the study does not have."""
        if group is None:
            return self.n, self.total
        for name, n, total in self.by_group:
            if name.casefold() == group.casefold():
                return n, total
        return None


@dataclass(frozen=True)
class TranscriptText:
    id: int
    participant: str | None
    text: str
    replacements: tuple[str, ...] = ()  # what anonymisation put in its text (never originals)


@dataclass(frozen=True)
class StudyFacts:
    level: int
    total: int
    participants: tuple[tuple[str, str], ...]  # (label, group), register order
    nodes: tuple[NodeFacts, ...]
    transcripts: tuple[TranscriptText, ...]  # the ones the asking member may read
    groups: tuple[tuple[str, int], ...] = ()  # each group's participants with a transcript
    unreadable: frozenset[str] = frozenset()  # participants with a transcript not readable
    rules: tuple[QuantifierRule, ...] = DEFAULT_RULES

    def sample(self) -> NodeFacts:
        return NodeFacts(
            "sample",
            (),
            None,
            self.total,
            self.total,
            tuple((g, size, size) for g, size in self.groups),
        )


def label_prefixes(participants: Sequence[tuple[str, str]]) -> dict[str, str | None]:
    """The word before the number in participant labels ("Physio" of "Physio 4"), with the
    group every participant so labelled belongs to (None when they are in several)."""
    seen: dict[str, set[str]] = {}
    for label, group in participants:
        words = label.rstrip("0123456789 ").strip()
        if len(words) >= 2 and words != label and any(c.isalpha() for c in words):
            seen.setdefault(words, set()).add(group)
    return {
        prefix: (next(iter(groups)) if len(groups) == 1 else None)
        for prefix, groups in seen.items()
    }
