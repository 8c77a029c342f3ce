"""The import page, for leads (``/import``, JSON twin ``/api/import``): import transcripts (the
form posts to ``routes/transcript_import.py``, which comes back here with ``?transcripts=`` the
ids imported, listed at the top), and bring a study imported from NVivo, ATLAS.ti, MAXQDA or QualCoder into Thematica's method, the same mappings as
``qdpx import``'s options: one user's codings as the agreed layer, the uncoded parent codes as
the theme framework, a participant attribute as the group, a date attribute as the interview
dates. Each form posts to ``/import/<mapping>`` and comes back with what it did; the service
checks that the member is a lead and refuses bad input without changing the study."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.service.acting import MemberStudy
from thematica.service.mapping_log import MappingResult
from thematica.web.shell import Workbench

Name = Annotated[str, Form(min_length=1, max_length=200)]
SHOWN_PARENTS = 8


def transcripts_imported(study: MemberStudy, ids: str) -> list[dict[str, Any]]:
    """The transcripts just imported (``ids``, comma-separated), as the member's transcript list
    shows them; ids that are not numbers or not theirs to see are left out."""
    wanted = {int(i) for i in ids.split(",") if i.strip().isdigit() and len(i.strip()) < 12}
    if not wanted:
        return []
    return [
        {
            "id": t.id,
            "source_name": t.source_name,
            "participant": t.participant,
            "turns": t.turns,
            "words": t.words,
        }
        for t in study.transcripts()
        if t.id in wanted
    ]


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def context(study: MemberStudy, done: int | None, imported: str = "") -> dict[str, Any]:
        found = study.mapping_options()
        summary = next((e.summary for e in study.lineage() if e.id == done), "") if done else ""
        return {
            "transcripts_imported": transcripts_imported(study, imported),
            "coders": [
                {"name": c, "looks_agreed": c in found.agreed_candidates} for c in found.coders
            ],
            "attributes": list(found.attributes),
            "date_attributes": list(found.date_attributes),
            "theme_parents": list(found.theme_parents),
            "theme_parents_shown": list(found.theme_parents[:SHOWN_PARENTS]),
            "level_two_codings": found.level_two_codings,
            "done": summary,
        }

    @r.get("/import", response_class=HTMLResponse)
    def import_page(
        request: Request,
        done: Annotated[int | None, Query(ge=1)] = None,
        transcripts: Annotated[str, Query(max_length=4000)] = "",
    ) -> HTMLResponse:
        study = wb.acting(request)
        return wb.page(request, "import.html", context(study, done, transcripts), study)

    @r.get("/api/import")
    def import_json(request: Request) -> dict[str, Any]:
        return context(wb.acting(request), None)

    def back(result: MappingResult) -> Response:
        """Back to the page, which shows what the change did (its lineage entry's summary)."""
        return RedirectResponse(f"/import?done={result.entry}", status_code=303)

    @r.post("/import/promote")
    def promote(request: Request, coder: Name) -> Response:
        return back(wb.acting(request).promote_coder(coder))

    @r.post("/import/themes-from-tree")
    def themes_from_tree(request: Request) -> Response:
        return back(wb.acting(request).themes_from_tree())

    @r.post("/import/set-group")
    def set_group(request: Request, attribute: Name) -> Response:
        return back(wb.acting(request).set_group_from(attribute))

    @r.post("/import/set-dates")
    def set_dates(request: Request, attribute: Name) -> Response:
        return back(wb.acting(request).set_dates_from(attribute))

    return r
