"""How many units of the source a transcript came from each of its characters stood for.

A transcript imported from REFI-QDA is stored as canonical text (LF newlines, NFC), which can be
shorter than the source as its tool counted it: NVivo counts UTF-16 units (an emoji is two) and
a CRLF as two. :class:`SourceUnits` records the characters that were not one unit there, so
character totals can follow the source (``agreement --convention nvivo``). Stored as JSON on the
transcript (``transcripts.source_units``); a transcript without it weighs one per character.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

Interval = tuple[int, int]


@dataclass(frozen=True)
class SourceUnits:
    """``unit``: what the source counted; ``length``: the source's length in it; ``weights``:
    sorted ``(offset, units)`` pairs for the characters of the text not worth one unit."""

    unit: str
    length: int
    weights: tuple[tuple[int, int], ...]
    _offsets: list[int] = field(init=False, repr=False, compare=False)
    _extra: list[int] = field(init=False, repr=False, compare=False)  # sum of units-1 before k

    def __post_init__(self) -> None:
        object.__setattr__(self, "_offsets", [o for o, _u in self.weights])
        object.__setattr__(
            self, "_extra", [0, *accumulate(units - 1 for _o, units in self.weights)]
        )

    def to_json(self) -> str:
        return json.dumps(
            {"unit": self.unit, "length": self.length, "weights": [list(w) for w in self.weights]},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> SourceUnits:
        data = json.loads(text)
        return cls(
            str(data["unit"]),
            int(data["length"]),
            tuple((int(o), int(u)) for o, u in data["weights"]),
        )

    def _before(self, offset: int) -> int:
        """Units minus characters before ``offset``."""
        return self._extra[bisect_left(self._offsets, offset)]

    def span(self, start: int, end: int) -> int:
        """The source units of the characters ``start``..``end``."""
        return end - start + self._before(end) - self._before(start)

    def total(self, merged: Sequence[Interval]) -> int:
        """The source units of merged, disjoint intervals."""
        return sum(self.span(s, e) for s, e in merged)


def intersection(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """A ∩ B for two merged interval lists (two pointers)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out
