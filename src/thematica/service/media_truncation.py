"""Whether a recording ends before its own structure says it should (``mutagen`` reads headers
and estimates, so a file cut short would pass with a shorter or even the full duration). Pure:
a file in, a reason or None out. Used by :func:`thematica.service.media.probe`.

* MP3: the frames are followed from the first to the last; a frame that runs past the end of
  the file, or a LAME/Xing header declaring more bytes than there are, is a cut. (A file cut
  exactly between two frames is a shorter, valid MP3: the length check catches it.)
* Ogg (Vorbis, Opus): the last page must end exactly at the end of the file and be marked
  end-of-stream.
* MP4/M4A: the top-level boxes must tile the file; one that runs past its end is a cut (with
  ``moov`` first, "fast start", a cut file still has its full header).
"""

from __future__ import annotations

import struct
from pathlib import Path

_TAIL = 70_000  # an Ogg page is at most 65,307 bytes

_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_KBPS = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


def _mp3_frame_length(header: bytes) -> int | None:
    """The length of the MPEG audio frame starting with ``header`` (4 bytes), or None."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    rate_index, bitrate_index = (header[2] >> 2) & 3, header[2] >> 4
    if version == 1 or layer_bits == 0 or rate_index == 3 or bitrate_index in (0, 15):
        return None
    layer = 4 - layer_bits
    mpeg1 = version == 3
    kbps = _MP3_KBPS[(mpeg1, layer)][bitrate_index]
    rate = _MP3_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 1:
        return (12 * kbps * 1000 // rate + padding) * 4
    per_frame = 144 if layer == 2 or mpeg1 else 72
    return per_frame * kbps * 1000 // rate + padding


def mp3(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb", buffering=1 << 16) as fh:
        head = fh.read(10)
        start = 0
        if head[:3] == b"ID3" and len(head) == 10:
            start = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
            start += 10 if head[5] & 0x10 else 0
        fh.seek(start)
        window = fh.read(4096)
        first = next(
            (i for i in range(len(window) - 3) if _mp3_frame_length(window[i : i + 4])), None
        )
        if first is None:
            return None  # mutagen found the frames; nothing more to say
        pos = start + first
        for marker in (b"Xing", b"Info"):
            at = window.find(marker, first, first + 64)
            if at >= 0 and len(window) >= at + 16:
                flags = struct.unpack(">I", window[at + 4 : at + 8])[0]
                field = at + 8 + (4 if flags & 1 else 0)
                if flags & 2 and pos + struct.unpack(">I", window[field : field + 4])[0] > size:
                    return "the file ends before the audio its header declares"
        while pos < size:
            fh.seek(pos)
            length = _mp3_frame_length(fh.read(4))
            if length is None:
                return None  # tags (ID3v1, APE) or padding after the last frame
            if pos + length > size:
                return "the file ends inside an audio frame"
            pos += length
    return None


def ogg(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
    at = len(tail)
    while (at := tail.rfind(b"OggS", 0, at)) >= 0:
        if len(tail) < at + 27:
            continue
        count = tail[at + 26]
        table = tail[at + 27 : at + 27 + count]
        if at + 27 + count + sum(table) == len(tail) and len(table) == count:
            if tail[at + 5] & 0x04:
                return None
            return "the stream has no end (its last page is not marked end-of-stream)"
    return "the file ends inside an Ogg page"


def mp4(path: Path) -> str | None:
    size = path.stat().st_size
    pos = 0
    with path.open("rb") as fh:
        while pos < size:
            fh.seek(pos)
            head = fh.read(16)
            if len(head) < 8:
                return "the file ends inside a box header"
            length = struct.unpack(">I", head[:4])[0]
            if length == 1:
                if len(head) < 16:
                    return "the file ends inside a box header"
                length = struct.unpack(">Q", head[8:16])[0]
            elif length == 0:
                return None  # the last box runs to the end of the file
            if length < 8:
                return "a box is damaged"
            if pos + length > size:
                return f"the file ends inside its {head[4:8].decode('latin-1')!r} box"
            pos += length
    return None


CHECKS = {".mp3": mp3, ".ogg": ogg, ".oga": ogg, ".opus": ogg, ".m4a": mp4, ".mp4": mp4}


def truncated(path: Path) -> str | None:
    """Why ``path`` (of a type with a check) is cut short, or None."""
    check = CHECKS.get(path.suffix.lower())
    return check(path) if check is not None else None


__all__ = ["truncated"]
