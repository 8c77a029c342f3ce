"""What every page of the workbench shares: the study's service, the templates and who is
asking, as the study bound to them (:meth:`Workbench.acting`: the service checks every access
rule, so no route re-derives one). Feature modules under ``web/routes`` take a
:class:`Workbench` and return their router; none of them touches SQL.

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

from thematica.errors import ThematicaError
from thematica.service import StudyService
from thematica.service.acting import MemberStudy
from thematica.web.context import Member
from thematica.web.middleware import SESSION_COOKIE, STUDY_STATE

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
        for m in self.study(request).team():
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

    def study(self, request: Request) -> StudyService:
        """The study for this request: the view whose reads share one session
        (``middleware.SharedReadsPerRequest``), or the service itself outside one."""
        found: StudyService = getattr(request.state, STUDY_STATE, self.service)
        return found

    def acting(self, request: Request) -> MemberStudy:
        """The study bound to who is asking: every rule is checked by the service, none here."""
        member = self.member(request)
        return self.study(request).as_member(member.name, client=self.client(request))

    def page(
        self,
        request: Request,
        name: str,
        data: dict[str, Any],
        who: MemberStudy | Member | None,
    ) -> HTMLResponse:
        """Render a page from the same ``data`` its JSON twin returns."""
        study = self.study(request)
        title = study.title()
        if isinstance(who, Member):  # what they may do is the service's to say
            who = study.as_member(who.name, client=self.client(request))
        me = Member.acting(who) if who is not None else None
        context = {
            **data,
            "me": me,
            "study_title": title,
            "csrf": self.csrf(request),
            "signed_in": self.signin_required(request),
        }
        return self.templates.TemplateResponse(request, name, context)


__all__ = ["COOKIE", "LOGIN_COOKIE", "SESSION_COOKIE", "Unauthenticated", "Workbench"]
