"""The workbench's refusals as pages: a 403, 404, 409 or 422 for a page request is an HTML page
inside the normal layout (navigation included, when the asker is known) with a plain-language
heading, the service's one-line reason and a way on. The JSON API (paths under ``/api/``) and
static files keep their JSON answers, in the shape they had: ``{"error": ...}`` for a
:class:`~thematica.errors.ThematicaError`, ``{"detail": ...}`` for a route that does not exist.

The asker is found softly: a refusal must never turn into another one because the identity
cookie is missing or the session has ended (the page then shows the way to sign in instead of
the sections)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse

from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web.shell import Workbench

JSON_PREFIXES = ("/api/", "/static/")


def wants_json(request: Request) -> bool:
    """Whether a refusal is answered as JSON: the API and static files; pages get HTML."""
    return request.url.path.startswith(JSON_PREFIXES)


@dataclass(frozen=True)
class Kind:
    heading: str
    explanation: str


KINDS = {
    400: Kind("The request could not be understood", "The workbench could not read what was sent."),
    403: Kind(
        "You cannot do this",
        "Your place in this study's team does not allow it; a lead of the study can change "
        "what your role allows.",
    ),
    404: Kind(
        "Page not found",
        "There is nothing at this address: it may have been mistyped, or what it pointed to "
        "no longer exists.",
    ),
    405: Kind(
        "This address is not a page",
        "It only takes a form sent from the workbench; open the page the form is on instead.",
    ),
    409: Kind(
        "Someone changed this first",
        "What you sent was based on an older copy of the page. Nothing was changed: reload the "
        "page to see the latest version, then try again.",
    ),
    422: Kind("This could not be done", "Nothing was changed. The reason:"),
}
FALLBACK = Kind("Something is not right", "Nothing was changed. The reason:")
EXPORT_REFUSED = Kind(  # errors.ExportRefused, a 409 of its own kind
    "Not exported: it may hold identifiers",
    "The anonymisation check found possible identifiers in what would be written, so nothing "
    "was written. Where:",
)

# where a refused address most likely meant to go, by its first path segment
SECTIONS = {
    "transcripts": ("/", "The transcript list"),
    "codebook": ("/codebook", "The codebook"),
    "codes": ("/codebook", "The codebook"),
    "themes": ("/themes", "The themes"),
    "reconcile": ("/reconcile", "Reconciliation"),
    "analysis": ("/analysis", "Analysis"),
    "search": ("/search", "Search"),
    "journal": ("/journal", "Your journal"),
    "memos": ("/memos", "Memos"),
    "anonymise": ("/anonymise", "Anonymisation"),
}


def ways_on(request: Request, me: MemberStudy | None) -> list[tuple[str, str]]:
    """Links to offer: the page the user came from (same workbench only), the section the
    address belongs to, and the overview; or the way to say who you are."""
    ways: list[tuple[str, str]] = []
    if me is None:
        return [("/identity", "Choose who you are"), ("/login", "Sign in")]
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path and referer.path != request.url.path:
        back = referer.path + (f"?{referer.query}" if referer.query else "")
        ways.append((back, "Back to the page you came from"))
    first = request.url.path.strip("/").split("/")[0]
    section = SECTIONS.get(first)
    if section is not None and section[0] != "/":
        ways.append(section)
    ways.append(("/", "Back to the overview (the transcript list)"))
    return ways


def soft_member(wb: Workbench, request: Request) -> MemberStudy | None:
    """The study bound to the asker, or None when there is no (longer an) asker."""
    try:
        return wb.acting(request)
    except ThematicaError:
        return None


def error_page(
    wb: Workbench, request: Request, status: int, message: str | None, kind: Kind | None = None
) -> HTMLResponse:
    """The refusal as a page in the layout, with the status ``status`` (and its heading and
    explanation, unless ``kind`` gives others)."""
    me = soft_member(wb, request)
    kind = kind or KINDS.get(status, FALLBACK)
    data = {
        "status": status,
        "heading": kind.heading,
        "explanation": kind.explanation,
        "message": message,
        "ways": ways_on(request, me),
        "posted": request.method == "POST",  # static/keep.js offers the form back, refilled
    }
    response = wb.page(request, "error.html", data, me)
    response.status_code = status
    return response


__all__ = ["EXPORT_REFUSED", "KINDS", "Kind", "error_page", "wants_json", "ways_on"]
