"""The theme framework editor (overarching theme > theme > sub-theme): nodes with their single
count, codes with stance, interlinks; add, rename, describe, move (buttons, keyboard shortcuts,
drag and drop), remove; and a node's quotes.

Each change is one action reached two ways: a plain HTML form (303 back to the node) and its
JSON twin under /api/. Node edits carry the node's ``version`` as loaded, so an edit based on an
outdated view is refused with 409 (see ``service/framework.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import Stance
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web import fields as f
from thematica.web import quotes_context as quotes
from thematica.web import themes_context as ctx
from thematica.web.routes.codebook import json_body
from thematica.web.routes.memos import memos_for
from thematica.web.shell import Workbench

ACTIONS = ("rename", "describe", "move", "shift", "remove", "assign", "unassign")


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def editor(request: Request) -> MemberStudy:
        study = wb.acting(request)
        study.require_coder("change the theme framework")  # before the input is looked at
        return study

    def act(request: Request, node_id: int, action: str, data: f.Fields) -> dict[str, Any]:
        study = editor(request)
        version = f.optional_text(data, "version") or None
        if action == "rename":
            entry = study.rename_theme(node_id, f.text(data, "name"), expected=version)
        elif action == "describe":
            entry = study.describe_theme(
                node_id, f.text(data, "description", default=""), expected=version
            )
        elif action == "move":
            entry = study.move_theme(
                node_id,
                f.optional_integer(data, "parent"),
                position=f.optional_integer(data, "position"),
                expected=version,
            )
        elif action == "shift":
            direction = f.text(data, "direction")
            entry = study.shift_theme(node_id, direction, expected=version)
        elif action == "remove":
            entry = study.remove_theme(node_id, expected=version)
        elif action == "assign":
            try:
                stance = Stance(f.text(data, "stance", default=Stance.SUPPORTS.value))
            except ValueError:
                raise ThematicaError("a code either supports a theme or is divergent") from None
            entry = study.assign_code(node_id, f.integer(data, "code"), stance=stance)
        elif action == "unassign":
            entry = study.unassign_code(node_id, f.integer(data, "code"))
        else:
            raise NotFoundError(f"no theme action {action!r} (one of {', '.join(ACTIONS)})")
        return {"entry": entry}

    def add(request: Request, data: f.Fields) -> dict[str, Any]:
        node = editor(request).add_theme(
            f.text(data, "name"),
            parent=f.optional_integer(data, "parent"),
            description=f.text(data, "description", default=""),
        )
        return {"id": node}

    def link(request: Request, data: f.Fields) -> dict[str, Any]:
        made = editor(request).link_themes(
            f.integer(data, "from"), f.integer(data, "to"), f.text(data, "label")
        )
        return {"id": made}

    def unlink(request: Request, link_id: int) -> dict[str, Any]:
        return {"entry": editor(request).unlink_themes(link_id)}

    @r.get("/themes", response_class=HTMLResponse)
    def themes_page(request: Request, assign: int | None = None) -> HTMLResponse:
        """The framework; ``assign`` names the theme whose "Assign a code" form is open (the
        only one that lists the study's codes)."""
        study = wb.acting(request)
        live = study.live_themes_version()  # taken first: the page is at least this new
        data = {**ctx.themes(study), "live": live, "assign": assign}
        return wb.page(request, "themes.html", data, study)

    @r.get("/api/themes")
    def themes_json(request: Request) -> dict[str, Any]:
        return ctx.themes(wb.acting(request))

    @r.post("/themes")
    async def add_form(request: Request) -> Response:
        made = add(request, f.from_form(await request.form()))
        return RedirectResponse(f"/themes#n{made['id']}", status_code=303)

    @r.post("/api/themes", status_code=201)
    async def add_api(request: Request) -> dict[str, Any]:
        return add(request, await json_body(request))

    @r.post("/themes/links")
    async def link_form(request: Request) -> Response:
        link(request, f.from_form(await request.form()))
        return RedirectResponse("/themes#links", status_code=303)

    @r.post("/api/themes/links", status_code=201)
    async def link_api(request: Request) -> dict[str, Any]:
        return link(request, await json_body(request))

    @r.post("/themes/links/{link_id}/remove")
    def unlink_form(request: Request, link_id: int) -> Response:
        unlink(request, link_id)
        return RedirectResponse("/themes#links", status_code=303)

    @r.post("/api/themes/links/{link_id}/remove")
    def unlink_api(request: Request, link_id: int) -> dict[str, Any]:
        return unlink(request, link_id)

    @r.post("/themes/{node_id}/{action}")
    async def node_form(request: Request, node_id: int, action: str) -> Response:
        act(request, node_id, action, f.from_form(await request.form()))
        return RedirectResponse(
            "/themes" if action == "remove" else f"/themes#n{node_id}", status_code=303
        )

    @r.post("/api/themes/{node_id}/{action}")
    async def node_api(request: Request, node_id: int, action: str) -> dict[str, Any]:
        return act(request, node_id, action, await json_body(request))

    @r.get("/themes/{node_id}/quotes", response_class=HTMLResponse)
    def quotes_page(request: Request, node_id: int, group_by: str | None = None) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "quotes.html", node_quotes(study, node_id, group_by), study)

    @r.get("/api/themes/{node_id}/quotes")
    def quotes_json(request: Request, node_id: int, group_by: str | None = None) -> dict[str, Any]:
        return node_quotes(wb.acting(request), node_id, group_by)

    def node_quotes(study: MemberStudy, node_id: int, group_by: str | None) -> dict[str, Any]:
        """A node's quotes (with their context, grouped as asked) and its memos."""
        data = quotes.node_view(study, node_id, group_by)
        data["memo_target"] = f"theme:{node_id}"
        data["memos"] = memos_for(study, data["memo_target"])
        return data

    return r
