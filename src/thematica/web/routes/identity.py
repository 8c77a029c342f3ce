"""Who am I: pick or add a team-member identity (kept in a cookie), while no member has a
password. Once anyone has one, everyone signs in (``routes/signin.py``) and this page is off."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import MemberRole
from thematica.errors import AccessDenied, NotFoundError, ThematicaError
from thematica.web.shell import COOKIE, Workbench


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/identity", response_class=HTMLResponse)
    def identity_page(request: Request) -> Response:
        if wb.signin_required(request):
            return RedirectResponse("/login", status_code=303)
        team = [{"name": m.name, "role": m.role.value} for m in wb.service.team() if m.active]
        return wb.page(
            request, "identity.html", {"team": team, "roles": [x.value for x in MemberRole]}, None
        )

    @r.post("/identity")
    def choose_identity(
        request: Request,
        name: Annotated[str, Form(max_length=200)],
        new: Annotated[bool, Form()] = False,
        role: Annotated[str, Form()] = "coder",
    ) -> Response:
        if wb.signin_required(request):
            raise AccessDenied(
                "everyone signs in now (a member has a password): choosing an identity is off; "
                "sign in at /login"
            )
        name = " ".join(name.split())
        if new:
            try:
                wb.service.add_team_member(name, MemberRole(role))
            except ValueError:
                raise ThematicaError("the role is lead, coder or reader") from None
        elif name not in {m.name for m in wb.service.team() if m.active}:
            raise NotFoundError(f"no team member {name!r}")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, quote(name, safe=""), httponly=True, samesite="strict")
        return response

    return r
