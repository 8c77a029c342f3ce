"""``GET /media/{ref}``: a transcript's recording, streamed with HTTP Range support so a player
can seek (206 with the bytes asked for and ``Content-Range``; 416 for a range past the end; 200
with the whole file without a Range header). Only members who see original text receive it:
``MemberStudy.recording`` checks that before it gives a path, and the path is built from the
stored SHA-256, never from the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from thematica.web.shell import Workbench

CHUNK = 64 * 1024
RANGE = re.compile(r"bytes=(\d*)-(\d*)")
HEADERS = {"Accept-Ranges": "bytes", "Cache-Control": "private, no-store"}


def byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The (first, last) bytes a Range header asks for; None: the whole file (no header, or one
    this server ignores, such as several ranges); ``"unsatisfiable"``: past the end."""
    if not header:
        return None
    found = RANGE.fullmatch(header.strip())
    if found is None:
        return None
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def stream(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as fh:
        fh.seek(start)
        left = end - start + 1
        while left > 0:
            block = fh.read(min(CHUNK, left))
            if not block:
                return
            left -= len(block)
            yield block


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/media/{ref}")
    def recording(request: Request, ref: str) -> Response:
        """The transcript's recording, whole or the byte range asked for."""
        found = wb.acting(request).recording(ref)
        wanted = byte_range(request.headers.get("range"), found.size)
        headers = {**HEADERS, "Content-Type": found.mime}
        if wanted == "unsatisfiable":
            return Response(
                status_code=416, headers={**HEADERS, "Content-Range": f"bytes */{found.size}"}
            )
        if wanted is None:
            start, end, status = 0, found.size - 1, 200
        else:
            assert isinstance(wanted, tuple)
            start, end = wanted
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{found.size}"
        headers["Content-Length"] = str(end - start + 1)
        return StreamingResponse(
            stream(found.path, start, end),
            status_code=status,
            headers=headers,
            media_type=found.mime,
        )

    return r
