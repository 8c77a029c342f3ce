"""Word (.docx) transcripts.

Recognises, in order:

* the current Microsoft Teams layout: one paragraph per turn, ``Name   0:04`` then the speech,
  lines joined by ``<w:br/>``; the title, date and "started/stopped transcription" lines around
  the turns are dropped;
* the legacy Teams layout (2020-22): ``0:0:0.0 --> 0:0:1.510`` / ``Name`` / ``text`` blocks;
* any other document: ``Name: text`` turns, or one turn per paragraph.

The file is checked as a ZIP first (damaged, truncated, or a decompression bomb) and its XML is
parsed by python-docx with entity resolution off.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import docx  # python-docx

from thematica.domain import ParsedTurn
from thematica.errors import InputError
from thematica.importers.captions import parse_timing
from thematica.importers.guard import office_errors, silenced, translating
from thematica.importers.limits import check_speaker
from thematica.importers.plaintext import turns_from_lines
from thematica.importers.safezip import check_office_zip
from thematica.importers.turns import Segment, merge

_TEAMS_HEADER = re.compile(
    r"^(?P<name>\S.{0,80}?)(?:[ \t]{2,}|\t)(?P<time>\d{1,3}:\d{2}(?::\d{2})?)$"
)
_LEGACY_TIMING = re.compile(r"^\s*\d+:\d+:\d+(?:[.,]\d+)?\s*-->\s*\d+:\d+:\d+(?:[.,]\d+)?\s*$")


def paragraphs(data: bytes, source: str) -> list[str]:
    """The text of the document body's paragraphs, in order (tables are skipped)."""
    check_office_zip(data, source, required_part="word/document.xml", kind=".docx")
    with (
        silenced(),
        translating(source, office_errors(), "not a readable .docx: the document is damaged"),
    ):
        document = docx.Document(io.BytesIO(data))
        return [p.text for p in document.paragraphs]


def _clock_ms(clock: str) -> int:
    parts = [int(p) for p in clock.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds * 1000


def _teams_turns(lines: Sequence[str]) -> tuple[ParsedTurn, ...] | None:
    headers = [i for i, line in enumerate(lines) if _TEAMS_HEADER.match(line.strip())]
    if not headers:
        return None
    names = {_TEAMS_HEADER.match(lines[i].strip()).group("name") for i in headers}  # type: ignore[union-attr]
    segments: list[Segment] = []
    for n, i in enumerate(headers):
        match = _TEAMS_HEADER.match(lines[i].strip())
        assert match is not None
        stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
        body = [line for line in lines[i + 1 : stop] if line.strip()]
        if n + 1 == len(headers) and body:
            last = body[-1].strip()
            if any(last == f"{name} stopped transcription" for name in names):
                body = body[:-1]
        start = _clock_ms(match.group("time"))
        speech = " ".join(b.strip() for b in body)
        segments.append(Segment(match.group("name").strip(), speech, start))
    return merge(segments)


def _legacy_turns(lines: Sequence[str], source: str) -> tuple[ParsedTurn, ...] | None:
    timings = [i for i, line in enumerate(lines) if _LEGACY_TIMING.match(line)]
    if not timings:
        return None
    segments: list[Segment] = []
    for n, i in enumerate(timings):
        start, end = parse_timing(lines[i], source, i + 1)
        stop = timings[n + 1] if n + 1 < len(timings) else len(lines)
        at = [j for j in range(i + 1, stop) if lines[j].strip()]
        if not at:
            continue
        block = [lines[j].strip() for j in at]
        speaker, speech = (block[0], block[1:]) if len(block) > 1 else ("", block)
        check_speaker(speaker, source, f"line {at[0] + 1}")
        segments.append(Segment(speaker, " ".join(speech), start, end))
    return merge(segments)


def parse_docx(data: bytes, source: str) -> tuple[tuple[ParsedTurn, ...], str]:
    """Parse a .docx transcript; return its turns and the layout that was recognised."""
    lines = [line for p in paragraphs(data, source) for line in [*p.split("\n"), ""]]
    if not any(line.strip() for line in lines):
        raise InputError(source, "the document has no text")
    turns = _teams_turns(lines)
    if turns:
        return turns, "docx-teams"
    turns = _legacy_turns(lines, source)
    if turns:
        return turns, "docx-teams-legacy"
    return turns_from_lines(lines, source), "docx"
