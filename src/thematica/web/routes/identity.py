"""Who am I: pick or add a team-member identity (kept in a cookie)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import MemberRole
from thematica.errors import NotFoundError, ThematicaError
from thematica.web.shell import COOKIE, Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/identity", response_class=HTMLResponse)
    def identity_page(request: Request) -> HTMLResponse:
        team = [{"name": m.name, "role": m.role.value} for m in wb.service.team()]
        return wb.page(
            request, "identity.html", {"team": team, "roles": [x.value for x in MemberRole]}, None
        )

    @r.post("/identity")
    def choose_identity(
        name: Annotated[str, Form(max_length=200)],
        new: Annotated[bool, Form()] = False,
        role: Annotated[str, Form()] = "coder",
    ) -> Response:
        name = " ".join(name.split())
        if new:
            try:
                wb.service.add_team_member(name, MemberRole(role))
            except ValueError:
                raise ThematicaError("the role is lead, coder or reader") from None
        elif name not in {m.name for m in wb.service.team()}:
            raise NotFoundError(f"no team member {name!r}")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, quote(name, safe=""), httponly=True, samesite="strict")
        return response

    return r
