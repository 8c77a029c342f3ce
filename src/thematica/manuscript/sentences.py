"""Sentences of a paragraph, as code-point spans: a full stop, question or exclamation mark
(or an ellipsis) followed by white space and a capital, a digit or an opening bracket or
quotation mark ends a sentence, except after a common abbreviation ("e.g.", "et al.", "Dr.")
and inside a quotation (a participant's words stay in the sentence that quotes them)."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "al",
        "etc",
        "cf",
        "vs",
        "approx",
        "fig",
        "figs",
        "tab",
        "no",
        "nos",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vol",
        "pp",
        "ed",
        "eds",
        "ca",
        "n.b",
        "resp",
        "incl",
    ]
)
_END = re.compile(r"(?:[.!?]+|\u2026)[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) spans, white space between them left out.
    No sentence ends inside a ``protected`` span (a quotation)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        at = m.end()
        if any(s < m.start() < e - 1 for s, e in protected):
            continue
        word = re.search(r"([\w.]+)\.$", text[start : m.start() + 1])
        short = word is not None and (
            word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1
        )
        if m.group(0).startswith(".") and short:
            continue  # "e.g.", "et al.", an initial
        spans.append((start, at))
        start = at
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if text[s:e].strip()]
