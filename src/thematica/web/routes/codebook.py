"""The codebook: both levels' code trees with counts, one code's editor (rename, describe, move,
merge, split), the lineage log with an undo on merges, and a code's quotes.

Each change is one action reached two ways: a plain HTML form (303 back to the page) and its
JSON twin under /api/. Forms carry the code's ``version`` as loaded: if someone changed the code
since, the change is refused with 409 instead of overwriting theirs."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import Code
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web import fields as f
from thematica.web import quotes_context as quotes
from thematica.web import themes_context as ctx
from thematica.web.routes.memos import memos_for
from thematica.web.shell import Workbench

ACTIONS = ("rename", "describe", "move", "merge", "split")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_DESCRIPTION = 5_000


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def act(request: Request, code_id: int, action: str, data: f.Fields) -> dict[str, Any]:
        """Do one codebook action as the member asking; the answer names the lineage entry."""
        study = wb.acting(request)
        study.require_coder("change the codebook")  # before a bad action is looked at
        if action not in ACTIONS:
            raise NotFoundError(f"no codebook action {action!r} (one of {', '.join(ACTIONS)})")
        code = study.code_by_id(code_id)
        path, level = code.path, code.level
        seen = f.optional_text(data, "version") or None  # compared when the change is written
        if action == "rename":
            name = f.text(data, "name")
            entry = study.rename_code(path, name, level=level, expected=seen)
        elif action == "describe":
            description = f.text(data, "description", default="")
            if len(description) > MAX_DESCRIPTION:
                raise ThematicaError(f"a description holds at most {MAX_DESCRIPTION:,} characters")
            colour = f.optional_text(data, "colour") or None
            if colour is not None and not COLOUR.fullmatch(colour):
                raise ThematicaError("a colour is written #rrggbb")
            entry = study.describe_code(
                path, description=description, colour=colour, level=level, expected=seen
            )
        elif action == "move":
            parent_id = f.optional_integer(data, "parent")
            parent = same_level(study, code, parent_id).path if parent_id is not None else None
            entry = study.move_code(path, parent, level=level, expected=seen)
        elif action == "merge":
            target = same_level(study, code, f.integer(data, "target"))
            entry = study.merge_codes(path, target.path, level=level, expected=seen)
        else:
            codings = f.integers(data, "codings")
            name = f.text(data, "name")
            entry = study.split_code(path, name, codings, level=level, expected=seen)
        return {"entry": entry, "summary": summary(study, entry)}

    def same_level(study: MemberStudy, code: Code, other_id: int) -> Code:
        other = study.code_by_id(other_id)
        if other.level != code.level:
            raise ThematicaError(
                f"{' > '.join(code.path)!r} is a level-{int(code.level)} code and "
                f"{' > '.join(other.path)!r} is level {int(other.level)}; codes move and merge "
                "within their level"
            )
        return other

    def summary(study: MemberStudy, entry: int) -> str:
        return next((e.summary for e in study.lineage() if e.id == entry), "")

    def undo(request: Request, entry: int) -> dict[str, Any]:
        return {"message": wb.acting(request).undo(entry)}

    @r.get("/codebook", response_class=HTMLResponse)
    def codebook_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        live = study.live_codebook_version()  # taken first: the page is at least this new
        return wb.page(request, "codebook.html", {**codebook(study), "live": live}, study)

    @r.get("/api/codebook")
    def codebook_json(request: Request) -> dict[str, Any]:
        return codebook(wb.acting(request))

    def codebook(study: MemberStudy) -> dict[str, Any]:
        return ctx.codebook(study)

    @r.get("/codebook/{code_id}", response_class=HTMLResponse)
    def code_page(request: Request, code_id: int) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "code.html", code_detail(study, code_id), study)

    @r.get("/api/codebook/{code_id}")
    def code_json(request: Request, code_id: int) -> dict[str, Any]:
        return code_detail(wb.acting(request), code_id)

    def code_detail(study: MemberStudy, code_id: int) -> dict[str, Any]:
        data = ctx.code_detail(study, code_id)
        data["memos"] = memos_for(study, f"code:{code_id}")
        return data

    def code_quotes(study: MemberStudy, code_id: int, group_by: str | None) -> dict[str, Any]:
        data = quotes.code_view(study, code_id, group_by)
        data["memo_target"] = f"code:{code_id}"
        data["memos"] = memos_for(study, data["memo_target"])
        return data

    @r.post("/codebook/{code_id}/{action}")
    async def code_form(request: Request, code_id: int, action: str) -> Response:
        done = act(request, code_id, action, f.from_form(await request.form()))
        where = "/codebook" if action in ("merge", "split") else f"/codebook/{code_id}"
        return RedirectResponse(f"{where}?done={done['entry']}", status_code=303)

    @r.post("/api/codebook/{code_id}/{action}")
    async def code_api(request: Request, code_id: int, action: str) -> dict[str, Any]:
        return act(request, code_id, action, await json_body(request))

    @r.post("/lineage/{entry}/undo")
    def undo_form(request: Request, entry: int) -> Response:
        undo(request, entry)
        return RedirectResponse("/codebook#lineage", status_code=303)

    @r.post("/api/lineage/{entry}/undo")
    def undo_api(request: Request, entry: int) -> dict[str, Any]:
        return undo(request, entry)

    @r.get("/codes/{code_id}/quotes", response_class=HTMLResponse)
    def code_quotes_page(
        request: Request, code_id: int, group_by: str | None = None
    ) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "quotes.html", code_quotes(study, code_id, group_by), study)

    @r.get("/api/codes/{code_id}/quotes")
    def code_quotes_json(
        request: Request, code_id: int, group_by: str | None = None
    ) -> dict[str, Any]:
        return code_quotes(wb.acting(request), code_id, group_by)

    return r


async def json_body(request: Request) -> dict[str, Any]:
    """The JSON object a /api/ change sends. Only ``Content-Type: application/json`` is read: a
    page of another site can post form or plain-text bodies without asking, but not JSON."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise ThematicaError(
            "send the request body as a JSON object with 'Content-Type: application/json'"
            + (f", not {media[:60]!r}" if media else "")
        )
    try:
        body = await request.json()
    except ValueError:
        raise ThematicaError("the request body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ThematicaError("the request body must be a JSON object")
    return body
