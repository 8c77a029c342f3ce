"""The duration of a WebM (Matroska) file, which ``mutagen`` does not read: the EBML header must
say ``webm`` or ``matroska``, and the Segment's Info must hold a Duration (scaled by its
TimecodeScale). Only the few elements on that path are parsed; a Segment that declares more
bytes than the file holds is truncated. Pure: bytes of the file's start and its size in, a
duration or a reason out."""

from __future__ import annotations

import math
import struct
from typing import BinaryIO

EBML, DOCTYPE = 0x1A45DFA3, 0x4282
SEGMENT, INFO, TIMECODE_SCALE, DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489
UNKNOWN = -1  # a live recording's "size not known yet"
HEAD = 1 << 20  # Info comes first in practice: the first MB is read


class NotWebm(ValueError):
    """Why the file is not a WebM recording that can be attached."""


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int]:
    if pos >= len(data):
        raise NotWebm("ends inside an element header")
    first = data[pos]
    length = next((n for n in range(1, 9) if first & (0x80 >> (n - 1))), 0)
    if not length or pos + length > len(data):
        raise NotWebm("damaged element header")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = UNKNOWN
    return value, pos + length


def _elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """(id, first byte of the body, its size) of each element in data[start:end]."""
    found = []
    pos = start
    while pos < end:
        ident, pos = _vint(data, pos, True)
        size, pos = _vint(data, pos, False)
        found.append((ident, pos, size))
        if size == UNKNOWN:
            break
        pos += size
    return found


def duration_ms(fh: BinaryIO, file_size: int) -> int:
    """The recording's duration in milliseconds, or :class:`NotWebm` saying why not."""
    data = fh.read(HEAD)
    top = _elements(data, 0, min(len(data), 64))[:1]
    if not top or top[0][0] != EBML:
        raise NotWebm("not a WebM/Matroska file (no EBML header)")
    _, body, size = top[0]
    doctype = next(
        (data[b : b + s] for i, b, s in _elements(data, body, body + size) if i == DOCTYPE), b""
    )
    if doctype.rstrip(b"\0") not in (b"webm", b"matroska"):
        raise NotWebm(f"an EBML file of type {doctype.decode('ascii', 'replace')!r}, not WebM")
    segment = next(
        ((b, s) for i, b, s in _elements(data, body + size, len(data)) if i == SEGMENT), None
    )
    if segment is None:
        raise NotWebm("no Segment")
    seg_body, seg_size = segment
    if seg_size != UNKNOWN and seg_body + seg_size > file_size:
        raise NotWebm("truncated (the file ends before its Segment)")
    seg_end = len(data) if seg_size == UNKNOWN else min(len(data), seg_body + seg_size)
    info = next(((b, s) for i, b, s in _elements(data, seg_body, seg_end) if i == INFO), None)
    if info is None:
        raise NotWebm("no Info element near the start")
    scale, duration = 1_000_000, 0.0
    for ident, b, s in _elements(data, info[0], info[0] + info[1]):
        if ident == TIMECODE_SCALE:
            scale = int.from_bytes(data[b : b + s], "big") or scale
        elif ident == DURATION and s in (4, 8):
            duration = float(struct.unpack(">f" if s == 4 else ">d", data[b : b + s])[0])
    if not math.isfinite(duration) or duration <= 0 or duration * scale > 1e18:
        raise NotWebm("no Duration (a live recording not finalised?)")
    return round(duration * scale / 1_000_000)


__all__ = ["NotWebm", "duration_ms"]
