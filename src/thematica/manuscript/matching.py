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

from thematica.text import Span, closest_passage, fold, fold_text

ELLIPSIS_GAP = 2_000
INSERTION_GAP = 40
_MAX_STARTS = 500
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


class Haystack:
    """One transcript's text, normalised once, with the way back to its code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        raw = text.lower()
        self.raw = raw if len(raw) == len(text) else None  # lower case, same code points
        self._folded: tuple[str, tuple[int, ...], tuple[int, ...]] | None = None

    def _fold(self) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        if self._folded is None:
            folded = fold(self.text)
            lowered = folded.text.lower()
            if len(lowered) != len(folded.text):  # a character whose lower case is longer
                lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded.text)
            self._folded = (lowered, folded.starts, folded.ends)
        return self._folded

    def find(self, wanted: Sequence[Piece]) -> Span | None:
        """The span of the first place where every piece occurs in order within its gap:
        in the text as it is (lower case) if it is there, else in its normalised form."""
        if not wanted:
            return None
        if self.raw is not None:
            found = _search(self.raw, wanted)
            if found is not None:
                return Span(*found)
        low, starts, ends = self._fold()
        found = _search(low, wanted)
        return None if found is None else Span(starts[found[0]], ends[found[1] - 1])


def _search(low: str, wanted: Sequence[Piece]) -> tuple[int, int] | None:
    first, rest = wanted[0], wanted[1:]
    at = low.find(first.text)
    tries = 0
    while at != -1 and tries < _MAX_STARTS:
        tries += 1
        end = at + len(first.text)
        for piece in rest:
            nxt = low.find(piece.text, end, end + piece.gap + len(piece.text) + 1)
            if nxt == -1:
                break
            end = nxt + len(piece.text)
        else:
            return at, end
        at = low.find(first.text, at + 1)
    return None


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


def closest(text: str, quote: str, context: int = 3) -> Closest | None:
    """The passage of ``text`` most like ``quote`` and a word diff: ``[-draft-]`` words the
    transcript does not have there, ``{+transcript+}`` words the draft left out."""
    plain = _EDITORIAL.sub(" ", quote)
    span = closest_passage(text, plain)
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
