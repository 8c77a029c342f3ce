"""The anonymisation review page, for members allowed to see originals (with the key file)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web.shell import Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def review_context(study: MemberStudy) -> dict[str, Any]:
        anonymiser = study.anonymiser(wb.key_path)  # the service's rule: who sees originals
        if not wb.key_path.exists():
            return {"key": str(wb.key_path), "has_key": False, "findings": [], "categories": []}
        found = anonymiser.findings("pending")
        return {
            "key": str(wb.key_path),
            "has_key": True,
            "findings": [asdict(f) for f in found],
            "categories": sorted({f.category for f in found}),
        }

    @r.get("/anonymise", response_class=HTMLResponse)
    def review_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "anonymise.html", review_context(study), study)

    @r.get("/api/anonymise/findings")
    def review_json(request: Request) -> dict[str, Any]:
        return review_context(wb.acting(request))

    @r.post("/anonymise/scan")
    def review_scan(request: Request) -> Response:
        study = wb.acting(request)
        review_context(study)
        study.anonymiser(wb.key_path).scan()
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/decide")
    def review_decide(
        request: Request,
        finding: Annotated[int, Form()],
        action: Annotated[str, Form()],
        replacement: Annotated[str, Form(max_length=300)] = "",
    ) -> Response:
        study = wb.acting(request)
        anonymiser = study.anonymiser(wb.key_path)
        if action == "accept":
            anonymiser.decide(study.name, accept=[finding])
        elif action == "reject":
            anonymiser.decide(study.name, reject=[finding])
        elif action == "edit":
            anonymiser.decide(study.name, edits={finding: replacement})
        else:
            raise ThematicaError("the action is accept, reject or edit")
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/accept-category")
    def review_accept_category(
        request: Request, category: Annotated[str, Form(max_length=64)]
    ) -> Response:
        study = wb.acting(request)
        study.anonymiser(wb.key_path).decide(study.name, accept_categories=[category])
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/apply")
    def review_apply(request: Request) -> Response:
        study = wb.acting(request)
        study.apply_anonymisation(wb.key_path, pending="skip")  # the page lists what is pending
        return RedirectResponse("/anonymise", status_code=303)

    return r
