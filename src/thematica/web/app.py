"""The workbench: a server-rendered web app over one study, every page with a JSON twin.

Everything goes through :class:`thematica.service.StudyService`; no SQL here. No outside
requests of any kind: htmx is vendored (static/htmx.min.js), there are no CDNs or web fonts.
Identity: the user picks (or adds) their team-member identity, kept in a cookie, and every
coding is stamped with it. Passwords come later; ``current_member`` is where login slots in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from thematica.anonymise.keyfile import default_key_path
from thematica.domain import Coding, Level, MemberRole, parse_path
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import CodingChange, StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.service.codebook import MEMO_LIMIT
from thematica.web import context

HERE = Path(__file__).parent
COOKIE = "thematica_member"


class Unauthenticated(ThematicaError):
    """No identity chosen yet."""


class CodingRequest(BaseModel):
    code: str = Field(
        min_length=1, max_length=1000, description="Code path, levels separated by '>'"
    )
    start: int = Field(ge=0, description="Start offset (code points)")
    end: int = Field(ge=1, description="End offset (code points, exclusive)")
    memo: str | None = Field(default=None, max_length=MEMO_LIMIT)
    create: bool = Field(
        default=False, description="Create the code if it does not exist (new or in-vivo code)"
    )


class CodingChangeRequest(BaseModel):
    start: int | None = Field(default=None, ge=0, description="New start offset (code points)")
    end: int | None = Field(default=None, ge=1, description="New end offset (code points)")
    memo: str | None = Field(
        default=None, max_length=MEMO_LIMIT, description="New memo; an empty string clears it"
    )
    version: dt.datetime | None = Field(
        default=None,
        description="The coding's 'version' as last loaded; a stale edit is refused with 409",
    )


def coding_json(coding: Coding) -> dict[str, Any]:
    return {
        "id": coding.id,
        "code": " > ".join(coding.code),
        "coder": coding.coder,
        "start": coding.start,
        "end": coding.end,
        "text": coding.text,
        "memo": coding.memo,
        "version": coding.modified_at.isoformat(),
    }


def status_of(exc: ThematicaError) -> int:
    if isinstance(exc, Unauthenticated):
        return 401
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    return 422


def create_app(location: str, key: Path | None = None) -> FastAPI:
    service = StudyService.open(location)
    key_path = key or default_key_path(location)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="Thematica workbench",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    def current_member(cookie: str | None) -> context.Member:
        if not cookie:
            raise Unauthenticated("choose who you are first (/identity)")
        for m in service.team():
            if m.name == cookie:
                return context.Member(m.name, m.role.value, m.anonymised_only)
        raise Unauthenticated(f"{cookie!r} is not in the team; choose again (/identity)")

    def page(
        request: Request, name: str, data: dict[str, Any], member: context.Member | None
    ) -> HTMLResponse:
        title = service.info().title
        return templates.TemplateResponse(
            request, name, {**data, "me": member, "study_title": title}
        )

    @app.exception_handler(ThematicaError)
    async def thematica_error(request: Request, exc: ThematicaError) -> Response:
        status = status_of(exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        if status == 401:
            return RedirectResponse("/identity", status_code=303)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"message": str(exc), "me": None, "study_title": ""},
            status_code=status,
        )

    # -- identity -------------------------------------------------------------------------

    @app.get("/identity", response_class=HTMLResponse)
    def identity_page(request: Request) -> HTMLResponse:
        team = [{"name": m.name, "role": m.role.value} for m in service.team()]
        return page(
            request, "identity.html", {"team": team, "roles": [r.value for r in MemberRole]}, None
        )

    @app.post("/identity")
    def choose_identity(
        name: Annotated[str, Form(max_length=200)],
        new: Annotated[bool, Form()] = False,
        role: Annotated[str, Form()] = "coder",
    ) -> Response:
        name = " ".join(name.split())
        if new:
            try:
                service.add_team_member(name, MemberRole(role))
            except ValueError:
                raise ThematicaError(f"unknown role {role!r}") from None
        elif name not in {m.name for m in service.team()}:
            raise NotFoundError(f"no team member {name!r}")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, quote(name, safe=""), httponly=True, samesite="strict")
        return response

    def member_from(request: Request) -> context.Member:
        from urllib.parse import unquote

        raw = request.cookies.get(COOKIE)
        return current_member(unquote(raw) if raw else None)

    # -- overview -------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def overview_page(request: Request) -> HTMLResponse:
        member = member_from(request)
        return page(request, "overview.html", context.overview(service, member), member)

    @app.get("/api/overview")
    def overview_json(request: Request) -> dict[str, Any]:
        return context.overview(service, member_from(request))

    def readable(member: context.Member, ref: str) -> None:
        """Readers, and members marked anonymised-only, never see a transcript that has not been
        anonymised: not in a page, not in the API, whatever the URL."""
        if member.anonymised_only:
            tid = service.transcript(ref).id
            if tid not in service.anonymised_transcripts():
                raise AccessDenied(
                    f"{member.name} sees anonymised text only, and this transcript has not been anonymised yet"
                )

    def readable_coding(member: context.Member, coding_id: int) -> None:
        coding = service.coding(coding_id, visible_to=member.name)
        readable(member, str(coding.transcript_id))

    # -- transcripts ----------------------------------------------------------------------

    @app.get("/transcripts/{ref}", response_class=HTMLResponse)
    def transcript_page(request: Request, ref: str) -> HTMLResponse:
        member = member_from(request)
        readable(member, ref)
        return page(request, "transcript.html", context.transcript(service, ref, member), member)

    @app.get("/api/transcripts/{ref}")
    def transcript_json(request: Request, ref: str) -> dict[str, Any]:
        member = member_from(request)
        readable(member, ref)
        return context.transcript(service, ref, member)

    # -- anonymisation review (leads with the key file) --------------------------------------

    def anonymiser() -> AnonymisingStudy:
        return AnonymisingStudy(service, key_path)

    def no_originals_for(member: context.Member) -> None:
        if member.anonymised_only:
            raise AccessDenied(
                f"{member.name} sees anonymised text only and cannot review findings"
            )

    def review_context(member: context.Member) -> dict[str, Any]:
        if member.anonymised_only:
            raise AccessDenied(
                f"{member.name} sees anonymised text only and cannot review findings"
            )
        if not key_path.exists():
            return {"key": str(key_path), "has_key": False, "findings": [], "categories": []}
        found = anonymiser().findings("pending")
        return {
            "key": str(key_path),
            "has_key": True,
            "findings": [asdict(f) for f in found],
            "categories": sorted({f.category for f in found}),
        }

    @app.get("/anonymise", response_class=HTMLResponse)
    def review_page(request: Request) -> HTMLResponse:
        member = member_from(request)
        return page(request, "anonymise.html", review_context(member), member)

    @app.get("/api/anonymise/findings")
    def review_json(request: Request) -> dict[str, Any]:
        return review_context(member_from(request))

    @app.post("/anonymise/scan")
    def review_scan(request: Request) -> Response:
        member = member_from(request)
        no_originals_for(member)
        review_context(member)
        anonymiser().scan()
        return RedirectResponse("/anonymise", status_code=303)

    @app.post("/anonymise/decide")
    def review_decide(
        request: Request,
        finding: Annotated[int, Form()],
        action: Annotated[str, Form()],
        replacement: Annotated[str, Form(max_length=300)] = "",
    ) -> Response:
        member = member_from(request)
        no_originals_for(member)
        if action == "accept":
            anonymiser().decide(member.name, accept=[finding])
        elif action == "reject":
            anonymiser().decide(member.name, reject=[finding])
        elif action == "edit":
            anonymiser().decide(member.name, edits={finding: replacement})
        else:
            raise ThematicaError(f"unknown action {action!r}")
        return RedirectResponse("/anonymise", status_code=303)

    @app.post("/anonymise/accept-category")
    def review_accept_category(
        request: Request, category: Annotated[str, Form(max_length=64)]
    ) -> Response:
        member = member_from(request)
        no_originals_for(member)
        anonymiser().decide(member.name, accept_categories=[category])
        return RedirectResponse("/anonymise", status_code=303)

    @app.post("/anonymise/apply")
    def review_apply(request: Request) -> Response:
        member = member_from(request)
        no_originals_for(member)
        anonymiser().apply(member.name)
        return RedirectResponse("/anonymise", status_code=303)

    @app.post("/api/transcripts/{ref}/reveal")
    def reveal(request: Request, ref: str) -> dict[str, Any]:
        member = member_from(request)
        at = service.reveal(ref, by=member.name)
        return {"revealed_at": at.isoformat()}

    @app.post("/transcripts/{ref}/reveal")
    def reveal_form(request: Request, ref: str) -> Response:
        member = member_from(request)
        service.reveal(ref, by=member.name)
        return RedirectResponse(f"/transcripts/{ref}", status_code=303)

    @app.post("/api/transcripts/{ref}/codings", status_code=201)
    def add_coding(request: Request, ref: str, body: CodingRequest) -> dict[str, Any]:
        member = member_from(request)
        if member.role == MemberRole.READER.value:
            raise AccessDenied(f"{member.name} is a reader and cannot code")
        readable(member, ref)
        path = parse_path(body.code)
        if not path:
            raise ThematicaError("the code name is empty")
        coding_id = service.add_coding(
            ref,
            path,
            member.name,
            body.start,
            body.end,
            level=Level.ONE,
            memo=body.memo,
            create_code=body.create,
        )
        return coding_json(service.coding(coding_id))

    @app.patch("/api/codings/{coding_id}")
    def change_coding(
        request: Request, coding_id: int, body: CodingChangeRequest
    ) -> dict[str, Any]:
        """Adjust a coding's boundaries or memo (its coder or a lead)."""
        member = member_from(request)
        readable_coding(member, coding_id)
        change = CodingChange(start=body.start, end=body.end, memo=body.memo)
        return coding_json(
            service.change_coding(coding_id, change, by=member.name, expected=body.version)
        )

    @app.delete("/api/codings/{coding_id}")
    def remove_coding(
        request: Request, coding_id: int, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Remove a coding; the answer is the coding as it was, enough to put it back."""
        member = member_from(request)
        readable_coding(member, coding_id)
        return coding_json(service.remove_coding(coding_id, by=member.name, expected=version))

    return app


__all__ = ["COOKIE", "create_app"]
