"""WebVTT transcripts: Microsoft Teams (``<v Name>`` voice spans), Zoom (``Name: text``) and
plain captions.

Handles cue identifiers, NOTE/STYLE/REGION blocks, metadata headers, multi-line cues, ``<v>``
with or without ``</v>``, several voices in one cue, inline tags and timestamps, HTML entities,
and Teams' non-padded timestamps (``0:0:3.540``).
"""

from __future__ import annotations

import html
import re

from thematica.domain import ParsedTurn
from thematica.errors import InputError
from thematica.importers.captions import (
    blocks,
    check_payload,
    is_timing,
    parse_timing,
)
from thematica.importers.limits import MAX_CUE, check_speaker
from thematica.importers.turns import Segment, join_lines, merge, split_prefixes

# A tag never runs over another "<": a scan for its ">" stops there, so a cue full of unclosed
# "<v" costs linear time (with "[^>]*", 80 KB of "<v a" took minutes).
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s([^<>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|</v>", re.IGNORECASE)
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def _plain(payload: str) -> str:
    if "<" not in payload:
        pass  # no tag to remove
    elif payload.endswith("</v>") and payload.count("<") == 1:
        payload = payload[:-4]  # the one tag is the closing "</v>" (Teams' every cue)
    else:
        payload = _TAG.sub("", payload)
    return html.unescape(payload) if "&" in payload else payload


def _voices(payload: str, names: dict[str | None, str]) -> list[tuple[str | None, str]]:
    """Split a cue payload at ``<v Name>`` tags into (speaker, text) pieces. ``names`` keeps
    each raw name's unescaped form (a file has a few speakers and thousands of cues)."""
    if payload.startswith("<v ") and payload.endswith("</v>") and payload.count("<") == 2:
        close = payload.find(">")
        if close < len(payload) - 4:  # "<v Name>text</v>", the one shape Teams writes
            raw = payload[3:close]
            name = names.get(raw)
            if name is None:
                name = names[raw] = html.unescape(raw).strip()
            return [(name, join_lines(_plain(payload[close + 1 :])))]
    pieces: list[tuple[str | None, str]] = []
    matches = list(_VOICE.finditer(payload))
    if not matches:
        return [(None, join_lines(_plain(payload)))]
    if matches[0].start():
        head = _plain(payload[: matches[0].start()])
        if head.strip():
            pieces.append((None, join_lines(head)))
    last = len(matches) - 1
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i < last else len(payload)
        raw = match.group(1)
        name = names.get(raw)
        if name is None:
            name = names[raw] = html.unescape(raw or "").strip()
        pieces.append((name, join_lines(_plain(payload[match.end() : end]))))
    return pieces


def parse_vtt(text: str, source: str) -> tuple[tuple[ParsedTurn, ...], str]:
    """Parse WebVTT ``text`` (already decoded) into merged turns; return them with the dialect:
    ``"vtt-teams"`` (voice spans), ``"vtt-zoom"`` (name prefixes) or ``"vtt"`` (no speakers)."""
    all_blocks = list(blocks(text))
    if not all_blocks or not re.match(r"^WEBVTT(?:[ \t].*)?$", all_blocks[0].lines[0]):
        raise InputError(source, "not a WebVTT file: the first line must be 'WEBVTT'", f"line {1}")
    header = all_blocks[0]
    body = list(all_blocks[1:])
    # Cues may start right after the header lines without a blank line in between.
    for i, line in enumerate(header.lines[1:], start=1):
        if is_timing(line):
            start = i - 1 if i > 1 and not is_timing(header.lines[i - 1]) else i
            body.insert(0, type(header)(header.first_line + start, header.lines[start:]))
            break

    cues: list[tuple[int, int, str]] = []
    cue_lines: list[int] = []  # where each cue's text starts
    for block in body:
        lines = block.lines
        first = lines[0]
        if (
            first.startswith(_SKIPPED_BLOCKS)
            and first.split(" ", 1)[0].split("\t", 1)[0] in _SKIPPED_BLOCKS
            and not is_timing(first)
        ):
            continue
        if is_timing(first):
            timing_at = 0
        elif len(lines) > 1 and is_timing(lines[1]):
            timing_at = 1
        else:
            raise InputError(
                source,
                f"expected a cue timing like '00:00:01.000 --> 00:00:04.000', found {first.strip()!r}",
                f"line {block.first_line}",
            )
        line_no = block.first_line + timing_at
        start, end = parse_timing(lines[timing_at], source, line_no)
        payload_lines = lines[timing_at + 1 :]
        only = payload_lines[0] if len(payload_lines) == 1 else None
        if only is None or "-->" in only or len(only) > MAX_CUE:
            check_payload(payload_lines, source, line_no + 1)  # else one line it would pass
        cues.append((start, end, "\n".join(payload_lines)))
        cue_lines.append(line_no + 1)
    if not cues:
        raise InputError(source, "the file has no cues (nothing was said in it)")

    has_voices = any(_VOICE.search(payload) for _, _, payload in cues)
    segments: list[Segment] = []
    if has_voices:
        names: dict[str | None, str] = {}
        checked: set[str] = set()  # names already found short enough
        for (start, end, payload), at in zip(cues, cue_lines, strict=True):
            for name, txt in _voices(payload, names):
                if name is not None and name not in checked:
                    check_speaker(name, source, f"line {at}")
                    checked.add(name)
                segments.append(Segment(name, txt, start, end))
        return merge(segments), "vtt-teams"
    texts = [join_lines(_plain(payload)) for _, _, payload in cues]
    split = split_prefixes(texts)
    dialect = "vtt-zoom" if any(name for name, _ in split) else "vtt"
    segments = [
        Segment(name, txt, start, end)
        for (name, txt), (start, end, _) in zip(split, cues, strict=True)
    ]
    return merge(segments), dialect
