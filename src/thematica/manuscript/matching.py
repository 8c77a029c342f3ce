"""Is a quote verbatim in a participant's transcripts?

Both sides are normalised as ``thematica.text`` does (curly and straight quotes, dashes, the
ellipsis character and three dots, every run of white space), and case is ignored. Editorial
marks in the quote split it into pieces that must be found in order in one transcript: an
ellipsis ("…", "...", "[…]") stands for any text (up to :data:`ELLIPSIS_GAP` characters), a
bracketed insertion ("[AHPs]", "[the service]") for a short gap or none (up to
:data:`INSERTION_GAP`). Punctuation at the ends of each piece is not compared.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from thematica.text import Span, fold_text

ELLIPSIS_GAP = 2_000
INSERTION_GAP = 40
_EDITORIAL = re.compile(
    r"\s*(\[\s*(?:\u2026|\.\s?\.\s?\.)\s*\]|\(\s*(?:\u2026|\.\s?\.\s?\.)\s*\)|\u2026|\.\s?\.\s?\.\.?"
    r"|\[[^\[\]]{1,60}\])\s*"
)
_EDGE = " \t\n.,;:!?\"'()-"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Piece:
    text: str  # normalised, lower case
    gap: int  # the most characters allowed between the previous piece and this one


def pieces(quote: str) -> list[Piece]:
    """The quote's words between editorial marks, each with the gap allowed before it."""
    out: list[Piece] = []
    gap = 0
    at = 0
    for m in _EDITORIAL.finditer(quote):
        _add(out, quote[at : m.start()], gap)
        mark = m.group(1)
        gap = (
            INSERTION_GAP
            if mark.startswith("[") and "." not in mark and "\u2026" not in mark
            else ELLIPSIS_GAP
        )
        at = m.end()
    _add(out, quote[at:], gap)
    return out


def _add(out: list[Piece], raw: str, gap: int) -> None:
    text = fold_text(raw).lower().strip(_EDGE)
    if text:
        out.append(Piece(text, gap if out else 0))


_VARIANTS = {
    "'": "['\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4]",
    '"': '["\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]',
    "-": "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]",
}


def _piece_pattern(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("...", i):
            out.append("(?:\\.\\.\\.|\u2026)")
            i += 3
            continue
        ch = text[i]
        if ch == " ":
            out.append(r"\s+")
        else:
            out.append(_VARIANTS.get(ch) or re.escape(ch))
        i += 1
    return "".join(out)


def pattern(wanted: Sequence[Piece]) -> re.Pattern[str]:
    """One expression for the pieces in order, each gap bounded: typography and white space
    are matched as variants in the text itself, so no normalised copy of a transcript (and no
    mapping back to its code points) is needed."""
    parts = [_piece_pattern(wanted[0].text)]
    for piece in wanted[1:]:
        parts.append(f"[\\s\\S]{{0,{piece.gap}}}?" + _piece_pattern(piece.text))
    return re.compile("".join(parts))


def plain_words(wanted: Sequence[Piece]) -> list[str]:
    """Words of the pieces that any match must contain as they are (letters and digits),
    longest first: a quick test of whether a transcript can hold the quote at all."""
    words = {w for p in wanted for w in re.findall(r"[^\W_]{3,}", p.text)}
    return sorted(words, key=len, reverse=True)


class Haystack:
    """One transcript's text in lower case (the same code points, so a match's offsets are the
    transcript's own)."""

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        self.low = low if len(low) == len(text) else None

    def contains(self, words: Sequence[str]) -> bool:
        haystack = self.low if self.low is not None else self.text.lower()
        return all(w in haystack for w in words)

    def find(self, expression: re.Pattern[str]) -> Span | None:
        if self.low is not None:
            m = expression.search(self.low)
        else:
            m = re.compile(expression.pattern, re.IGNORECASE).search(self.text)
        return None if m is None else Span(m.start(), m.end())


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for token in _WORD.findall(text):
        key = fold_text(token).lower().strip(_EDGE)
        if key:
            out.append((token.strip(_EDGE) or token, key))
    return out


@dataclass(frozen=True)
class Closest:
    span: Span
    similarity: float  # the share of the quote's words found in order in the passage
    diff: str


_TEXT_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


def closest_span(text: str, quote: str) -> Span | None:
    """The passage of ``text`` that shares the most words with ``quote`` (a window of as many
    words as the quote has, scored incrementally: one pass over the text's words)."""
    wanted: dict[str, int] = {}
    for w in _TEXT_WORD.findall(fold_text(quote).lower()):
        wanted[w] = wanted.get(w, 0) + 1
    size = sum(wanted.values())
    low = text.lower().replace("\u2019", "'")
    if len(low) != len(text):  # a character whose lower case is longer: keep the offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("\u2019", "'")
    words = _TEXT_WORD.findall(low)
    if not size or not words:
        return None
    window: dict[str, int] = {}
    score = best = best_at = 0
    for i, word in enumerate(words):
        have = window.get(word, 0)
        if have < wanted.get(word, 0):
            score += 1
        window[word] = have + 1
        if i >= size:
            old = words[i - size]
            window[old] -= 1
            if window[old] < wanted.get(old, 0):
                score -= 1
        if score > best:
            best, best_at = score, max(0, i - size + 1)
    if best == 0:
        return None
    first, last = best_at, min(best_at + size, len(words)) - 1
    while words[first] not in wanted:
        first += 1
    while words[last] not in wanted:
        last -= 1
    start = end = 0
    for i, m in enumerate(_TEXT_WORD.finditer(low)):
        if i == first:
            start = m.start()
        if i == last:
            end = m.end()
            break
    return Span(start, end)


def closest(text: str, quote: str, context: int = 3) -> Closest | None:
    """The passage of ``text`` most like ``quote`` and a word diff: ``[-draft-]`` words the
    transcript does not have there, ``{+transcript+}`` words the draft left out."""
    plain = _EDITORIAL.sub(" ", quote)
    span = closest_span(text, plain)
    if span is None:
        return None
    mine, theirs = _tokens(plain), _tokens(text[span.start : span.end])
    if not mine:
        return None
    matcher = difflib.SequenceMatcher(
        None, [k for _, k in mine], [k for _, k in theirs], autojunk=False
    )
    same = sum(block.size for block in matcher.get_matching_blocks())
    parts: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            words = [w for w, _ in mine[a0:a1]]
            if len(words) > 2 * context + 1:
                head = words[:context] if parts else []
                tail = words[-context:] if a1 < len(mine) else []
                words = [*head, "\u2026", *tail]
            parts.extend(words)
            continue
        if a1 > a0:
            parts.append("[-" + " ".join(w for w, _ in mine[a0:a1]) + "-]")
        if b1 > b0:
            parts.append("{+" + " ".join(w for w, _ in theirs[b0:b1]) + "+}")
    while parts and parts[-1] == "\u2026":
        parts.pop()
    return Closest(span, same / len(mine), " ".join(parts))
