"""Stamp a resolution into a PNG. Graphviz's cairo renderer draws at the requested dpi but
writes no ``pHYs`` chunk, so word processors would place a 300 dpi image at 96 dpi size."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
INCH = 0.0254  # metres


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG, in order."""
    if not png.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    out = []
    at = len(SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        out.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return out


def dpi(png: bytes) -> tuple[float, float] | None:
    """The horizontal and vertical resolution in dots per inch, or None without ``pHYs``."""
    for kind, body in chunks(png):
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", body)
            return (x * INCH, y * INCH) if unit == 1 else None
    return None


def size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels."""
    width, height = struct.unpack(">II", chunks(png)[0][1][:8])
    return width, height


def with_dpi(png: bytes, resolution: int) -> bytes:
    """The PNG with its ``pHYs`` chunk set to ``resolution`` dots per inch."""
    per_metre = round(resolution / INCH)
    phys = _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    out = [SIGNATURE]
    for kind, body in chunks(png):
        if kind == b"pHYs":
            continue
        out.append(_chunk(kind, body))
        if kind == b"IHDR":
            out.append(phys)
    return b"".join(out)
