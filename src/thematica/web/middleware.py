"""The workbench's defences at the HTTP edge, as plain ASGI middleware (they see every answer,
including the Host check's and the body limit's own refusals).

* :class:`BodyLimit` bounds request bodies before anything parses them. A declared
  ``Content-Length`` over the limit is refused at once, unread; a body without one (chunked) is
  counted as it arrives and refused the moment it passes the limit. One route takes large
  uploads, a transcript's recording (``POST /transcripts/{id}/recording``): its body is passed
  on as it arrives, to be written to disk (``web/upload.py``), up to :data:`RECORDING_LIMIT`.
* :class:`SignInGate` finds who a request is from (the session cookie) once, for every route,
  and, once everyone signs in, refuses every change (POST, PUT, PATCH, DELETE) that does not
  come from a signed-in session with that session's CSRF token: in the ``X-CSRF-Token`` header
  (htmx and the page scripts send it, ``static/csrf.js``) or a ``csrf_token`` form field. The
  sign-in and invitation forms, sent before there is a session, are protected instead by a
  token of their own (a cookie matched by a hidden field), the Origin check and SameSite.
* :class:`SameOriginChanges` refuses a change sent from another origin.
* :class:`SharedReadsPerRequest` gives each request a view of the study whose reads share
  one session and its lookups (``StudyService.shared_reads``), closed when the answer is sent.
* :class:`SecurityHeaders` adds the Content-Security-Policy and its companions to every answer,
  and ``Cache-Control: no-store`` to every answer but the static files: pages, JSON and error
  messages may all carry participants' words, which must not linger in a browser's cache.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thematica.audit_client import acting_from

if TYPE_CHECKING:
    from thematica.service import StudyService

STUDY_STATE = "study"  # the request state's key for its view of the study (SharedReadsPerRequest)

BODY_LIMIT = 2 * 1024 * 1024
RECORDING_LIMIT = 4 * 1024**3  # an interview's recording, even as video
STREAMED = re.compile(r"/transcripts/[^/]+/recording")  # routes/media.py's upload
TRANSCRIPTS_LIMIT = 64 * 1024 * 1024  # a batch of transcript files (routes/transcript_import.py)
TRANSCRIPTS = re.compile(r"(/api)?/import/transcripts")

# No inline script, no inline style, nothing from anywhere else. The pages need scripts, styles,
# images (the favicon) and fetch() from the workbench itself, and nothing more.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",  # a transcript's recording (/media/{ref})
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    # not no-referrer: with it, browsers send "Origin: null" on the workbench's own form posts,
    # and the same-origin check could no longer tell them from a foreign page's
    ("referrer-policy", "same-origin"),
)
STATIC = "/static/"


def security_headers(path: str) -> list[tuple[str, str]]:
    """The headers every answer to ``path`` carries."""
    private = [] if path.startswith(STATIC) else [("cache-control", "no-store")]
    return [*SECURITY_HEADERS, *private]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = security_headers(scope["path"])

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_hardened)


def too_large(path: str, limit: int) -> Response:
    message = f"the request is too large: the limit is {limit // (1024 * 1024)} MB"
    headers = {"connection": "close"}  # the rest of the body is never read
    if path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=413, headers=headers)
    return PlainTextResponse(message, status_code=413, headers=headers)


class BodyLimit:
    """Read at most ``limit`` bytes of a request body, then hand the body on in one piece."""

    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            await PlainTextResponse("invalid Content-Length", status_code=400)(scope, receive, send)
            return
        streamed = scope["method"] == "POST" and STREAMED.fullmatch(scope["path"]) is not None
        batch = scope["method"] == "POST" and TRANSCRIPTS.fullmatch(scope["path"]) is not None
        limit = RECORDING_LIMIT if streamed else TRANSCRIPTS_LIMIT if batch else self.limit
        if declared is not None and int(declared) > limit:
            await too_large(scope["path"], limit)(scope, receive, send)
            return
        if streamed:
            await self.app(scope, _counted(receive, limit), send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await too_large(scope["path"], limit)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": bytes(body), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)


class AuditClient:
    """Every change a request makes is logged as coming from ``web:`` and the client's address
    (the proxy's, unless the server trusts its forwarded headers and rewrites the client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        with acting_from(f"web:{peer[0] if peer else 'unknown'}"):
            await self.app(scope, receive, send)


class SameOriginChanges:
    """Refuses a change (POST, PUT, PATCH, DELETE) whose ``Origin`` is not this workbench's own
    scheme and Host: a form or script on another site, or another program on this machine that
    names its own origin. A request without ``Origin`` passes here (browsers send it with every
    change; the CSRF token of :class:`SignInGate` covers the rest). Plain ASGI: it adds nothing
    to a request it lets through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and origin != f"{scope['scheme']}://{headers.get('host', '')}":
                refused = PlainTextResponse(
                    f"refused: a change sent from {origin[:100]}, not from this workbench",
                    status_code=403,
                )
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SharedReadsPerRequest:
    """Each request's reads share one session (``Workbench.study`` finds the view in the
    request's state). The session is closed as the answer starts, so a long answer (a
    recording streamed to the player) holds no connection, and again at the end if anything
    read after that. A route's work runs in a worker thread that a cancelled request waits
    for, so the session is never closed while a read is using it."""

    def __init__(self, app: ASGIApp, service: StudyService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.service.shared_reads() as view:
            scope.setdefault("state", {})[STUDY_STATE] = view

            async def answer(message: Message) -> None:
                if message["type"] == "http.response.start":
                    view.close()  # the view's session only (StudyService.close)
                await send(message)

            await self.app(scope, receive, answer)


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive``, as the client went away once more than ``limit`` bytes have come (a body
    sent without a Content-Length)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                return {"type": "http.disconnect"}
        return message

    return counted


def _replay(first: list[Message], receive: Receive) -> Receive:
    """``first``'s messages, then whatever ``receive`` gives (a disconnect, in the end)."""
    pending = list(first)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


