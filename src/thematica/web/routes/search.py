"""Full-text search (``/search``, JSON twin ``/api/search``) and "code all results" after a
confirmation step that says how many codings will be made, in whose name, with which code."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.domain import Level, SpeakerRole, format_path, parse_path
from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.service.search import MAX_QUERY, SCOPES, CodeAllPlan, SearchFilter, SearchResults
from thematica.web.context import speaker_label
from thematica.web.shell import Workbench


class CodeAllRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUERY)
    code: str = Field(min_length=1, max_length=1000, description="Code path, levels split by '>'")
    scope: str = Field(default="match", description="'match' (the words) or 'turn' (whole turns)")
    create: bool = Field(default=False, description="Create the code if it does not exist")
    attribute: str | None = Field(default=None, max_length=200)
    value: str | None = Field(default=None, max_length=500)
    code_filter: int | None = Field(default=None, description="Only turns coded with this code id")
    role: SpeakerRole | None = None
    expected: int | None = Field(
        default=None, description="The number of codings confirmed; if it changed: 409"
    )
    dry_run: bool = Field(default=False, description="Only say what would be coded")


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "terms": list(results.terms),
        "matches": results.matches,
        "transcripts": results.transcripts,
        "truncated": results.truncated,
        "hits": [
            {
                "transcript_id": h.transcript_id,
                "participant": h.participant,
                "turn": h.turn,
                "speaker": speaker_label(h.role, h.participant),
                "role": h.role.value,
                "turn_start": h.turn_start,
                "turn_end": h.turn_end,
                "matches": [list(m) for m in h.matches],
                "context": [{"text": p.text, "match": p.match} for p in h.context],
                "link": f"/transcripts/{h.transcript_id}#o{h.turn_start}",
            }
            for h in results.hits
        ],
    }


def plan_json(plan: CodeAllPlan) -> dict[str, Any]:
    return {
        "code": format_path(plan.code),
        "code_exists": plan.code_exists,
        "scope": plan.scope,
        "new": plan.new,
        "already": plan.already,
        "coding_ids": list(plan.coding_ids),
    }


def _filter(
    attribute: str | None, value: str | None, code: int | None, role: str | None
) -> SearchFilter:
    if role and role not in {r.value for r in SpeakerRole}:
        raise ThematicaError("the speaker role is one of participant, interviewer, other")
    return SearchFilter(
        attribute=attribute or None,
        value=value if attribute else None,
        code=code,
        role=SpeakerRole(role) if role else None,
    )


def _number(raw: str | None, what: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 15):
        raise ThematicaError(f"{what} is not a number")
    return int(raw)


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def context(
        study: MemberStudy,
        q: str,
        wanted: SearchFilter,
        code_all: str | None = None,
        scope: str = "match",
        create: bool = False,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "q": q,
            "filter": {
                "attribute": wanted.attribute or "",
                "value": wanted.value or "",
                "code": wanted.code,
                "role": wanted.role.value if wanted.role else "",
            },
            "attributes": ["group", *(d.name for d in study.attribute_defs())],
            "codes": [
                {"id": c.id, "label": f"{format_path(c.path)} (level {int(c.level)})"}
                for c in study.codes(counted=False)
            ],
            "level_one": [format_path(c.path) for c in study.codes(Level.ONE, counted=False)],
            "roles": [r.value for r in SpeakerRole],
            "scopes": list(SCOPES),
            "can_code": study.can_code,
            "results": None,
            "confirm": None,
        }
        if q.strip():
            data["results"] = results_json(study.search(q, wanted))
            if code_all is not None and study.can_code:
                path = parse_path(code_all)
                if not path:
                    raise ThematicaError("name the code to apply to every result")
                plan = study.code_search_results(
                    q,
                    path,
                    wanted=wanted,
                    scope=scope,
                    create_code=create,
                    dry_run=True,
                )
                data["confirm"] = {**plan_json(plan), "create": create, "by": study.name}
        return data

    @r.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
        attribute: Annotated[str | None, Query(max_length=200)] = None,
        value: Annotated[str | None, Query(max_length=500)] = None,
        code: Annotated[str | None, Query(max_length=20)] = None,
        role: Annotated[str | None, Query(max_length=20)] = None,
        code_all: Annotated[str | None, Query(max_length=1000)] = None,
        scope: Annotated[str, Query(max_length=10)] = "match",
        create: bool = False,
        done: int | None = None,
    ) -> HTMLResponse:
        study = wb.acting(request)
        wanted = _filter(attribute, value, _number(code, "code"), role)
        data = context(study, q, wanted, code_all, scope, create)
        data["done"] = done
        data["done_code"] = request.query_params.get("done_code", "")
        return wb.page(request, "search.html", data, study)

    @r.get("/api/search")
    def search_json(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
        attribute: Annotated[str | None, Query(max_length=200)] = None,
        value: Annotated[str | None, Query(max_length=500)] = None,
        code: int | None = None,
        role: Annotated[str | None, Query(max_length=20)] = None,
    ) -> dict[str, Any]:
        study = wb.acting(request)
        if not q.strip():
            raise ThematicaError("type a word to search for")
        return context(study, q, _filter(attribute, value, code, role))

    @r.post("/api/search/code-all")
    def code_all_json(request: Request, body: CodeAllRequest) -> dict[str, Any]:
        study = wb.acting(request)
        study.require_coder("code")  # before the input is looked at
        wanted = _filter(
            body.attribute, body.value, body.code_filter, body.role and body.role.value
        )
        plan = study.code_search_results(
            body.query,
            parse_path(body.code),
            wanted=wanted,
            scope=body.scope,
            create_code=body.create,
            expected=body.expected,
            dry_run=body.dry_run,
        )
        return plan_json(plan)

    @r.post("/search/code-all")
    def code_all_form(
        request: Request,
        q: Annotated[str, Form(max_length=MAX_QUERY)],
        code_all: Annotated[str, Form(max_length=1000)],
        expected: Annotated[int, Form()],
        scope: Annotated[str, Form(max_length=10)] = "match",
        create: Annotated[bool, Form()] = False,
        attribute: Annotated[str, Form(max_length=200)] = "",
        value: Annotated[str, Form(max_length=500)] = "",
        code: Annotated[str, Form(max_length=20)] = "",
        role: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        study = wb.acting(request)
        study.require_coder("code")  # before the input is looked at
        wanted = _filter(attribute, value, _number(code, "code"), role)
        plan = study.code_search_results(
            q,
            parse_path(code_all),
            wanted=wanted,
            scope=scope,
            create_code=create,
            expected=expected,
        )
        params = {"q": q, "attribute": attribute, "value": value, "code": code, "role": role}
        kept = {k: v for k, v in params.items() if v}
        kept |= {"done": str(plan.new), "done_code": format_path(plan.code)}
        return RedirectResponse(f"/search?{urlencode(kept)}", status_code=303)

    return r
