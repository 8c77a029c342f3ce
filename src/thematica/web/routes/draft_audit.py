"""Audit a draft (``/draft-audit``): upload a DOCX, Markdown, text or HTML draft and see every
count claim and quote checked against the study, each claim linked to its node's quotes and
each quote to its place in the transcript. The JSON twin (``/api/draft-audit``) takes the file
as base64 in a JSON body. The service decides what the member may see: counts as on the
analysis pages, quotes only against the transcripts they may read. Nothing is stored."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from thematica.domain import Level
from thematica.errors import InputError, ThematicaError
from thematica.manuscript.draft import MAX_DRAFT_BYTES, check_size, read_draft
from thematica.manuscript.results import AuditReport
from thematica.service.acting import MemberStudy
from thematica.web.shell import Workbench

_MAX_NAME = 200


class DraftUpload(BaseModel):
    name: str = Field(min_length=1, max_length=_MAX_NAME)
    content: str = Field(min_length=1, description="the file's bytes, base64")
    level: int = Field(default=2, ge=1, le=2)


def _links(report: AuditReport) -> dict[str, Any]:
    """The report as its JSON, with where each claim's node and each quote can be seen."""
    from thematica.manuscript.writers import plain

    data = plain(report)
    assert isinstance(data, dict)
    for item, claim in zip(data["claims"], report.claims, strict=True):
        kind, ident = claim.node_kind, claim.node_id
        item["href"] = (
            f"/themes/{ident}/quotes"
            if kind == "theme" and ident is not None
            else f"/codes/{ident}/quotes"
            if kind == "code" and ident is not None
            else None
        )
        item["where"] = str(claim.location)
    for item, quote in zip(data["quotes"], report.quotes, strict=True):
        item["href"] = (
            f"/transcripts/{quote.transcript_id}#o{quote.start}"
            if quote.transcript_id is not None and quote.start is not None
            else None
        )
        item["where"] = str(quote.location)
    for item, found in zip(data["inconsistencies"], report.inconsistencies, strict=True):
        item["first"]["where"] = str(found.first.location)
        item["second"]["where"] = str(found.second.location)
    return data


def _audit(study: MemberStudy, data: bytes, name: str, level: int) -> dict[str, Any]:
    draft = read_draft(data, name)
    return _links(study.audit_draft(draft, level=Level(level)))


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/draft-audit", response_class=HTMLResponse)
    def draft_audit_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "draft_audit.html", {"report": None, "name": ""}, study)

    @r.post("/draft-audit", response_class=HTMLResponse)
    def draft_audit_form(
        request: Request, draft: UploadFile, level: Annotated[int, Form(ge=1, le=2)] = 2
    ) -> HTMLResponse:
        study = wb.acting(request)
        name = (draft.filename or "draft")[-_MAX_NAME:]
        data = draft.file.read(MAX_DRAFT_BYTES + 1)
        check_size(len(data), name)
        report = _audit(study, data, name, level)
        return wb.page(request, "draft_audit.html", {"report": report, "name": name}, study)

    @r.post("/api/draft-audit")
    def draft_audit_json(request: Request, body: DraftUpload) -> dict[str, Any]:
        study = wb.acting(request)
        try:
            data = base64.b64decode(body.content, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(body.name, "the content is not base64") from None
        if not data:
            raise ThematicaError("the draft is empty")
        return _audit(study, data, body.name, body.level)

    return r
