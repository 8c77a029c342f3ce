"""The transcript view and coding: add, adjust, remove codings; reveal a blind transcript; mark
it checked against the recording."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.domain import Coding, Level, parse_path
from thematica.errors import ThematicaError
from thematica.service import CodingChange
from thematica.service.acting import MemberStudy
from thematica.service.codebook import MEMO_LIMIT
from thematica.web import coding_marks, context
from thematica.web.routes.memos import memos_for
from thematica.web.shell import Workbench
from thematica.web.twin_json import TwinJSON

SHOW = ("all", "mine", "theirs", "agreed")


class CodingRequest(BaseModel):
    code: str = Field(
        min_length=1, max_length=1000, description="Code path, levels separated by '>'"
    )
    start: int = Field(ge=0, description="Start offset (code points)")
    end: int = Field(ge=1, description="End offset (code points, exclusive)")
    memo: str | None = Field(default=None, max_length=MEMO_LIMIT)
    create: bool = Field(
        default=False, description="Create the code if it does not exist (new or in-vivo code)"
    )


class CodingChangeRequest(BaseModel):
    start: int | None = Field(default=None, ge=0, description="New start offset (code points)")
    end: int | None = Field(default=None, ge=1, description="New end offset (code points)")
    memo: str | None = Field(
        default=None, max_length=MEMO_LIMIT, description="New memo; an empty string clears it"
    )
    version: dt.datetime | None = Field(
        default=None,
        description="The coding's 'version' as last loaded; a stale edit is refused with 409",
    )


class CheckingRequest(BaseModel):
    state: str = Field(min_length=1, max_length=16, description="automatic, checking or checked")


def coding_json(coding: Coding) -> dict[str, Any]:
    return {
        "id": coding.id,
        "code": " > ".join(coding.code),
        "coder": coding.coder,
        "start": coding.start,
        "end": coding.end,
        "text": coding.text,
        "memo": coding.memo,
        "version": coding.modified_at.isoformat(),
    }


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/transcripts/{ref}", response_class=HTMLResponse)
    def transcript_page(request: Request, ref: str) -> HTMLResponse:
        study = wb.acting(request)
        live = study.live_version(ref)  # taken first: the page is at least this new
        view = coding_view(request)
        return wb.page(
            request, "transcript.html", {**transcript(study, ref), "live": live, **view}, study
        )

    @r.get("/transcripts/{ref}/turns", response_class=HTMLResponse)
    def transcript_turns(request: Request, ref: str, first: int, last: int) -> HTMLResponse:
        """Turns ``first`` to ``last`` (positions) as the page draws them: swapped in after a
        coding is added, changed or removed, so the page never reloads (issue 14)."""
        study = wb.acting(request)
        data = context.transcript_turns(study, ref, first, last)
        playable = study.playable_recording(str(data["transcript"]["id"]), check=True)
        data["playable"] = playable is not None and playable.status == "ok"
        return wb.page(request, "_turns.html", data, study)

    @r.get("/colours.css")
    def colours(c: str = "") -> Response:
        """The code colours as classes (the pages may not carry inline style)."""
        return Response(
            coding_marks.stylesheet(c.split(".")[:2000]),
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )

    @r.get("/api/transcripts/{ref}", response_model=dict[str, Any])
    def transcript_json(request: Request, ref: str) -> Response:
        return TwinJSON(transcript(wb.acting(request), ref))  # the hot twin: see twin_json

    def coding_view(request: Request) -> dict[str, Any]:
        """Whose codings the page shows and how it colours them (query ``show`` and ``by``)."""
        show = request.query_params.get("show", "all")
        return {
            "show": show if show in SHOW else "all",
            "by_coder": request.query_params.get("by") == "coder",
        }

    def transcript(study: MemberStudy, ref: str) -> dict[str, Any]:
        data = context.transcript(study, ref)
        data["memos"] = memos_for(study, f"transcript:{data['transcript']['id']}")
        return data

    @r.post("/api/transcripts/{ref}/reveal")
    def reveal(request: Request, ref: str) -> dict[str, Any]:
        at = wb.acting(request).reveal(ref)
        return {"revealed_at": at.isoformat()}

    @r.post("/transcripts/{ref}/reveal")
    def reveal_form(request: Request, ref: str) -> Response:
        wb.acting(request).reveal(ref)
        return RedirectResponse(f"/transcripts/{ref}", status_code=303)

    @r.post("/api/transcripts/{ref}/checking")
    def set_checking(request: Request, ref: str, body: CheckingRequest) -> dict[str, Any]:
        """Mark the transcript automatic, in checking or checked against the recording."""
        return context.checking_json(wb.acting(request).set_checking(ref, body.state))

    @r.post("/transcripts/{ref}/checking")
    def set_checking_form(
        request: Request, ref: str, state: Annotated[str, Form(max_length=16)]
    ) -> Response:
        wb.acting(request).set_checking(ref, state)
        return RedirectResponse(f"/transcripts/{ref}", status_code=303)

    @r.post("/api/transcripts/{ref}/codings", status_code=201)
    def add_coding(request: Request, ref: str, body: CodingRequest) -> dict[str, Any]:
        study = wb.acting(request)
        path = parse_path(body.code)
        if not path:
            raise ThematicaError("the code name is empty")
        return coding_json(
            study.add_coding_returning(
                ref,
                path,
                body.start,
                body.end,
                level=Level.ONE,
                memo=body.memo,
                create_code=body.create,
            )
        )

    @r.patch("/api/codings/{coding_id}")
    def change_coding(
        request: Request, coding_id: int, body: CodingChangeRequest
    ) -> dict[str, Any]:
        """Adjust a coding's boundaries or memo (its coder or a lead)."""
        change = CodingChange(start=body.start, end=body.end, memo=body.memo)
        return coding_json(
            wb.acting(request).change_coding(coding_id, change, expected=body.version)
        )

    @r.delete("/api/codings/{coding_id}")
    def remove_coding(
        request: Request, coding_id: int, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Remove a coding; the answer is the coding as it was, enough to put it back."""
        return coding_json(wb.acting(request).remove_coding(coding_id, expected=version))

    return r
