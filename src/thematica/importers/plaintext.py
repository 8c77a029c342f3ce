"""Plain text and Markdown transcripts with ``Name: text`` or ``[Name] text`` turns.

A line that opens with a speaker name starts a turn; lines without one continue it. A file in
which no speaker is ever named becomes one turn per paragraph, spoken by the unnamed speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from thematica.domain import ParsedTurn
from thematica.errors import InputError
from thematica.importers.turns import Segment, clean, merge, split_prefixes

_MD_NOISE = re.compile(r"^\s*(?:#{1,6}\s.*|[-*_]{3,}\s*|<!--.*-->\s*)$")
# "00:05:16<TAB>Name: text" or "[01:02] Name: text", as transcription services and chat exports write.
_STAMP = re.compile(r"^\s*\[?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\]?[ \t]+(?=\S)")


def _stamp(unit: str) -> tuple[int | None, str]:
    match = _STAMP.match(unit)
    if match is None:
        return None, unit
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000, unit[match.end() :]


def turns_from_lines(lines: Sequence[str], source: str) -> tuple[ParsedTurn, ...]:
    """Build turns from logical lines (blank lines mark paragraph ends)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if not paragraphs:
        raise InputError(source, "the file has no text")
    stamped = [_stamp(clean(u)) for p in paragraphs for u in p.split("\n")]
    split = split_prefixes([text for _, text in stamped])
    if any(name for name, _ in split):
        segments = (
            Segment(name, text, start)
            for (name, text), (start, _) in zip(split, stamped, strict=True)
        )
        return merge(segments, joiner="\n")
    return tuple(ParsedTurn("", clean(p)) for p in paragraphs if clean(p))


def parse_plaintext(text: str, source: str, *, markdown: bool = False) -> tuple[ParsedTurn, ...]:
    lines = text.split("\n")
    if markdown:
        lines = ["" if _MD_NOISE.match(line) else line for line in lines]
    return turns_from_lines(lines, source)
