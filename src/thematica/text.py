"""Assemble a transcript's canonical plain text from its turns.

The canonical text is the turns' texts joined by a blank line. Speaker names are *not* part of it:
they are metadata on the turn (and often real names, which must not leak into coded text).
Each turn records its code-point offsets, so ``text[start:end]`` gives the turn back exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TURN_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def assemble(turn_texts: Sequence[str]) -> tuple[str, tuple[Span, ...]]:
    """Join ``turn_texts`` into one canonical text and return it with each turn's span."""
    spans: list[Span] = []
    pos = 0
    for i, piece in enumerate(turn_texts):
        if i:
            pos += len(TURN_SEPARATOR)
        spans.append(Span(pos, pos + len(piece)))
        pos += len(piece)
    return TURN_SEPARATOR.join(turn_texts), tuple(spans)
