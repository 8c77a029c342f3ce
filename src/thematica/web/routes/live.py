"""Live team work: the change feed an open transcript page polls.

Polling, not server-sent events: a poll is one short request that the strict CSP, htmx and the
body limit already allow, it needs no long-lived connection per open tab on the server (a
threadpool worker held per SSE stream would cap the team at the pool's size), and it goes through
the same ``Workbench.acting`` as every other request, so a member whose access ends stops getting
answers at the next poll. The page polls twice a second while its tab is visible, so another
member's change shows within 2 s (the interval, the poll, and fetching the page again).

``GET /api/live/transcripts/{ref}`` answers ``{"version": ...}`` with the same value as its
``ETag``: a fingerprint of what the member sees of that transcript (``MemberStudy.live_version``,
which applies the reading and blind-coding rules). Sent back in ``If-None-Match``, an unchanged
fingerprint is answered ``304 Not Modified`` with no body. A member who may not read the
transcript gets the page's refusal (403/404). ``GET /api/live/codebook`` does the same for the
codebook page (``static/live.js``), which swaps in its code tables and lineage log when they
change, unless the focus is inside them; ``GET /api/live/themes`` for the theme framework page
(``static/themes_live.js`` swaps in the framework, keeping a form you are using).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from thematica.web.shell import Workbench

NO_STORE = "no-store"


def answer(request: Request, version: str) -> Response:
    """``{"version": ...}`` with it as the ETag; 304 and no body when the client sent it."""
    etag = f'"{version}"'
    headers = {"ETag": etag, "Cache-Control": NO_STORE}
    sent = request.headers.get("if-none-match", "")
    if etag in (tag.strip() for tag in sent.split(",")):
        return Response(status_code=304, headers=headers)
    return JSONResponse({"version": version}, headers=headers)


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/api/live/transcripts/{ref}")
    def transcript_feed(request: Request, ref: str) -> Response:
        """The fingerprint of what you see of this transcript; 304 when it is the one you sent
        in ``If-None-Match``."""
        return answer(request, wb.acting(request).live_version(ref))

    @r.get("/api/live/codebook")
    def codebook_feed(request: Request) -> Response:
        """The fingerprint of what you see on the codebook page; 304 when unchanged."""
        return answer(request, wb.acting(request).live_codebook_version())

    @r.get("/api/live/themes")
    def themes_feed(request: Request) -> Response:
        """The fingerprint of what you see on the theme framework page; 304 when unchanged."""
        return answer(request, wb.acting(request).live_themes_version())

    return r
