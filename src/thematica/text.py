"""Assemble a transcript's canonical plain text from its turns.

The canonical text is the turns' texts joined by a blank line. Speaker names are *not* part of it:
they are metadata on the turn (and often real names, which must not leak into coded text).
Each turn records its code-point offsets, so ``text[start:end]`` gives the turn back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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


# Characters that typography varies: a quote typed with straight apostrophes or a hyphen must
# still find a transcript written with curly ones or an en dash (Teams writes "it\u2019s").
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
}


@dataclass(frozen=True)
class Folded:
    """A text with typography folded (see :data:`_FOLD`) and every run of white space made one
    space; ``starts[i]``/``ends[i]`` give the span of the original text behind folded char i."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def fold_text(text: str) -> str:
    """``text`` in NFC, stripped, with typography folded and white space runs made one space."""
    return fold(unicodedata.normalize("NFC", text).strip()).text


@lru_cache(maxsize=16)
def fold(text: str) -> Folded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            chars.append(" ")
            starts.append(i)
            ends.append(j)
            i = j
            continue
        for piece in _FOLD.get(ch, ch):
            chars.append(piece)
            starts.append(i)
            ends.append(i + 1)
        i += 1
    return Folded("".join(chars), tuple(starts), tuple(ends))


def find_quote(text: str, quote: str) -> tuple[Span, ...]:
    """Every place ``quote`` occurs in ``text``: exactly if it does, otherwise up to typography
    (straight and curly quotes and apostrophes, hyphens and dashes, an ellipsis character and
    three dots; see :data:`_FOLD`) and white space (any run matches any other, so a
    quote copied from a wrapped page still matches). The spans are offsets into ``text`` itself.
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
    folded, wanted = fold(text), fold_text(quote)
    at = folded.text.find(wanted)
    while at != -1:
        found.append(Span(folded.starts[at], folded.ends[at + len(wanted) - 1]))
        at = folded.text.find(wanted, at + 1)
    return tuple(found)


def closest_passage(text: str, quote: str) -> Span | None:
    """The passage of ``text`` that shares the most words with ``quote`` (a window of as many
    words as the quote has), to show beside a quote that was not found; None without words."""
    folded = fold(text)
    wanted = Counter(_words(fold_text(quote).casefold()))
    size = sum(wanted.values())
    words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(folded.text)]
    if not size or not words:
        return None
    window: Counter[str] = Counter(w for _, _, w in words[:size])
    best, best_at = sum(min(window[w], k) for w, k in wanted.items()), 0
    for i in range(1, max(1, len(words) - size + 1)):
        window[words[i - 1][2]] -= 1
        window[words[i + size - 1][2]] += 1
        score = sum(min(window[w], k) for w, k in wanted.items())
        if score > best:
            best, best_at = score, i
    if best == 0:
        return None
    first, last = best_at, min(best_at + size, len(words)) - 1
    while words[first][2] not in wanted:  # trim words the quote does not have
        first += 1
    while words[last][2] not in wanted:
        last -= 1
    return Span(folded.starts[words[first][0]], folded.ends[words[last][1] - 1])


_WORD = re.compile(r"\w+(?:'\w+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)
