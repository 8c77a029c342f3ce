"""What every page of the workbench shares: the study's service, the templates and who is
asking, as the study bound to them (:meth:`Workbench.acting`: the service checks every access
rule, so no route re-derives one). Feature modules under ``web/routes`` take a
:class:`Workbench` and return their router; none of them touches SQL.

Identity: the user picks (or adds) their team-member identity, kept in a cookie, and every
coding, memo and journal entry is stamped with it. Passwords come later; :meth:`member` is
where login slots in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from thematica.errors import ThematicaError
from thematica.service import StudyService
from thematica.service.acting import MemberStudy
from thematica.web.context import Member

COOKIE = "thematica_member"


class Unauthenticated(ThematicaError):
    """No identity chosen yet."""


@dataclass
class Workbench:
    service: StudyService
    templates: Jinja2Templates
    key_path: Path

    def member(self, request: Request) -> Member:
        """Who is asking: the team member named by the identity cookie."""
        raw = request.cookies.get(COOKIE)
        name = unquote(raw) if raw else None
        if not name:
            raise Unauthenticated("choose who you are first (/identity)")
        for m in self.service.team():
            if m.name == name:
                return Member(m.name, m.role.value, m.anonymised_only)
        raise Unauthenticated(f"{name!r} is not in the team; choose again (/identity)")

    def acting(self, request: Request) -> MemberStudy:
        """The study bound to who is asking: every rule is checked by the service, none here."""
        member = self.member(request)
        client = request.client.host if request.client else ""
        return self.service.as_member(member.name, client=client)

    def page(
        self,
        request: Request,
        name: str,
        data: dict[str, Any],
        who: MemberStudy | Member | None,
    ) -> HTMLResponse:
        """Render a page from the same ``data`` its JSON twin returns."""
        title = self.service.info().title
        me = Member.of(who.actor) if isinstance(who, MemberStudy) else who
        return self.templates.TemplateResponse(
            request, name, {**data, "me": me, "study_title": title}
        )


__all__ = ["COOKIE", "Unauthenticated", "Workbench"]
