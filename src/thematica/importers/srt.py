"""SubRip (.srt) transcripts: numbered cues, ``HH:MM:SS,mmm`` timings, optional ``Name:`` prefixes."""

from __future__ import annotations

import html
import re

from thematica.domain import ParsedTurn
from thematica.errors import InputError
from thematica.importers.captions import blocks, check_payload, is_timing, parse_timing
from thematica.importers.turns import Segment, join_lines, merge, split_prefixes

_TAG = re.compile(r"</?[A-Za-z][^<>]*>|\{\\[^{}]*\}")  # never over another "<" or "{"


def parse_srt(text: str, source: str) -> tuple[tuple[ParsedTurn, ...], str]:
    cues: list[tuple[int, int, str]] = []
    for block in blocks(text):
        lines = block.lines
        if lines[0].strip().isdigit():
            if len(lines) < 2 or not is_timing(lines[1]):
                raise InputError(
                    source,
                    "expected a cue timing like '00:00:01,000 --> 00:00:04,000' after the cue number",
                    f"line {block.first_line + 1}",
                )
            timing_at = 1
        elif is_timing(lines[0]):
            timing_at = 0
        else:
            raise InputError(
                source,
                f"expected a cue number or timing, found {lines[0].strip()!r}",
                f"line {block.first_line}",
            )
        line_no = block.first_line + timing_at
        start, end = parse_timing(lines[timing_at], source, line_no)
        check_payload(lines[timing_at + 1 :], source, line_no + 1)
        payload = html.unescape(_TAG.sub("", "\n".join(lines[timing_at + 1 :])))
        cues.append((start, end, join_lines(payload)))
    if not cues:
        raise InputError(source, "the file has no subtitles (nothing was said in it)")
    split = split_prefixes([c[2] for c in cues])
    segments = [
        Segment(name, txt, s, e) for (name, txt), (s, e, _) in zip(split, cues, strict=True)
    ]
    return merge(segments), "srt"
