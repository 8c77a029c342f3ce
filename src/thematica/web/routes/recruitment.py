"""The recruitment page (leads only): the plan and stopping rule, the screening criteria, the
candidates, screening, consent, status changes and the decision to stop. Each change is a form
post answered by a redirect back to the page; every rule is the service's
(``MemberStudy.recruitment()`` refuses anyone but a lead). Candidates are added
one at a time or pasted as CSV (the workbench takes no uploads)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.errors import ThematicaError
from thematica.service.recruitment_methods import LeadRecruitment
from thematica.service.recruitment_types import NewCandidate, PlanChange
from thematica.web import recruitment_context
from thematica.web.shell import Workbench

BACK = "/recruitment"


def _date(value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ThematicaError(f"{value.strip()!r} is not a date (YYYY-MM-DD)") from None


def _number(name: str, value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ThematicaError(f"{name} is a whole number") from None


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def desk(request: Request) -> LeadRecruitment:
        return wb.acting(request).recruitment()

    def data(request: Request) -> dict[str, Any]:
        study = wb.acting(request)
        return recruitment_context.page(study.recruitment().log(), study)

    def back() -> Response:
        return RedirectResponse(BACK, status_code=303)

    @r.get("/recruitment", response_class=HTMLResponse)
    def recruitment_page(request: Request) -> HTMLResponse:
        return wb.page(request, "recruitment.html", data(request), wb.acting(request))

    @r.get("/api/recruitment")
    def recruitment_json(request: Request) -> dict[str, Any]:
        return data(request)

    @r.post("/recruitment/candidates")
    def add_candidate(
        request: Request,
        ref: Annotated[str, Form(max_length=64)],
        group: Annotated[str, Form(max_length=200)] = "",
        source: Annotated[str, Form(max_length=200)] = "",
        approach: Annotated[str, Form(max_length=200)] = "",
        approached: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        desk(request).add_candidates(
            [NewCandidate(ref, group, source, approach, _date(approached))]
        )
        return back()

    @r.post("/recruitment/import")
    def import_candidates(
        request: Request, rows: Annotated[str, Form(max_length=200_000)]
    ) -> Response:
        """Candidates pasted as CSV (the columns of `thematica recruitment import`), all or
        none: the workbench takes no file uploads."""
        from thematica.importers.candidates import read_candidates

        new = read_candidates(rows.encode("utf-8"), "the pasted list.csv")
        desk(request).add_candidates(new, source="the pasted list")
        return back()

    @r.post("/recruitment/screen")
    def screen(
        request: Request,
        ref: Annotated[str, Form(max_length=64)],
        answers: Annotated[list[str], Form(max_length=100)],
        on: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        given: dict[str, bool] = {}
        for answer in answers:
            key, _, value = answer.partition("=")
            if value not in ("yes", "no"):
                raise ThematicaError(f"answer {answer!r}: KEY=yes or KEY=no")
            given[key] = value == "yes"
        desk(request).screen(ref, given, on=_date(on))
        return back()

    @r.post("/recruitment/consent")
    def consent(
        request: Request,
        ref: Annotated[str, Form(max_length=64)],
        sheet: Annotated[str, Form(max_length=64)],
        form: Annotated[str, Form(max_length=64)],
        kept_at: Annotated[str, Form(max_length=300)],
        on: Annotated[str, Form(max_length=10)] = "",
        group: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        desk(request).consent(
            ref,
            sheet_version=sheet,
            form_version=form,
            form_location=kept_at,
            on=_date(on),
            group=group,
        )
        return back()

    @r.post("/recruitment/status")
    def status(
        request: Request,
        ref: Annotated[str, Form(max_length=64)],
        status: Annotated[str, Form(max_length=16)],
        reason: Annotated[str, Form(max_length=200)] = "",
        on: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        desk(request).set_status(ref, status, on=_date(on), reason=reason)
        return back()

    @r.post("/recruitment/criteria")
    def criterion(
        request: Request,
        key: Annotated[str, Form(max_length=32)],
        text: Annotated[str, Form(max_length=2000)],
        kind: Annotated[str, Form(max_length=16)] = "inclusion",
    ) -> Response:
        desk(request).add_criterion(key, text, kind=kind)
        return back()

    @r.post("/recruitment/plan")
    def plan(
        request: Request,
        maximum: Annotated[str, Form(max_length=6)] = "",
        rule: Annotated[str, Form(max_length=16)] = "",
        base: Annotated[str, Form(max_length=6)] = "",
        run: Annotated[str, Form(max_length=6)] = "",
        threshold: Annotated[str, Form(max_length=12)] = "",
        initial: Annotated[str, Form(max_length=6)] = "",
        stop: Annotated[str, Form(max_length=6)] = "",
        sampling: Annotated[str, Form(max_length=200)] = "",
        setting: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        try:
            share = float(threshold) if threshold.strip() else None
        except ValueError:
            raise ThematicaError("the threshold is a proportion such as 0.05") from None
        desk(request).set_plan(
            PlanChange(
                maximum=_number("the maximum", maximum),
                rule=rule or None,
                base=_number("base", base),
                run=_number("run", run),
                threshold=share,
                initial=_number("initial", initial),
                stop=_number("stop", stop),
                sampling=sampling,
                setting=setting,
            )
        )
        return back()

    @r.post("/recruitment/stop")
    def stop(request: Request, memo: Annotated[str, Form(max_length=10_000)]) -> Response:
        desk(request).record_stop(memo)
        return back()

    return r
