"""A withdrawn participant's words quoted elsewhere: in memos, journal entries and field notes,
code and theme descriptions and other participants' coding memos, and in the findings draft.

A quote is found by its words, not its characters (:mod:`thematica.words` folds case,
accents and compatibility forms, so a curly apostrophe quoted as a straight one is still found): a run of at least
:data:`MIN_RUN` consecutive words that stand in the same order in one of the participant's
transcripts and in none of the transcripts that stay. Those runs are replaced by
:data:`REMOVED`; a phrase every interview shares (a guide question the interviewer read out)
is not theirs and stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thematica.words import Words

MIN_RUN = 5  # words in a row: shorter runs are everyday phrases ("I don't know if")
REMOVED = "[quote removed: participant withdrawn]"


@dataclass(frozen=True)
class QuoteFinder:
    """The word runs of one participant's transcripts that no other transcript has."""

    theirs: frozenset[tuple[str, ...]]

    @classmethod
    def build(cls, their_texts: Iterable[str], other_texts: Iterable[str]) -> QuoteFinder:
        split = Words()
        theirs = {gram for text in their_texts for gram in _grams(split, text)}
        if theirs:
            for text in other_texts:
                theirs.difference_update(_grams(split, text))
        return cls(frozenset(theirs))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` quotes them: merged code-point spans, end exclusive."""
        if not self.theirs or not text:
            return []
        found = Words()(text)
        covered = [False] * len(found)
        for i in range(len(found) - MIN_RUN + 1):
            if tuple(w.folded for w in found[i : i + MIN_RUN]) in self.theirs:
                covered[i : i + MIN_RUN] = [True] * MIN_RUN
        out: list[tuple[int, int]] = []
        for i, word in enumerate(found):
            if not covered[i]:
                continue
            if out and i > 0 and covered[i - 1]:
                out[-1] = (out[-1][0], word.end)
            else:
                out.append((word.start, word.end))
        return out

    def redact(self, text: str) -> tuple[str, int]:
        """``text`` with every quote of theirs replaced by :data:`REMOVED`, and how many."""
        spans = self.spans(text)
        for start, end in reversed(spans):
            text = text[:start] + REMOVED + text[end:]
        return text, len(spans)


def _grams(split: Words, text: str) -> set[tuple[str, ...]]:
    folded = [w.folded for w in split(text)]
    return {tuple(folded[i : i + MIN_RUN]) for i in range(len(folded) - MIN_RUN + 1)}


def draft_quotes(blocks: Sequence[object], label: str) -> dict[str, int]:
    """How many quotes of ``label`` the findings draft (its blocks) holds, per heading."""
    from thematica.report.model import Heading, Paragraph

    counts: dict[str, int] = {}
    heading = ""
    for block in blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif (
            isinstance(block, Paragraph)
            and block.style == "quote"
            and block.text.endswith(f"— {label}")
        ):
            counts[heading] = counts.get(heading, 0) + 1
    return counts


__all__ = ["MIN_RUN", "REMOVED", "QuoteFinder", "draft_quotes"]
