"""Replace spans of a text and carry every offset across the change.

A turn or a coding that ended inside a replaced identifier ends at the end of its replacement;
one that started inside it starts at the start of its replacement. Offsets outside replaced
spans move by the total change in length before them. So a coding still covers the same words,
with only the identifiers replaced.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class OffsetMap:
    """Old offsets -> new offsets for one set of non-overlapping, sorted edits."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]

    def _shifted(self, offset: int, i: int) -> int:
        # i edits end at or before offset: shift by their total change in length
        return offset if i == 0 else self.new_ends[i - 1] + (offset - self.ends[i - 1])

    def start(self, offset: int) -> int:
        """Where a span starting at ``offset`` now starts."""
        i = bisect.bisect_right(self.ends, offset)  # edits wholly before (end <= offset)
        if i < len(self.starts) and self.starts[i] <= offset:
            return self.new_starts[i]  # inside edit i: its replacement's start
        return self._shifted(offset, i)

    def end(self, offset: int) -> int:
        """Where a span ending at ``offset`` now ends."""
        i = bisect.bisect_left(self.ends, offset)  # edits ending before offset
        if i < len(self.starts) and self.starts[i] < offset:
            return self.new_ends[i]  # inside edit i (or at its end): its replacement's end
        return self._shifted(offset, i)


def apply_edits(
    text: str, edits: Sequence[Edit]
) -> tuple[str, OffsetMap, tuple[tuple[int, int], ...]]:
    """The new text, the offset map, and where each edit's replacement now stands."""
    ordered = sorted(edits, key=lambda e: e.start)
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise ValueError(f"edits overlap at {b.start}")
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    length = 0
    for edit in ordered:
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"edit {edit.start}-{edit.end} is outside the text")
        pieces.append(text[pos : edit.start])
        length += edit.start - pos
        new_starts.append(length)
        pieces.append(edit.replacement)
        length += len(edit.replacement)
        new_ends.append(length)
        pos = edit.end
    pieces.append(text[pos:])
    mapping = OffsetMap(
        tuple(e.start for e in ordered),
        tuple(e.end for e in ordered),
        tuple(new_starts),
        tuple(new_ends),
    )
    return "".join(pieces), mapping, tuple(zip(new_starts, new_ends, strict=True))
