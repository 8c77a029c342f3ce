"""Assemble a transcript's canonical plain text from its turns.

The canonical text is the turns' texts joined by a blank line. Speaker names are *not* part of it:
they are metadata on the turn (and often real names, which must not leak into coded text).
Each turn records its code-point offsets, so ``text[start:end]`` gives the turn back exactly.
"""

from __future__ import annotations

import re
import unicodedata
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


def find_quote(text: str, quote: str) -> tuple[Span, ...]:
    """Every place ``quote`` occurs in ``text``: exactly if it does, otherwise with any run of
    white space matching any other (a quote copied from a wrapped page still matches).
    Occurrences may overlap; they are returned in order."""
    quote = unicodedata.normalize("NFC", quote.strip())
    if not quote:
        return ()
    found: list[Span] = []
    at = text.find(quote)
    while at != -1:
        found.append(Span(at, at + len(quote)))
        at = text.find(quote, at + 1)
    if found:
        return tuple(found)
    pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
    return tuple(Span(m.start(), m.end()) for m in _overlapping(pattern, text))


def _overlapping(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    matches = []
    at = 0
    while (match := pattern.search(text, at)) is not None:
        matches.append(match)
        at = match.start() + 1
    return matches
