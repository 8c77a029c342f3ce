"""Reconciliation (level two): a revealed transcript's disagreements side by side, each
decided as accept A, accept B, accept both, edit or drop; every decision undoable."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.domain import parse_path
from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.service.reconcile import Decision, Edit
from thematica.web import reconcile_context as rcx
from thematica.web.shell import Workbench

DecisionName = Literal["accept_a", "accept_b", "both", "edit", "drop"]


class DecisionRequest(BaseModel):
    code: str = Field(min_length=1, max_length=1000, description="The level-one code's path")
    start: int = Field(ge=0, description="The disagreement's start (code points)")
    end: int = Field(ge=1, description="The disagreement's end (code points, exclusive)")
    decision: DecisionName
    a: str | None = Field(default=None, description="Coder A (default: the two who coded most)")
    b: str | None = None
    edit_start: int | None = Field(default=None, ge=0, description="An edit's agreed span")
    edit_end: int | None = Field(default=None, ge=1)
    edit_code: str | None = Field(
        default=None, max_length=1000, description="An edit's level-two code (default: agreed)"
    )


def decision_json(d: Decision) -> dict[str, Any]:
    return {
        "id": d.id,
        "decision": d.decision,
        "by": d.by,
        "at": d.at.isoformat(),
        "version": d.at.isoformat(),
        "codings": list(d.codings),
    }


def _coders(a: str | None, b: str | None) -> tuple[str, str] | None:
    if not a and not b:
        return None
    if not a or not b:
        raise ThematicaError("name both coders (a and b), or neither")
    return (a, b)


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    @r.get("/reconcile", response_class=HTMLResponse)
    def reconcile_list(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "reconcile_list.html", rcx.overview(study), study)

    @r.get("/api/reconcile")
    def reconcile_list_json(request: Request) -> dict[str, Any]:
        return rcx.overview(wb.acting(request))

    @r.post("/reconcile/reveal-rule")
    def reveal_rule_form(
        request: Request, require_checked: Annotated[str, Form(max_length=3)] = ""
    ) -> Response:
        """The lead's rule: reveal only transcripts checked against the recording (a checkbox:
        ``on`` when ticked, absent when not)."""
        wb.acting(request).set_reveal_requires_checked(require_checked == "on")
        return RedirectResponse("/reconcile", status_code=303)

    def one(study: MemberStudy, ref: str, a: str | None, b: str | None) -> dict[str, Any]:
        data = rcx.transcript(study, ref, _coders(a, b))
        data["can_decide"] = study.is_lead
        return data

    @r.get("/reconcile/{ref}", response_class=HTMLResponse)
    def reconcile_page(
        request: Request, ref: str, a: str | None = None, b: str | None = None
    ) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "reconcile.html", one(study, ref, a, b), study)

    @r.get("/api/reconcile/{ref}")
    def reconcile_json(
        request: Request, ref: str, a: str | None = None, b: str | None = None
    ) -> dict[str, Any]:
        return one(wb.acting(request), ref, a, b)

    def decide(study: MemberStudy, ref: str, body: DecisionRequest) -> Decision:
        study.require_lead("reconcile")  # before the input is looked at
        edit = None
        if body.decision == "edit":
            if body.edit_start is None or body.edit_end is None:
                raise ThematicaError("an edit needs the agreed span's start and end")
            code = parse_path(body.edit_code) if body.edit_code else None
            if body.edit_code is not None and body.edit_code.strip() and not code:
                raise ThematicaError("the agreed code's name is empty")
            edit = Edit(body.edit_start, body.edit_end, code or None)
        return study.reconcile(
            ref,
            parse_path(body.code),
            body.start,
            body.end,
            body.decision,
            coders=_coders(body.a, body.b),
            edit=edit,
        )

    @r.post("/api/reconcile/{ref}/decisions", status_code=201)
    def decide_json(request: Request, ref: str, body: DecisionRequest) -> dict[str, Any]:
        return decision_json(decide(wb.acting(request), ref, body))

    def back(ref: str, a: str | None, b: str | None, anchor: str = "") -> Response:
        query = f"?{urlencode({'a': a, 'b': b})}" if a and b else ""
        return RedirectResponse(f"/reconcile/{ref}{query}{anchor}", status_code=303)

    @r.post("/reconcile/{ref}/decide")
    def decide_form(
        request: Request,
        ref: str,
        code: Annotated[str, Form(max_length=1000)],
        start: Annotated[int, Form(ge=0)],
        end: Annotated[int, Form(ge=1)],
        decision: Annotated[DecisionName, Form()],
        number: Annotated[int, Form(ge=0)] = 0,
        a: Annotated[str | None, Form(max_length=200)] = None,
        b: Annotated[str | None, Form(max_length=200)] = None,
        edit_start: Annotated[int | None, Form(ge=0)] = None,
        edit_end: Annotated[int | None, Form(ge=1)] = None,
        edit_code: Annotated[str | None, Form(max_length=1000)] = None,
    ) -> Response:
        body = DecisionRequest(
            code=code,
            start=start,
            end=end,
            decision=decision,
            a=a,
            b=b,
            edit_start=edit_start,
            edit_end=edit_end,
            edit_code=edit_code,
        )
        decide(wb.acting(request), ref, body)
        return back(ref, a, b, f"#d{number}" if number else "")

    def carry(study: MemberStudy, ref: str, a: str | None, b: str | None, on: bool) -> int:
        study.require_lead("reconcile")  # before the input is looked at
        if on:
            return study.carry_agreements(ref, coders=_coders(a, b))
        return study.undo_carried(ref, coders=_coders(a, b))

    @r.post("/api/reconcile/{ref}/agreements")
    def carry_json(
        request: Request, ref: str, a: str | None = None, b: str | None = None
    ) -> dict[str, int]:
        """Carry every passage both coders coded identically into the agreed layer."""
        return {"carried": carry(wb.acting(request), ref, a, b, True)}

    @r.delete("/api/reconcile/{ref}/agreements")
    def uncarry_json(
        request: Request, ref: str, a: str | None = None, b: str | None = None
    ) -> dict[str, int]:
        """Take the carried agreements out of the agreed layer again."""
        return {"undone": carry(wb.acting(request), ref, a, b, False)}

    @r.post("/reconcile/{ref}/agreements")
    def carry_form(
        request: Request,
        ref: str,
        action: Annotated[Literal["carry", "undo"], Form()],
        a: Annotated[str | None, Form(max_length=200)] = None,
        b: Annotated[str | None, Form(max_length=200)] = None,
    ) -> Response:
        carry(wb.acting(request), ref, a, b, action == "carry")
        return back(ref, a, b)

    def undo(
        study: MemberStudy, ref: str, decision: int, version: dt.datetime | None = None
    ) -> Decision:
        return study.undo_reconciliation(decision, ref=ref, expected=version)

    @r.delete("/api/reconcile/{ref}/decisions/{decision}")
    def undo_json(
        request: Request, ref: str, decision: int, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Undo a decision: the level-two codings it made are removed. With ``version`` (the
        decision's, as loaded), a decision made since in its place is refused with 409."""
        return decision_json(undo(wb.acting(request), ref, decision, version))

    @r.post("/reconcile/{ref}/undo/{decision}")
    def undo_form(
        request: Request,
        ref: str,
        decision: int,
        number: Annotated[int, Form(ge=0)] = 0,
        a: Annotated[str | None, Form(max_length=200)] = None,
        b: Annotated[str | None, Form(max_length=200)] = None,
        version: Annotated[dt.datetime | None, Form()] = None,
    ) -> Response:
        undo(wb.acting(request), ref, decision, version)
        return back(ref, a, b, f"#d{number}" if number else "")

    return r
