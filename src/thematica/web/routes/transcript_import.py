"""Import transcripts from the workbench, a lead's (the import page's first form): Teams or Zoom
WebVTT, SRT, Teams .docx, text or Markdown files, chosen in the browser and posted to
``/import/transcripts`` (the page then lists what came in), or sent as base64 in a JSON body to
``/api/import/transcripts`` (answered with the import report, as ``transcripts import --format
json`` prints it). The same import as the command line's without its options: all or nothing (a
bad file refuses the batch, naming every bad one, and the study is unchanged), the speaker who
talks most is the participant, a file named after a participant label is linked to them. The
service checks the member (a lead who may see originals) and logs the import as theirs."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from thematica.errors import InputError, ThematicaError
from thematica.serialise import plain
from thematica.service import ImportReport, TranscriptSource
from thematica.web.shell import Workbench
from thematica.web.upload import NAME_LIMIT, safe_name

MAX_FILES = 200
NOTHING_CHOSEN = "choose one or more transcript files to import"


class TranscriptFile(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_LIMIT, description="the file's name")
    content: str = Field(min_length=1, description="the file's bytes, base64")


class TranscriptUpload(BaseModel):
    files: list[TranscriptFile] = Field(min_length=1, max_length=MAX_FILES)


def _source(name: str, data: bytes) -> TranscriptSource:
    return TranscriptSource(name=safe_name(name), read=lambda: data)


async def _from_form(request: Request) -> list[TranscriptSource]:
    """The form's files (an empty file input sends a part with no file name: not a file)."""
    try:
        async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
            chosen = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            if not chosen:
                raise ThematicaError(NOTHING_CHOSEN)
            return [_source(f.filename or "", await f.read()) for f in chosen]
    except HTTPException as exc:  # a malformed form, or more than MAX_FILES files
        raise ThematicaError(f"the form could not be read: {exc.detail}") from None


def _from_json(body: TranscriptUpload) -> list[TranscriptSource]:
    sources = []
    for sent in body.files:
        try:
            data = base64.b64decode(sent.content, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(sent.name, "the content is not base64") from None
        sources.append(_source(sent.name, data))
    return sources


def report_json(report: ImportReport) -> dict[str, Any]:
    found = plain(report)
    assert isinstance(found, dict)
    return found


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.post("/import/transcripts")
    async def import_transcripts_form(request: Request) -> Response:
        """The page's form: back to the import page, which lists the transcripts imported."""
        study = await run_in_threadpool(wb.acting, request)
        await run_in_threadpool(study.require_may_import_transcripts)  # before reading files
        sources = await _from_form(request)
        report = await run_in_threadpool(study.import_transcripts, sources)
        ids = ",".join(str(t.id) for t in report.imported)
        return RedirectResponse(f"/import?transcripts={ids}", status_code=303)

    @r.post("/api/import/transcripts")
    def import_transcripts_json(request: Request, body: TranscriptUpload) -> dict[str, Any]:
        return report_json(wb.acting(request).import_transcripts(_from_json(body)))

    return r


__all__ = ["MAX_FILES", "NOTHING_CHOSEN", "TranscriptUpload", "report_json", "router"]
