"""The study overview: participants, transcripts with progress per coder, guide, activity."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from thematica.web import context
from thematica.web.shell import Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/", response_class=HTMLResponse)
    def overview_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "overview.html", context.overview(study), study)

    @r.get("/api/overview")
    def overview_json(request: Request) -> dict[str, Any]:
        return context.overview(wb.acting(request))

    return r
