"""The withdrawal page (leads only): choose a participant, see everything their withdrawal
will remove or change (codings per coder, themes whose counts change, their words quoted in
notes and in the findings draft, their key-file entries), and confirm it. The confirmation
carries the fingerprint of the plan shown, so a study changed since is refused (409); the rules
(lead only, unknown or withdrawn labels) are the service's."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain import WITHDRAWAL_REASONS, format_path
from thematica.service.acting import MemberStudy
from thematica.service.withdrawal import WithdrawalPlan
from thematica.web.shell import Workbench

WHAT = "withdraw a participant"


def plan_json(plan: WithdrawalPlan) -> dict[str, Any]:
    """The plan as the page and its JSON twin show it: counts and places, never text."""
    return {
        "label": plan.label,
        "group": plan.group,
        "transcripts": len(plan.transcripts),
        "words": plan.words,
        "turns": plan.turns,
        "codings": [
            {"coder": c.coder, "level": c.level, "codings": c.codings} for c in plan.codings
        ],
        "total_codings": plan.total_codings,
        "reconciliations": plan.reconciliations,
        "transcript_memos": plan.transcript_memos,
        "journal_links": plan.journal_links,
        "anonymisation_log": plan.anonymisation_log,
        "quotes": [{"where": q.where, "quotes": q.quotes} for q in plan.quotes],
        "draft_quotes": [{"where": q.where, "quotes": q.quotes} for q in plan.draft_quotes],
        "level": plan.level,
        "participants_before": plan.participants_before,
        "participants_after": plan.participants_after,
        "themes": [
            {"path": format_path(t.path), "before": list(t.before), "after": list(t.after)}
            for t in plan.themes
        ],
        "emptied_codes": [
            {"level": level, "path": format_path(path)} for level, path in plan.emptied_codes
        ],
        "key": None
        if plan.key is None
        else {
            "identities": plan.key.identities,
            "findings": plan.key.findings,
            "replacements": plan.key.replacements,
        },
        "backups": list(plan.backups),
        "fingerprint": plan.fingerprint,
    }


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def lead(request: Request) -> MemberStudy:
        study = wb.acting(request)
        study.require_lead(WHAT)
        return study

    def data(study: MemberStudy, participant: str, done: str) -> dict[str, Any]:
        plan = (
            study.withdrawal_plan(participant, key_path=wb.key_path)
            if participant.strip()
            else None
        )
        return {
            "participants": [{"label": p.label, "group": p.group} for p in study.participants()],
            "withdrawn": [
                {
                    "label": w.label,
                    "date": w.withdrawn_at.date().isoformat(),
                    "by": w.withdrawn_by,
                    "reason": w.reason,
                }
                for w in study.service.withdrawals()
            ],
            "reasons": list(WITHDRAWAL_REASONS),
            "plan": plan_json(plan) if plan is not None else None,
            "done": done,
        }

    @r.get("/withdraw", response_class=HTMLResponse)
    def withdraw_page(
        request: Request,
        participant: Annotated[str, Query(max_length=200)] = "",
        done: Annotated[str, Query(max_length=200)] = "",
        scrubbed: Annotated[str, Query(max_length=3)] = "",
    ) -> HTMLResponse:
        study = lead(request)
        found = {**data(study, participant, done), "not_scrubbed": scrubbed == "no"}
        return wb.page(request, "withdraw.html", found, study)

    @r.get("/api/withdraw")
    def withdraw_api(
        request: Request, participant: Annotated[str, Query(max_length=200)] = ""
    ) -> dict[str, Any]:
        return data(lead(request), participant, "")

    @r.post("/withdraw")
    def withdraw(
        request: Request,
        participant: Annotated[str, Form(max_length=200)],
        confirm: Annotated[str, Form(max_length=64)] = "",
        reason: Annotated[str, Form(max_length=32)] = "not-stated",
    ) -> Response:
        study = wb.acting(request)
        done = study.withdraw_participant(
            participant, confirm=confirm, reason=reason, key_path=wb.key_path
        )
        return RedirectResponse(f"/withdraw?done={quote(done.withdrawal.label)}", status_code=303)

    return r
