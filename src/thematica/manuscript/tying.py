"""Which theme node or code a claim is about.

In order: a theme or code named in the same sentence (the one nearest the claim); the heading
of the section the sentence is under (or of an enclosing section); the nearest theme or code
named earlier in the same section. A sentence about who took part ("ten participants were
interviewed") is tied to the sample. Otherwise the claim is left untied, with the reason.

Names are found after typography is folded (a curly apostrophe is a straight one). A name of two or more words is
found in any case; a one-word name ("Time", "Role") only as written, with its capital, and not
as the sentence's first word, unless it is in quotation marks or a heading: "at the time" is
not the code Time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from thematica.manuscript.facts import NodeFacts
from thematica.text import fold, fold_text

SAMPLE_WORDS = re.compile(
    r"\b(?:interviewed|recruited|took\s+part|participated|were\s+included|enrolled|"
    r"consented|sample|sampled|agreed\s+to\s+take\s+part|were\s+approached)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Named:
    start: int
    end: int
    nodes: tuple[NodeFacts, ...]  # more than one: the name is ambiguous
    exact: bool = True  # written as the study writes it (case included)

    @property
    def name(self) -> str:
        return self.nodes[0].name


class Names:
    """The study's theme and code names, to be found in sentences and headings."""

    def __init__(self, nodes: Sequence[NodeFacts]) -> None:
        by_name: dict[str, list[NodeFacts]] = {}
        for node in nodes:
            if node.path:
                by_name.setdefault(fold_text(node.name).lower(), []).append(node)
        self._nodes: dict[str, tuple[NodeFacts, ...]] = {}
        self._written: dict[str, str] = {}
        for key, found in by_name.items():
            themes = [n for n in found if n.kind == "theme"]
            self._nodes[key] = tuple(themes or found)
            self._written[key] = fold_text(found[0].name)
        keys = sorted(self._nodes, key=len, reverse=True)
        body = "|".join(re.escape(k).replace(r"\ ", " ") for k in keys)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)") if body else None

    def _find(self, text: str, strict: bool) -> list[Named]:
        if self._pattern is None:
            return []
        folded = fold(text)
        low = folded.text.lower()
        if len(low) != len(folded.text):
            return []
        found = []
        for m in self._pattern.finditer(low):
            key = m.group(0)
            if strict and " " not in key.strip():
                written = folded.text[m.start() : m.end()]
                quoted = folded.text[max(0, m.start() - 1) : m.start()] in (
                    "'",
                    '"',
                ) and folded.text[m.end() : m.end() + 1] in ("'", '"')
                first = not folded.text[: m.start()].strip(" \"'(")
                if not quoted and (written != self._written[key] or first or written.islower()):
                    continue
            start, end = folded.starts[m.start()], folded.ends[m.end() - 1]
            exact = folded.text[m.start() : m.end()] == self._written[key]
            found.append(Named(start, end, self._nodes[key], exact))
        return found

    def in_sentence(self, sentence: str) -> list[Named]:
        return self._find(sentence, strict=True)

    def in_heading(self, heading: str) -> Named | None:
        found = self._find(heading, strict=False)
        return max(found, key=lambda n: n.end - n.start) if found else None


_CLAUSE = re.compile(r"[;:]|,\s|\s(?:and|but|while|whereas|although|though)\s|\s[\u2013\u2014-]\s")


def clauses(sentence: str, named: Sequence[Named]) -> list[int]:
    """Where the sentence's clauses break (a comma, semicolon or conjunction), leaving out the
    breaks inside a theme's name ("Small wins, two gains")."""
    return [
        m.start()
        for m in _CLAUSE.finditer(sentence)
        if not any(n.start <= m.start() < n.end for n in named)
    ]


def nearest(
    named: Sequence[Named], start: int, end: int, breaks: Sequence[int] = ()
) -> Named | None:
    """The name the claim at start..end is about: one in the claim's own clause first, then
    one written as the study writes it, then the nearest; on a tie, the one after it."""
    if not named:
        return None

    def clause(at: int) -> int:
        return sum(1 for b in breaks if b < at)

    own = clause(start)

    def rank(n: Named) -> tuple[bool, bool, int, int]:
        if n.start >= end:
            distance, side = n.start - end, 0
        elif n.end <= start:
            distance, side = start - n.end, 1
        else:
            distance, side = 0, 0
        return clause(n.start) != own, not n.exact, distance, side

    return min(named, key=rank)
