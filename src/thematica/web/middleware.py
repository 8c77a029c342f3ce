"""The workbench's defences at the HTTP edge, as plain ASGI middleware (they see every answer,
including the Host check's and the body limit's own refusals).

* :class:`BodyLimit` bounds request bodies before anything parses them. A declared
  ``Content-Length`` over the limit is refused at once, unread; a body without one (chunked) is
  counted as it arrives and refused the moment it passes the limit. No route takes uploads
  (transcripts are imported from the command line), so one limit serves every route.
* :class:`SecurityHeaders` adds the Content-Security-Policy and its companions to every answer,
  and ``Cache-Control: no-store`` to every answer but the static files: pages, JSON and error
  messages may all carry participants' words, which must not linger in a browser's cache.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thematica.audit_client import acting_from

BODY_LIMIT = 2 * 1024 * 1024

# No inline script, no inline style, nothing from anywhere else. The pages need scripts, styles,
# images (the favicon) and fetch() from the workbench itself, and nothing more.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
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
        if declared is not None and int(declared) > self.limit:
            await too_large(scope["path"], self.limit)(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await too_large(scope["path"], self.limit)(scope, receive, send)
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


def _replay(first: list[Message], receive: Receive) -> Receive:
    """``first``'s messages, then whatever ``receive`` gives (a disconnect, in the end)."""
    pending = list(first)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


__all__ = [
    "BODY_LIMIT",
    "CONTENT_SECURITY_POLICY",
    "AuditClient",
    "BodyLimit",
    "SecurityHeaders",
    "security_headers",
]
