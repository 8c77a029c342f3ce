"""What every page of the workbench shares: the study's service, the templates, who is asking,
and the reading rules. Feature modules under ``web/routes`` take a :class:`Workbench` and
return their router; none of them touches SQL.

Identity has two modes. While no member has a password (a single researcher on this machine),
the user picks (or adds) their team-member identity, kept in a cookie. As soon as any member has
a password, everyone signs in: :meth:`member` is then the member whose server-side session the
``thematica_session`` cookie names (found once per request by ``middleware.SignInGate``), and
the identity picker is off. Every coding, memo and journal entry is stamped with the member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from thematica.errors import AccessDenied, ThematicaError
from thematica.service import StudyService
from thematica.web.context import Member
from thematica.web.middleware import SESSION_COOKIE

COOKIE = "thematica_member"
LOGIN_COOKIE = "thematica_login"  # the sign-in form's own token (see routes/signin.py)


class Unauthenticated(ThematicaError):
    """No identity chosen yet."""


@dataclass
class Workbench:
    service: StudyService
    templates: Jinja2Templates
    key_path: Path
    session_idle: dt.timedelta = field(default=dt.timedelta(hours=8))
    team_server: bool = False  # served beyond this machine or from PostgreSQL: always sign in

    @staticmethod
    def signin(request: Request) -> tuple[bool, Any]:
        """(whether everyone signs in, the signed-in account or None), as the gate found them."""
        found: tuple[bool, Any] = getattr(request.state, "signin", (False, None))
        return found

    def signin_required(self, request: Request) -> bool:
        return self.signin(request)[0]

    def member(self, request: Request) -> Member:
        """Who is asking: the signed-in member, or (while no one has a password) the member
        named by the identity cookie."""
        required, account = self.signin(request)
        if required:
            if account is None:
                raise Unauthenticated(
                    "sign in first: your session has ended or you have not signed in"
                )
            m = account.member
            return Member(m.name, m.role.value, m.anonymised_only)
        raw = request.cookies.get(COOKIE)
        name = unquote(raw) if raw else None
        if not name:
            raise Unauthenticated("choose who you are first (/identity)")
        for m in self.service.team():
            if m.name == name and m.active:
                return Member(m.name, m.role.value, m.anonymised_only)
        raise Unauthenticated(f"{name!r} is not in the team; choose again (/identity)")

    def csrf(self, request: Request) -> str:
        account = self.signin(request)[1]
        return str(account.csrf) if account is not None else ""

    @staticmethod
    def client(request: Request) -> str:
        """The client's address, for the audit log and the limit on failed sign-ins (behind
        ``serve --behind-proxy``, the address the proxy forwarded)."""
        return request.client.host if request.client is not None else ""

    @staticmethod
    def start_session(request: Request, response: Response, token: str) -> None:
        """Hand the browser a new session: HttpOnly, SameSite=Strict, Secure over HTTPS."""
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        response.delete_cookie(COOKIE, path="/")
        response.delete_cookie(LOGIN_COOKIE, path="/")

    @staticmethod
    def session_token(request: Request) -> str | None:
        return request.cookies.get(SESSION_COOKIE) or None

    def page(
        self, request: Request, name: str, data: dict[str, Any], member: Member | None
    ) -> HTMLResponse:
        """Render a page from the same ``data`` its JSON twin returns."""
        title = self.service.info().title
        context = {
            **data,
            "me": member,
            "study_title": title,
            "csrf": self.csrf(request),
            "signed_in": self.signin_required(request),
        }
        return self.templates.TemplateResponse(request, name, context)

    def readable(self, member: Member, ref: str) -> None:
        """Readers, and members marked anonymised-only, never see a transcript that is not fully
        anonymised: not in a page, not in the API, whatever the URL (the rule is the service's)."""
        self.service.require_readable(ref, member.name)

    def named_safely(self, member: Member, ref: str) -> None:
        """A member who sees anonymised text only names transcripts by number or participant
        label: whether a file name (which may hold a real name) exists must not be learnt from
        a 403 where a made-up name gets a 404 (the rule is the service's)."""
        self.service.resolve_for(ref, member.name)

    def readable_coding(self, member: Member, coding_id: int) -> None:
        coding = self.service.coding(coding_id, visible_to=member.name)
        self.readable(member, str(coding.transcript_id))

    @staticmethod
    def coder(member: Member) -> None:
        """Only leads and coders change the analysis; readers read."""
        if member.role == "reader":
            raise AccessDenied(f"{member.name} is a reader and cannot change the study")

    @staticmethod
    def lead(member: Member) -> None:
        if member.role != "lead":
            raise AccessDenied(f"only a lead can do this; {member.name} is a {member.role}")


__all__ = ["COOKIE", "LOGIN_COOKIE", "SESSION_COOKIE", "Unauthenticated", "Workbench"]
