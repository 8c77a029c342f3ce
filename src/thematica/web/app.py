"""The workbench: a server-rendered web app over one study, every page with a JSON twin.

Everything goes through :class:`thematica.service.StudyService`; no SQL here. No outside
requests of any kind: htmx is vendored (static/htmx.min.js), there are no CDNs or web fonts.
Each feature lives in its own module under ``web/routes``; this module wires them together
and turns every :class:`ThematicaError` into a 4xx with its message.
"""

from __future__ import annotations

import datetime as dt
import gc
import shlex
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from thematica import lazy
from thematica.anonymise.keyfile import default_key_path
from thematica.errors import (
    AccessDenied,
    ConflictError,
    ExportRefused,
    NotFoundError,
    ThematicaError,
)
from thematica.service import StudyService
from thematica.storage.database import sqlite_path
from thematica.web.error_pages import EXPORT_REFUSED, error_page, wants_json
from thematica.web.hosts import LOOPBACK
from thematica.web.middleware import (
    AuditClient,
    BodyLimit,
    SameOriginChanges,
    SecurityHeaders,
    SharedReadsPerRequest,
    SignInGate,
    security_headers,
    unauthenticated,
)
from thematica.web.routes import (
    analysis,
    anonymise,
    audit,
    cells,
    codebook,
    corrections,
    downloads,
    draft_audit,
    exports,
    identity,
    imports,
    journal,
    live,
    media,
    memos,
    overview,
    reconcile,
    recruitment,
    search,
    signin,
    tables,
    team,
    theme_map,
    themes,
    transcript_import,
    transcripts,
    withdraw,
)
from thematica.web.shell import COOKIE, Unauthenticated, Workbench
from thematica.web.turn_markup import turn_block
from thematica.web.validation import problems, summary

HERE = Path(__file__).parent
FEATURES = (
    identity,
    signin,
    team,
    overview,
    transcripts,
    reconcile,
    codebook,
    themes,
    analysis,
    search,
    journal,
    memos,
    anonymise,
    audit,
    draft_audit,
    imports,
    transcript_import,
    live,
    recruitment,
    withdraw,
    media,
    corrections,
    downloads,
    cells,
    tables,
    exports,
    theme_map,
)


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


def tune_gc() -> None:
    """Garbage-collection settings for the workbench's server process. A page builds a few
    thousand short-lived objects; with Python's default thresholds that starts a full
    collection every few requests, which tripled the p95 of opening a transcript (p50 30 ms,
    p95 102 ms in-process). Objects alive at start-up are frozen out of collections and the
    youngest generation is collected less often (p95 38 ms). Only ``thematica serve`` calls
    this: a library must not change the garbage collector of the program that imports it."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


class NotReadyForTeam(ThematicaError):
    """A study served to a network (or from PostgreSQL) before its members can sign in."""


def create_app(
    location: str,
    key: Path | None = None,
    hosts: Sequence[str] = LOOPBACK,
    *,
    team_server: bool = False,
    session_idle: dt.timedelta = dt.timedelta(hours=8),
) -> FastAPI:
    """The workbench over the study at ``location``. It answers only requests addressed to one
    of ``hosts`` (so a web page elsewhere cannot reach it through DNS rebinding; see
    :mod:`thematica.web.hosts`), and refuses changes sent from another origin (another site, or
    another program on this machine). Every answer carries the security headers, and request
    bodies are bounded (:mod:`thematica.web.middleware`).

    Everyone signs in as soon as any member has a password. A ``team_server`` (``serve`` beyond
    this machine, or any PostgreSQL study) always signs everyone in, and is refused
    (:class:`NotReadyForTeam`) until every active member who can see original text has a
    password. Sessions end after ``session_idle`` without a request."""
    if not hosts or any("*" in h for h in hosts):
        raise ValueError("the workbench answers named hosts only, never a wildcard")
    service = StudyService.open(location)
    lazy.load_all()  # the service's lazy parts, before several threads can race to load one
    named = shlex.quote(location) if sqlite_path(location) is not None else "STUDY"  # no URL
    if team_server and (problem := service.team_server_problem(named)) is not None:
        service.close()
        what = named if named != "STUDY" else "this PostgreSQL study"
        raise NotReadyForTeam(f"refusing to serve {what} to a team: {problem}")

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

    def resolve(token: str | None) -> tuple[bool, object]:
        required = team_server or service.signin_required()
        if not required or not token:
            return required, None
        return True, service.session_account(token, idle=session_idle)

    # the last added runs first: headers on every answer, then the body limit, then the Host
    # check, then who is signed in (and the CSRF token of every change), then the client the
    # audit log names (a proxy-headers middleware runs before it), then the Origin of a change,
    # then (innermost) the request's view of the study, whose reads share one session
    app.add_middleware(SharedReadsPerRequest, service=service)
    app.add_middleware(SameOriginChanges)
    app.add_middleware(AuditClient)
    app.add_middleware(SignInGate, resolve=resolve)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["turn_block"] = turn_block  # a turn drawn in Python: see its module
    wb = Workbench(
        service,
        templates,
        key or default_key_path(location),
        session_idle=session_idle,
        team_server=team_server,
    )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        """A number too big for the database (an id of 99999999999999999999, say), or a value
        the database refuses: the request is wrong, not the workbench, and nothing changed
        (the transaction was rolled back)."""
        message = "a number in the request is out of range, or a value is too long to store"
        return await thematica_error(request, ThematicaError(message))

    @app.exception_handler(ThematicaError)
    async def thematica_error(request: Request, exc: ThematicaError) -> Response:
        status = status_of(exc)
        if status == 401 and wb.signin_required(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return unauthenticated(request.url.path, request.headers, target)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        if status == 401:
            return RedirectResponse("/identity", status_code=303)
        kind = EXPORT_REFUSED if isinstance(exc, ExportRefused) else None
        return error_page(wb, request, status, str(exc), kind)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        """The field and the problem, never the value sent (FastAPI's default echoes it)."""
        found = problems(exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": summary(found), "fields": found}, status_code=422)
        return error_page(wb, request, 422, summary(found))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """An address no route answers (404), or a method it does not take (405): a page in
        the layout for a browser, the framework's JSON for the API and static files."""
        if wants_json(request) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        page = error_page(wb, request, exc.status_code, None)
        page.headers.update(exc.headers or {})  # a 405's Allow
        return page

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        """Answered outside the other middleware, so the security headers are added here."""
        return PlainTextResponse(
            "Internal Server Error",
            status_code=500,
            headers=dict(security_headers(request.url.path)),
        )

    for feature in FEATURES:
        app.include_router(feature.router(wb))
    return app


__all__ = ["COOKIE", "NotReadyForTeam", "create_app", "tune_gc"]
