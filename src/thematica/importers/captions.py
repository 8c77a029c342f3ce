"""Timestamps and block splitting shared by the WebVTT and SRT readers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from thematica.errors import InputError
from thematica.importers.limits import MAX_CUE, MAX_HOURS, shorten

# Hours optional, fields not necessarily zero-padded (Teams writes "0:0:3.540"), "." or ",".
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")


class Block(NamedTuple):
    """Consecutive non-blank lines; ``first_line`` is the 1-based line number of ``lines[0]``."""

    first_line: int
    lines: tuple[str, ...]


def blocks(text: str) -> Iterator[Block]:
    lines = text.split("\n")
    start = -1  # index of the current block's first line, -1 between blocks
    for index, line in enumerate(lines):
        if line.strip():
            if start < 0:
                start = index
        elif start >= 0:
            yield Block(start + 1, tuple(lines[start:index]))
            start = -1
    if start >= 0:
        yield Block(start + 1, tuple(lines[start:]))


_SHORT_HOURS = len(str(MAX_HOURS)) - 1  # hours of this many digits are never too late


def _too_late(hours: str | None) -> bool:
    return hours is not None and (
        len(hours.lstrip("0")) > 4 or int(hours.lstrip("0") or "0") >= MAX_HOURS
    )


def is_timing(line: str) -> bool:
    return "-->" in line


def parse_timing(line: str, source: str, line_number: int) -> tuple[int, int]:
    """Parse ``start --> end [settings]`` into milliseconds, or raise a located error."""
    match = _TIMING.match(line)
    if match is None:
        raise InputError(
            source, f"malformed cue timing {shorten(line.strip())}", f"line {line_number}"
        )
    h1, m1, s1, f1, h2, m2, s2, f2 = match.groups()
    if (h1 is not None and len(h1) > _SHORT_HOURS and _too_late(h1)) or (
        h2 is not None and len(h2) > _SHORT_HOURS and _too_late(h2)
    ):
        raise InputError(
            source,
            f"a time beyond {MAX_HOURS} hours in {shorten(line.strip())}",
            f"line {line_number}",
        )
    minutes1, seconds1, minutes2, seconds2 = int(m1), int(s1), int(m2), int(s2)
    start = ((int(h1 or 0) * 60 + minutes1) * 60 + seconds1) * 1000 + int(f1.ljust(3, "0"))
    end = ((int(h2 or 0) * 60 + minutes2) * 60 + seconds2) * 1000 + int(f2.ljust(3, "0"))
    seconds_bad = seconds1 > 59 or seconds2 > 59
    minutes_bad = (h1 is not None and minutes1 > 59) or (h2 is not None and minutes2 > 59)
    if seconds_bad or minutes_bad:
        raise InputError(
            source, f"impossible time in {shorten(line.strip())}", f"line {line_number}"
        )
    if end < start:
        raise InputError(source, "the cue ends before it starts", f"line {line_number}")
    return start, end


def check_payload(lines: tuple[str, ...], source: str, first_line: int) -> None:
    """Refuse a cue's text that holds a timing or is longer than :data:`MAX_CUE`."""
    size = 0
    for offset, line in enumerate(lines):
        if is_timing(line):
            raise InputError(
                source,
                "a cue's text contains '-->' (is a blank line missing between two cues?)",
                f"line {first_line + offset}",
            )
        size += len(line)
        if size > MAX_CUE:
            raise InputError(
                source,
                f"a cue of more than {MAX_CUE:,} characters (is the file a caption file?)",
                f"line {first_line}",
            )
