"""What every page of the workbench shares: the study's service, the templates, who is asking,
and the reading rules. Feature modules under ``web/routes`` take a :class:`Workbench` and
return their router; none of them touches SQL.

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

from thematica.errors import AccessDenied, ThematicaError
from thematica.service import StudyService
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

    def page(
        self, request: Request, name: str, data: dict[str, Any], member: Member | None
    ) -> HTMLResponse:
        """Render a page from the same ``data`` its JSON twin returns."""
        title = self.service.info().title
        return self.templates.TemplateResponse(
            request, name, {**data, "me": member, "study_title": title}
        )

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


__all__ = ["COOKIE", "Unauthenticated", "Workbench"]
