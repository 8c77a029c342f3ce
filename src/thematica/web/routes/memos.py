"""Memos on codes, themes, transcripts and codings: the ``/api/memos`` API, plain-form posts for
the ``_memos.html`` partial, and a ``/memos`` page listing them.

To show one target's memos on another page (transcript, codebook, theme), add
``memos_for(wb, member, target)`` to that page's context and render
``{% from "_memos.html" import memos_panel %}{{ memos_panel(target, memos, me, back) }}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.service.codebook import MEMO_LIMIT
from thematica.service.notes import Memo
from thematica.web.context import Member
from thematica.web.shell import Workbench


class MemoRequest(BaseModel):
    target: str = Field(
        min_length=1, max_length=200, description="code:ID, theme:ID, transcript:ID or coding:ID"
    )
    text: str = Field(min_length=1, max_length=MEMO_LIMIT)


class MemoChange(BaseModel):
    text: str = Field(min_length=1, max_length=MEMO_LIMIT)
    version: dt.datetime | None = Field(
        default=None, description="The memo's 'version' as last loaded; a stale edit gets 409"
    )


def memo_json(memo: Memo, member: Member | None = None) -> dict[str, Any]:
    return {
        "ref": memo.ref,
        "target": memo.target,
        "author": memo.author,
        "text": memo.text,
        "created_at": memo.created_at.isoformat(),
        "version": memo.modified_at.isoformat(),
        "editable": member is not None
        and member.role != "reader"
        and (member.name == memo.author or member.role == "lead"),
    }


def check_target(wb: Workbench, member: Member, target: str) -> None:
    """Anonymised-only members never see memos on text they may not read."""
    kind, _, ident = target.partition(":")
    kind = kind.strip().lower()
    if kind == "transcript":
        wb.readable(member, ident)
    elif kind == "coding" and ident.strip().isdigit():
        wb.readable_coding(member, int(ident))


def memos_for(wb: Workbench, member: Member, target: str) -> list[dict[str, Any]]:
    check_target(wb, member, target)
    return [memo_json(m, member) for m in wb.service.memos(target, visible_to=member.name)]


def _all_memos(wb: Workbench, member: Member) -> list[dict[str, Any]]:
    hidden: set[str] = set()
    readable = wb.service.readable_transcripts(member.name)
    if readable is not None:
        hidden = {f"transcript:{t.id}" for t in wb.service.transcripts() if t.id not in readable}
    return [memo_json(m, member) for m in wb.service.memos() if m.target not in hidden]


def _back(url: str) -> str:
    """Only a path on this site, so a form cannot redirect anywhere else."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/memos"


def _ref_target(wb: Workbench, member: Member, ref: str) -> None:
    if ref.lower().startswith("coding:"):
        check_target(wb, member, ref)


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()
    service = wb.service

    def page_context(member: Member, target: str | None) -> dict[str, Any]:
        readable = service.readable_transcripts(member.name)
        targets = [
            {"target": f"transcript:{t.id}", "label": f"Transcript: {t.participant or t.id}"}
            for t in service.transcripts()
            if readable is None or t.id in readable
        ] + [
            {
                "target": f"code:{c.id}",
                "label": f"Code (level {int(c.level)}): {' > '.join(c.path)}",
            }
            for c in service.codes()
        ]
        return {
            "target": target,
            "targets": targets,
            "memos": memos_for(wb, member, target) if target else [],
            "all": _all_memos(wb, member),
            "labels": {t["target"]: t["label"] for t in targets},
        }

    @r.get("/memos", response_class=HTMLResponse)
    def memos_page(request: Request, target: str | None = None) -> HTMLResponse:
        member = wb.member(request)
        return wb.page(request, "memos.html", page_context(member, target or None), member)

    @r.get("/api/memos")
    def memos_json(request: Request, target: str | None = None) -> dict[str, Any]:
        member = wb.member(request)
        if target:
            return {"target": target, "memos": memos_for(wb, member, target)}
        return {"target": None, "memos": _all_memos(wb, member)}

    @r.post("/api/memos", status_code=201)
    def add_memo(request: Request, body: MemoRequest) -> dict[str, Any]:
        member = wb.member(request)
        check_target(wb, member, body.target)
        return memo_json(service.add_memo(body.target, body.text, by=member.name), member)

    @r.patch("/api/memos/{ref}")
    def edit_memo(request: Request, ref: str, body: MemoChange) -> dict[str, Any]:
        member = wb.member(request)
        _ref_target(wb, member, ref)
        changed = service.edit_memo(ref, body.text, by=member.name, expected=body.version)
        return memo_json(changed, member)

    @r.delete("/api/memos/{ref}")
    def remove_memo(
        request: Request, ref: str, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        member = wb.member(request)
        _ref_target(wb, member, ref)
        return memo_json(service.remove_memo(ref, by=member.name, expected=version), member)

    # plain HTML forms (the _memos.html partial): post, then back to the page (303)

    @r.post("/memos/add")
    def add_memo_form(
        request: Request,
        target: Annotated[str, Form(max_length=200)],
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        member = wb.member(request)
        check_target(wb, member, target)
        service.add_memo(target, text, by=member.name)
        return RedirectResponse(_back(back), status_code=303)

    @r.post("/memos/{ref}/edit")
    def edit_memo_form(
        request: Request,
        ref: str,
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        version: Annotated[dt.datetime | None, Form()] = None,
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        member = wb.member(request)
        _ref_target(wb, member, ref)
        service.edit_memo(ref, text, by=member.name, expected=version)
        return RedirectResponse(_back(back), status_code=303)

    @r.post("/memos/{ref}/delete")
    def remove_memo_form(
        request: Request,
        ref: str,
        version: Annotated[dt.datetime | None, Form()] = None,
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        member = wb.member(request)
        _ref_target(wb, member, ref)
        service.remove_memo(ref, by=member.name, expected=version)
        return RedirectResponse(_back(back), status_code=303)

    return r


__all__ = ["memo_json", "memos_for", "router"]
