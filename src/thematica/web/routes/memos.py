"""Memos on codes, themes, transcripts and codings: the ``/api/memos`` API, plain-form posts for
the ``_memos.html`` partial, and a ``/memos`` page listing them.

To show one target's memos on another page (transcript, codebook, theme), add
``memos_for(study, target)`` to that page's context and render
``{% from "_memos.html" import memos_panel %}{{ memos_panel(target, memos, me, back) }}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.service.acting import MemberStudy
from thematica.service.codebook import MEMO_LIMIT
from thematica.service.notes import Memo
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


def memo_json(memo: Memo, study: MemberStudy | None = None) -> dict[str, Any]:
    return {
        "ref": memo.ref,
        "target": memo.target,
        "author": memo.author,
        "text": memo.text,
        "created_at": memo.created_at.isoformat(),
        "version": memo.modified_at.isoformat(),
        "editable": study is not None
        and study.can_code
        and (study.name == memo.author or study.is_lead),
    }


def memos_for(study: MemberStudy, target: str) -> list[dict[str, Any]]:
    """One target's memos, as the member may see them (the service checks the target)."""
    return [memo_json(m, study) for m in study.memos(target)]


def _all_memos(study: MemberStudy) -> list[dict[str, Any]]:
    return [memo_json(m, study) for m in study.memos()]


def _back(url: str) -> str:
    """Only a path on this site, so a form cannot redirect anywhere else."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/memos"


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def page_context(study: MemberStudy, target: str | None) -> dict[str, Any]:
        readable = study.readable_transcripts()
        targets = [
            {"target": f"transcript:{t.id}", "label": f"Transcript: {t.participant or t.id}"}
            for t in study.transcripts()
            if readable is None or t.id in readable
        ] + [
            {
                "target": f"code:{c.id}",
                "label": f"Code (level {int(c.level)}): {' > '.join(c.path)}",
            }
            for c in study.codes()
        ]
        return {
            "target": target,
            "targets": targets,
            "memos": memos_for(study, target) if target else [],
            "all": _all_memos(study),
            "labels": {t["target"]: t["label"] for t in targets},
        }

    @r.get("/memos", response_class=HTMLResponse)
    def memos_page(request: Request, target: str | None = None) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "memos.html", page_context(study, target or None), study)

    @r.get("/api/memos")
    def memos_json(request: Request, target: str | None = None) -> dict[str, Any]:
        study = wb.acting(request)
        if target:
            return {"target": target, "memos": memos_for(study, target)}
        return {"target": None, "memos": _all_memos(study)}

    @r.post("/api/memos", status_code=201)
    def add_memo(request: Request, body: MemoRequest) -> dict[str, Any]:
        study = wb.acting(request)
        return memo_json(study.add_memo(body.target, body.text), study)

    @r.patch("/api/memos/{ref}")
    def edit_memo(request: Request, ref: str, body: MemoChange) -> dict[str, Any]:
        study = wb.acting(request)
        return memo_json(study.edit_memo(ref, body.text, expected=body.version), study)

    @r.delete("/api/memos/{ref}")
    def remove_memo(
        request: Request, ref: str, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        study = wb.acting(request)
        return memo_json(study.remove_memo(ref, expected=version), study)

    # plain HTML forms (the _memos.html partial): post, then back to the page (303)

    @r.post("/memos/add")
    def add_memo_form(
        request: Request,
        target: Annotated[str, Form(max_length=200)],
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        wb.acting(request).add_memo(target, text)
        return RedirectResponse(_back(back), status_code=303)

    @r.post("/memos/{ref}/edit")
    def edit_memo_form(
        request: Request,
        ref: str,
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        version: Annotated[dt.datetime | None, Form()] = None,
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        wb.acting(request).edit_memo(ref, text, expected=version)
        return RedirectResponse(_back(back), status_code=303)

    @r.post("/memos/{ref}/delete")
    def remove_memo_form(
        request: Request,
        ref: str,
        version: Annotated[dt.datetime | None, Form()] = None,
        back: Annotated[str, Form(max_length=2000)] = "/memos",
    ) -> Response:
        wb.acting(request).remove_memo(ref, expected=version)
        return RedirectResponse(_back(back), status_code=303)

    return r


__all__ = ["memo_json", "memos_for", "router"]
