"""Participant quotes in a draft: quoted passages (straight or curly double quotation marks,
curly single ones, or a block quote) with their attribution: "(Physio 4)", "— OT 1",
"[P4]" after the quote, or "Physio 4:" / "As Physio 4 put it," before it.

A quoted passage counts as a participant quote only with an attribution that names a
participant of the study, or looks like a participant label ("P12", "Participant 12"); a
quoted phrase with a citation or nothing after it ("(Braun and Clarke, 2006)") is not one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from thematica.manuscript.draft import QUOTE, Block

_INLINE = re.compile(
    "\u201c(?P<a>[^\u201c\u201d]{2,}?)\u201d"
    r'|"(?P<b>[^"]{2,}?)"'
    "|(?:(?<=^)|(?<=[\\s(\\[\u2014\u2013-]))\u2018(?P<c>.{2,}?)\u2019(?!\\w)"
)
_AFTER = re.compile(
    r"^\s*[,.;:]?\s*(?:\((?P<p>[^()]{1,80})\)|\[(?P<b>[^\[\]]{1,40})\]"
    '|[\u2014\u2013]\\s*(?P<d>[^,;()\u201c\u201d"]{1,40}?)(?=\\s*(?:[.,;)]|$))'
    '|-{1,2}\\s+(?P<h>[^,;()\u201c\u201d"]{1,40}?)(?=\\s*(?:[.,;)]|$)))'
)
_LABEL_LIKE = re.compile(r"^(?:[A-Z][A-Za-z]{0,15}\s*-?\s*\d{1,4})$")
_JOINER = re.compile(r"^\s*(?:,|;|and|or|,\s*and|\.\.\.|\u2026)?\s*$")


@dataclass(frozen=True)
class DraftQuote:
    """A quoted passage of block ``block``: ``text`` without its quotation marks, its span in
    the block's text, and who the draft says said it (``participant``: the study's label, or
    the attribution as written when the study has no such participant)."""

    block: int
    start: int
    end: int
    text: str
    participant: str
    known: bool  # the attribution names a participant of the study


class Labels:
    """The study's participant labels, found in any case and spacing ("physio4", "Physio  4")."""

    def __init__(self, labels: Sequence[str]) -> None:
        self._by_key = {self.key(label): label for label in labels}
        alternatives = sorted(labels, key=len, reverse=True)
        body = "|".join(
            r"\s*".join(
                re.escape(part) for part in re.findall(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]", label)
            )
            for label in alternatives
        )
        self._pattern = re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE) if body else None

    @staticmethod
    def key(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", text.lower())

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        if self._pattern is None:
            return []
        return [
            (m.start(), m.end(), self._by_key[self.key(m.group(0))])
            for m in self._pattern.finditer(text)
        ]

    def resolve(self, attribution: str) -> tuple[str, bool] | None:
        """The participant an attribution's words name: (label, True) for the study's, (the
        words, False) for a label-like name the study does not have, None otherwise."""
        found = self.find_all(attribution)
        if found:
            return found[0][2], True
        words = " ".join(attribution.split()).strip(" .,;:")
        if _LABEL_LIKE.match(words):
            return words, False
        return None


def _after(labels: Labels, text: str, at: int) -> tuple[str, bool] | None:
    m = _AFTER.match(text[at : at + 90])
    if m is None:
        return None
    words = next(g for g in m.groups() if g is not None)
    return labels.resolve(words)


def _before(labels: Labels, text: str, at: int) -> tuple[str, bool] | None:
    window = text[max(0, at - 80) : at]
    window = window[max(window.rfind("\u201d"), window.rfind('"'), window.rfind(".")) + 1 :]
    found = labels.find_all(window)
    return (found[-1][2], True) if found else None


def find_quotes(blocks: Sequence[Block], labels: Labels) -> list[DraftQuote]:
    """Every attributed quote in ``blocks``, in order."""
    quotes: list[DraftQuote] = []
    for number, block in enumerate(blocks):
        found = _inline(number, block.text, labels)
        if not found and block.kind == QUOTE:
            whole = _block_quote(
                number, block, blocks[number + 1] if number + 1 < len(blocks) else None, labels
            )
            found = [whole] if whole is not None else []
        quotes.extend(found)
    return quotes


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has quoted words, quotation marks included (attributed or not)."""
    return [(m.start(), m.end()) for m in _INLINE.finditer(text)]


def _inline(number: int, text: str, labels: Labels) -> list[DraftQuote]:
    matches = list(_INLINE.finditer(text))
    who: list[tuple[str, bool] | None] = [_after(labels, text, m.end()) for m in matches]
    for i in range(len(matches) - 2, -1, -1):  # "“A” and “B” (Physio 2)": both Physio 2's
        between = text[matches[i].end() : matches[i + 1].start()]
        if who[i] is None and who[i + 1] is not None and _JOINER.match(between):
            who[i] = who[i + 1]
    out = []
    for m, attribution in zip(matches, who, strict=True):
        if attribution is None:
            attribution = _before(labels, text, m.start())
        if attribution is None:
            continue
        inner = next(g for g in (m.group("a"), m.group("b"), m.group("c")) if g is not None)
        out.append(DraftQuote(number, m.start(), m.end(), inner.strip(), *attribution))
    return out


_BLOCK_END = re.compile(
    r"(?:\((?P<p>[^()]{1,80})\)|[\u2014\u2013]\s*(?P<d>[^\u2014\u2013]{1,40})|\[(?P<b>[^\[\]]{1,40})\])\s*[.]?\s*$"
)
_BLOCK_START = re.compile(r"^\s*(?P<who>[^:]{1,30}):\s+")


def _strip_marks(text: str) -> str:
    return text.strip().strip('\u201c\u201d"\u2018\u2019').strip()


def _block_quote(
    number: int, block: Block, following: Block | None, labels: Labels
) -> DraftQuote | None:
    text = block.text
    end = _BLOCK_END.search(text)
    if end is not None:
        words = next(g for g in end.groups() if g is not None)
        attribution = labels.resolve(words)
        if attribution is not None:
            return DraftQuote(
                number, 0, end.start(), _strip_marks(text[: end.start()]), *attribution
            )
    start = _BLOCK_START.match(text)
    if start is not None:
        attribution = labels.resolve(start.group("who"))
        if attribution is not None:
            return DraftQuote(
                number, start.end(), len(text), _strip_marks(text[start.end() :]), *attribution
            )
    if following is not None and following.kind != QUOTE:
        alone = re.fullmatch(
            r"\s*(?:[\u2014\u2013-]{1,2}\s*|\()?(?P<w>[^()]{1,40}?)\)?\s*\.?\s*", following.text
        )
        if alone is not None:
            attribution = labels.resolve(alone.group("w"))
            if attribution is not None:
                return DraftQuote(number, 0, len(text), _strip_marks(text), *attribution)
    return None
