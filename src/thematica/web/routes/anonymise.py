"""The anonymisation review page, for members allowed to see originals (with the key file)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.service.anonymise import ApplyPlan
from thematica.web.shell import Workbench


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


PLURALS = {
    "coding memo": "coding memos",
    "journal entry": "journal entries",
    "lineage entry": "lineage entries",
    "lineage details": "lineage entries' details",
    "research question": "research question",
}


def apply_summary(plan: ApplyPlan) -> str:
    """ "This will replace 14 passages in 6 transcripts, 2 code names, 3 memos and 1 file
    name": what Apply changes, counted, never an original."""
    parts = []
    if plan.passages:
        parts.append(
            f"{_count(plan.passages, 'passage')} in {_count(plan.transcripts, 'transcript')}"
        )
    if plan.speakers:
        parts.append(_count(plan.speakers, "speaker name"))
    parts += [_count(n, kind, PLURALS.get(kind)) for kind, n in plan.derived]
    if plan.file_names:
        parts.append(_count(plan.file_names, "file name"))
    if not parts:
        return "There is nothing to replace."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"This will replace {listed}."


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def review_context(study: MemberStudy) -> dict[str, Any]:
        anonymiser = study.anonymiser(wb.key_path)  # the service's rule: who sees originals
        if not wb.key_path.exists():
            return {"key": str(wb.key_path), "has_key": False, "findings": [], "categories": []}
        anon = anonymiser
        found = anon.findings("pending")
        plan = anon.plan()
        # the check names where and what kind, never the original (pages and their JSON twin)
        residue = [{"where": r.where, "category": r.category} for r in anon.check()]
        places: dict[str, Counter[str]] = defaultdict(Counter)
        for r in residue:
            places[r["where"].split(" [")[0]][r["category"]] += 1
        return {
            "key": str(wb.key_path),
            "has_key": True,
            "findings": [asdict(f) for f in found],
            "categories": sorted({f.category for f in found}),
            "check": {
                "clean": not residue,
                "found": residue,
                "places": [
                    {"where": where, "count": sum(c.values()), "categories": sorted(c)}
                    for where, c in places.items()
                ],
            },
            "plan": {
                **asdict(plan),
                "derived": dict(plan.derived),
                "summary": apply_summary(plan),
                "changes": plan.changes(),
                "fingerprint": plan.fingerprint(),
            },
            "may_apply": study.is_lead,
        }

    @r.get("/anonymise", response_class=HTMLResponse)
    def review_page(request: Request) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "anonymise.html", review_context(study), study)

    @r.get("/api/anonymise/findings")
    def review_json(request: Request) -> dict[str, Any]:
        return review_context(wb.acting(request))

    @r.post("/anonymise/scan")
    def review_scan(request: Request) -> Response:
        study = wb.acting(request)
        review_context(study)
        study.anonymiser(wb.key_path).scan()
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/decide")
    def review_decide(
        request: Request,
        finding: Annotated[int, Form()],
        action: Annotated[str, Form()],
        replacement: Annotated[str, Form(max_length=300)] = "",
    ) -> Response:
        study = wb.acting(request)
        anonymiser = study.anonymiser(wb.key_path)
        if action == "accept":
            anonymiser.decide(study.name, accept=[finding])
        elif action == "reject":
            anonymiser.decide(study.name, reject=[finding])
        elif action == "edit":
            anonymiser.decide(study.name, edits={finding: replacement})
        else:
            raise ThematicaError("the action is accept, reject or edit")
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/accept-category")
    def review_accept_category(
        request: Request, category: Annotated[str, Form(max_length=64)]
    ) -> Response:
        study = wb.acting(request)
        study.anonymiser(wb.key_path).decide(study.name, accept_categories=[category])
        return RedirectResponse("/anonymise", status_code=303)

    @r.post("/anonymise/apply")
    def review_apply(
        request: Request, confirm: Annotated[str, Form(max_length=64)] = ""
    ) -> Response:
        # ``confirm`` is the fingerprint of the plan the page showed: none, or another plan's,
        # is refused (the accepted ones only: the page lists what is pending)
        wb.acting(request).apply_anonymisation_confirmed(wb.key_path, confirm)
        return RedirectResponse("/anonymise", status_code=303)

    return r
