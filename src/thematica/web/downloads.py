"""A download's response: the bytes an exporter wrote, the right Content-Type and a
Content-Disposition whose file name is safe on every system: ASCII letters, digits and hyphens
only, so no path, quote, reserved character or look-alike letter reaches a user's disk."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from typing import IO

from fastapi.responses import Response

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "qdc": "application/xml",
    "qdpx": "application/zip",
}
LONGEST = 80  # characters in a file name's stem


def safe_stem(title: str) -> str:
    """``title`` as a file name's stem: accents dropped, anything but letters and digits a
    hyphen, at most 80 characters; "export" if nothing is left."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:LONGEST].strip("-")
    return stem or "export"


def filename_header(stem: str, fmt: str) -> str:
    return f'attachment; filename="{safe_stem(stem)}.{fmt}"'


def download(stem: str, fmt: str, content: bytes) -> Response:
    return Response(
        content,
        media_type=TYPES[fmt],
        headers={"content-disposition": filename_header(stem, fmt)},
    )


def written(write: Callable[[IO[bytes]], None]) -> bytes:
    """What ``write`` writes to a file object, as bytes."""
    out = io.BytesIO()
    write(out)
    return out.getvalue()
