"""Timestamps and block splitting shared by the WebVTT and SRT readers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from thematica.errors import InputError
from thematica.importers.limits import MAX_CUE, MAX_HOURS, shorten

# Hours optional, fields not necessarily zero-padded (Teams writes "0:0:3.540"), "." or ",".
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines; ``first_line`` is the 1-based line number of ``lines[0]``."""

    first_line: int
    lines: tuple[str, ...]


def blocks(text: str) -> Iterator[Block]:
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            yield Block(start, tuple(current))
            current = []
    if current:
        yield Block(start, tuple(current))


def _ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(
        fraction.ljust(3, "0")
    )


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
    g = match.groups()
    if _too_late(g[0]) or _too_late(g[4]):
        raise InputError(
            source,
            f"a time beyond {MAX_HOURS} hours in {shorten(line.strip())}",
            f"line {line_number}",
        )
    start, end = _ms(*g[0:4]), _ms(*g[4:8])
    seconds_bad = int(g[2]) > 59 or int(g[6]) > 59
    minutes_bad = (g[0] is not None and int(g[1]) > 59) or (g[4] is not None and int(g[5]) > 59)
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
