"""``GET /media/{ref}``: a transcript's recording, streamed with HTTP Range support so a player
can seek (206 with the bytes asked for and ``Content-Range``; 416 for a range past the end; 200
with the whole file without a Range header). Only members who see original text receive it:
``MemberStudy.recording`` checks that before it gives a path, and the path is built from the
stored SHA-256, never from the URL.

``POST /transcripts/{ref}/recording``: the transcript page's "Attach a recording" form (and
"Re-link", with ``relink=1``). The upload is written to a private folder inside the media folder
as it arrives (``web/upload.py``), keeping the file's name and extension, handed to
``MemberStudy.attach_recording`` and removed afterwards whatever happened; then back to the page
(303) with a notice, or the refusal as a 4xx page. Who may attach is asked before the body is
read."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from thematica import private_files
from thematica.errors import InputError, ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web.shell import Workbench
from thematica.web.upload import receive_file

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

    @r.post("/transcripts/{ref}/recording")
    async def attach_upload(request: Request, ref: str) -> Response:
        """Attach (or, with ``relink=1``, re-link) the uploaded recording to the transcript."""
        study = await run_in_threadpool(wb.acting, request)
        await run_in_threadpool(study.require_may_attach)
        folder = await run_in_threadpool(wb.service.media_folder)
        await run_in_threadpool(private_files.make_folder, folder)
        place = Path(tempfile.mkdtemp(prefix=".upload-", dir=folder))  # 0700, same disk
        try:
            upload = await receive_file(request, "recording", place)
            relink = upload.fields.get("relink") == "1"
            tid = await run_in_threadpool(_attach, study, ref, upload.path, relink)
        finally:
            await run_in_threadpool(shutil.rmtree, place, True)
        done = "relinked" if relink else "attached"
        return RedirectResponse(f"/transcripts/{tid}?recording={done}", status_code=303)

    return r


def _attach(study: MemberStudy, ref: str, path: Path | None, relink: bool) -> int:
    """Attach ``path``; a refusal names the file as the member chose it, not the folder it
    was received into."""
    if path is None:
        raise ThematicaError(
            "choose a recording to attach (WAV, MP3, M4A, AAC, Ogg, Opus, WebM, MP4)"
        )
    try:
        return study.attach_recording(ref, path, relink=relink).transcript_id
    except InputError as exc:
        source = path.name if exc.source == str(path) else exc.source
        raise InputError(source, exc.reason, exc.location) from None
