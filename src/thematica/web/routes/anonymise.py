"""The anonymisation review page, for members allowed to see originals (with the key file)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.errors import AccessDenied, ThematicaError
from thematica.service.anonymising import AnonymisingStudy
from thematica.web.context import Member
from thematica.web.shell import Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def anonymiser() -> AnonymisingStudy:
        return AnonymisingStudy(wb.service, wb.key_path)

    def no_originals_for(member: Member) -> None:
        if member.anonymised_only:
            raise AccessDenied(
                f"{member.name} sees anonymised text only and cannot review findings"
            )

    def review_context(member: Member) -> dict[str, Any]:
        no_originals_for(member)
        if not wb.key_path.exists():
            return {"key": str(wb.key_path), "has_key": False, "findings": [], "categories": []}
        found = anonymiser().findings("pending")
        return {
            "key": str(wb.key_path),
            "has_key": True,
            "findings": [asdict(f) for f in found],
            "categories": sorted({f.category for f in found}),
        }

    @r.get("/anonymise", response_class=HTMLResponse)
    def review_page(request: Request) -> HTMLResponse:
        member = wb.member(request)
        return wb.page(request, "anonymise.html", review_context(member), member)

    @r.get("/api/anonymise/findings")
    def review_json(request: Request) -> dict[str, Any]:
        return review_context(wb.member(request))

    @r.post("/anonymise/scan")
    def review_scan(request: Request) -> Response:
        member = wb.member(request)
        review_context(member)
        anonymiser().scan()
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/decide")
    def review_decide(
        request: Request,
        finding: Annotated[int, Form()],
        action: Annotated[str, Form()],
        replacement: Annotated[str, Form(max_length=300)] = "",
    ) -> Response:
        member = wb.member(request)
        no_originals_for(member)
        if action == "accept":
            anonymiser().decide(member.name, accept=[finding])
        elif action == "reject":
            anonymiser().decide(member.name, reject=[finding])
        elif action == "edit":
            anonymiser().decide(member.name, edits={finding: replacement})
        else:
            raise ThematicaError("the action is accept, reject or edit")
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/accept-category")
    def review_accept_category(
        request: Request, category: Annotated[str, Form(max_length=64)]
    ) -> Response:
        member = wb.member(request)
        no_originals_for(member)
        anonymiser().decide(member.name, accept_categories=[category])
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/apply")
    def review_apply(request: Request) -> Response:
        member = wb.member(request)
        no_originals_for(member)
        anonymiser().apply(member.name, pending="skip")  # the page lists what is pending
        return RedirectResponse("/anonymise", status_code=303)

    return r