SESSION_COOKIE = "thematica_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _open(path: str) -> bool:
    """The forms sent before there is a session (they carry a sign-in form token instead)."""
    return path == "/login" or path.startswith("/invite/")


def unauthenticated(path: str, headers: Headers, next_path: str) -> Response:
    """The answer to a request that needs a signed-in member and has none: 401 for the JSON API
    and htmx (which is told to go to the sign-in page), a redirect to it for a page."""
    login = "/login?next=" + quote(next_path, safe="/")
    message = "sign in first: your session has ended or you have not signed in"
    if path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=401)
    if headers.get("hx-request"):
        return PlainTextResponse(message, status_code=401, headers={"hx-redirect": login})
    return RedirectResponse(login, status_code=303)


def _csrf_refused() -> Response:
    return PlainTextResponse(
        "refused: this change did not carry the page's security token (CSRF); reload the page "
        "and try again",
        status_code=403,
    )


class SignInGate:
    """``resolve(token)`` says whether everyone signs in and whose session ``token`` is (None:
    no session); both go into ``request.state.signin`` for :meth:`Workbench.member`."""

    def __init__(self, app: ASGIApp, resolve: Callable[[str | None], tuple[bool, Any]]) -> None:
        self.app = app
        self.resolve = resolve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STATIC):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        token = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE) or None
        required, account = await run_in_threadpool(self.resolve, token)
        scope.setdefault("state", {})["signin"] = (required, account)
        if not required or scope["method"] not in UNSAFE or _open(scope["path"]):
            await self.app(scope, receive, send)
            return
        if account is None:
            response = unauthenticated(scope["path"], headers, "/")
            await response(scope, receive, send)
            return
        given = headers.get(CSRF_HEADER)
        messages: list[Message] = []
        if given is None and headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            body = bytearray()
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                body += message.get("body", b"")
                if not message.get("more_body", False):
                    break
            fields = parse_qs(body.decode("latin-1"), keep_blank_values=True)
            values = fields.get(CSRF_FIELD)
            given = values[0] if values else None
        expected: str = account.csrf
        if given is None or not hmac.compare_digest(expected.encode(), given.encode()):
            await _csrf_refused()(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive) if messages else receive, send)


__all__ = [
    "BODY_LIMIT",
    "CONTENT_SECURITY_POLICY",
    "CSRF_FIELD",
    "RECORDING_LIMIT",
    "SESSION_COOKIE",
    "AuditClient",
    "BodyLimit",
    "SecurityHeaders",
    "SignInGate",
    "security_headers",
    "unauthenticated",
]
