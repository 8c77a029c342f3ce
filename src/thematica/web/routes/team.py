"""The team page (leads only): members, invitation links, roles, anonymised-only, deactivation.
An invitation link is shown once, on the page that answers the action that made it; the study
keeps only its hash. The rules (who may, the last lead) are the service's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import MemberRole, Scope
from thematica.errors import ThematicaError
from thematica.service.accounts import INVITATION_DAYS, Invitation
from thematica.web.context import Member
from thematica.web.shell import Workbench


def _role(value: str) -> MemberRole:
    try:
        return MemberRole(value)
    except ValueError:
        raise ThematicaError("the role is lead, coder or reader") from None


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def data(request: Request) -> dict[str, Any]:
        return {
            "members": [
                {
                    "name": m.name,
                    "role": m.role.value,
                    "anonymised_only": m.anonymised_only,
                    "sees": "all text" if m.scope is Scope.ALL else "anonymised text only",
                    "has_password": m.has_password,
                    "email": m.email,
                    "active": m.active,
                }
                for m in wb.service.team()
            ],
            "roles": [x.value for x in MemberRole],
            "invitation_days": INVITATION_DAYS,
            "signin_required": wb.signin_required(request),
        }

    def lead(request: Request) -> Member:
        """Only a lead manages the team (the service's rule; each change checks it again)."""
        me = wb.member(request)
        wb.acting(request).require_lead("manage the team")
        return me

    def page(request: Request, me: Member, invitation: Invitation | None = None) -> HTMLResponse:
        shown = (
            {"member": invitation.member, "link": invitation.link(str(request.base_url))}
            if invitation is not None
            else None
        )
        return wb.page(request, "team.html", {**data(request), "invitation": shown}, me)

    @r.get("/team", response_class=HTMLResponse)
    def team_page(request: Request) -> HTMLResponse:
        return page(request, lead(request))

    @r.get("/api/team")
    def team_api(request: Request) -> dict[str, Any]:
        lead(request)
        return data(request)

    @r.post("/team/add", response_class=HTMLResponse)
    def add(
        request: Request,
        name: Annotated[str, Form(max_length=200)],
        role: Annotated[str, Form(max_length=16)] = "coder",
        email: Annotated[str, Form(max_length=320)] = "",
        anonymised_only: Annotated[bool, Form()] = False,
        invite: Annotated[bool, Form()] = False,
    ) -> HTMLResponse:
        me = lead(request)
        _member, invitation = wb.service.add_member(
            name,
            _role(role),
            by=me.name,
            email=email or None,
            anonymised_only=anonymised_only,
            invite=invite,
            client=wb.client(request),
        )
        return page(request, me, invitation)

    @r.post("/team/invite", response_class=HTMLResponse)
    def invite(request: Request, name: Annotated[str, Form(max_length=200)]) -> HTMLResponse:
        me = lead(request)
        invitation = wb.service.invite(name, by=me.name, client=wb.client(request))
        return page(request, me, invitation)

    @r.post("/team/role")
    def role(
        request: Request,
        name: Annotated[str, Form(max_length=200)],
        role: Annotated[str, Form(max_length=16)],
    ) -> Response:
        me = lead(request)
        wb.service.set_role(name, _role(role), by=me.name, client=wb.client(request))
        return RedirectResponse("/team", status_code=303)

    @r.post("/team/anonymised-only")
    def anonymised_only(
        request: Request,
        name: Annotated[str, Form(max_length=200)],
        flag: Annotated[bool, Form()] = False,
    ) -> Response:
        me = lead(request)
        wb.service.mark_anonymised_only(name, flag, by=me.name, client=wb.client(request))
        return RedirectResponse("/team", status_code=303)

    @r.post("/team/deactivate")
    def deactivate(request: Request, name: Annotated[str, Form(max_length=200)]) -> Response:
        me = lead(request)
        wb.service.deactivate(name, by=me.name, client=wb.client(request))
        return RedirectResponse("/team", status_code=303)

    @r.post("/team/reactivate")
    def reactivate(request: Request, name: Annotated[str, Form(max_length=200)]) -> Response:
        me = lead(request)
        wb.service.reactivate(name, by=me.name, client=wb.client(request))
        return RedirectResponse("/team", status_code=303)

    return r
