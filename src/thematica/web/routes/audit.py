"""The audit log, for leads: filter by action, member and date, page through it, download it
as CSV (``/audit``, JSON twin ``/api/audit``, ``/audit.csv``). The service refuses anyone else."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from thematica.errors import ThematicaError
from thematica.service import audit
from thematica.web.shell import Workbench

PAGE = 50
FAMILIES = (
    "coding",
    "code",
    "theme",
    "memo",
    "journal",
    "reconcile",
    "transcript",
    "blind",
    "anonymise",
    "import",
    "export",
)
Text = Annotated[str | None, Query(max_length=200)]


def _day(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ThematicaError(f"the {what} date is a date like 2025-03-01") from None


def _filter(
    action: str | None, member: str | None, since: str | None, until: str | None
) -> audit.AuditFilter:
    start, end = _day(since, "from"), _day(until, "to")
    return audit.AuditFilter(
        action=action or None,
        actor=member or None,
        since=dt.datetime.combine(start, dt.time(), dt.UTC) if start else None,
        # the "to" day is included: entries before the start of the next day
        until=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC) if end else None,
    )


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()
    service = wb.service

    def context(
        request: Request,
        action: str | None,
        member: str | None,
        since: str | None,
        until: str | None,
        page: int,
    ) -> dict[str, Any]:
        me = wb.member(request)
        wanted = _filter(action, member, since, until)
        page = max(page, 1)
        found = service.audit_log(wanted, by=me.name, limit=PAGE, offset=(page - 1) * PAGE)
        pages = max((found.total + PAGE - 1) // PAGE, 1)
        kept = {
            k: v
            for k, v in (("action", action), ("member", member), ("since", since), ("until", until))
            if v
        }

        def url(path: str, **extra: object) -> str:
            query = urlencode({**kept, **extra})
            return f"{path}?{query}" if query else path

        return {
            "entries": [audit.as_dict(e) for e in found.entries],
            "total": found.total,
            "page": page,
            "pages": pages,
            "page_size": PAGE,
            "filter": {
                "action": action or "",
                "member": member or "",
                "since": since or "",
                "until": until or "",
            },
            "families": list(FAMILIES),
            "members": [m.name for m in service.team()] + [audit.ADMINISTRATOR],
            "previous": url("/audit", page=page - 1) if page > 1 else None,
            "next": url("/audit", page=page + 1) if page < pages else None,
            "csv": url("/audit.csv"),
        }

    @r.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        action: Text = None,
        member: Text = None,
        since: Text = None,
        until: Text = None,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> HTMLResponse:
        data = context(request, action, member, since, until, page)
        return wb.page(request, "audit.html", data, wb.member(request))

    @r.get("/api/audit")
    def audit_json(
        request: Request,
        action: Text = None,
        member: Text = None,
        since: Text = None,
        until: Text = None,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> dict[str, Any]:
        return context(request, action, member, since, until, page)

    @r.get("/audit.csv")
    def audit_csv(
        request: Request,
        action: Text = None,
        member: Text = None,
        since: Text = None,
        until: Text = None,
    ) -> Response:
        me = wb.member(request)
        found = service.audit_log(_filter(action, member, since, until), by=me.name)
        return Response(
            audit.to_csv(found.entries),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="audit-log.csv"'},
        )

    return r
