"""The reflexive journal: write an entry or field note, link it to transcripts and codes, list
and search your own entries, edit and delete them (``/journal``, JSON twin ``/api/journal``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from thematica.service.acting import MemberStudy
from thematica.service.codebook import MEMO_LIMIT
from thematica.service.notes import KINDS, EntryChange, JournalEntry, JournalFilter
from thematica.web.fields import whole
from thematica.web.shell import Workbench


class EntryRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MEMO_LIMIT)
    kind: str = Field(default="journal", description="'journal' or 'field-note'")
    transcripts: list[str] = Field(default_factory=list, max_length=1000)
    codes: list[int] = Field(default_factory=list, max_length=1000)


class EntryChangeRequest(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=MEMO_LIMIT)
    kind: str | None = None
    transcripts: list[str] | None = Field(default=None, max_length=1000)
    codes: list[int] | None = Field(default=None, max_length=1000)
    version: dt.datetime | None = Field(
        default=None, description="The entry's 'version' as last loaded; a stale edit gets 409"
    )


def entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "author": entry.author,
        "kind": entry.kind,
        "text": entry.text,
        "transcripts": [{"id": t.id, "label": t.label} for t in entry.transcripts],
        "codes": [{"id": c.id, "label": c.label} for c in entry.codes],
        "created_at": entry.created_at.isoformat(),
        "version": entry.modified_at.isoformat(),
    }


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def context(study: MemberStudy, wanted: JournalFilter) -> dict[str, Any]:
        return {
            "entries": [entry_json(e) for e in study.journal(wanted)],
            "filter": {
                "kind": wanted.kind or "",
                "transcript": wanted.transcript or "",
                "code": wanted.code,
                "words": wanted.words,
            },
            "kinds": list(KINDS),
            "transcripts": [
                {"id": t.id, "label": t.participant or f"Transcript {t.id}"}
                for t in study.transcripts()
            ],
            "codes": [
                {"id": c.id, "label": f"{' > '.join(c.path)} (level {int(c.level)})"}
                for c in study.codes()
            ],
        }

    def wanted_from(
        kind: str | None, transcript: str | None, code: int | None, q: str | None
    ) -> JournalFilter:
        return JournalFilter(
            kind=kind or None, transcript=transcript or None, code=code, words=q or ""
        )

    @r.get("/journal", response_class=HTMLResponse)
    def journal_page(
        request: Request,
        kind: str | None = None,
        transcript: str | None = None,
        code: Annotated[str | None, Query()] = None,
        q: Annotated[str | None, Query(max_length=500)] = None,
    ) -> HTMLResponse:
        study = wb.acting(request)
        data = context(study, wanted_from(kind, transcript, whole(code), q))
        return wb.page(request, "journal.html", data, study)

    @r.get("/api/journal")
    def journal_json(
        request: Request,
        kind: str | None = None,
        transcript: str | None = None,
        code: int | None = None,
        q: Annotated[str | None, Query(max_length=500)] = None,
    ) -> dict[str, Any]:
        return context(wb.acting(request), wanted_from(kind, transcript, code, q))

    @r.post("/api/journal", status_code=201)
    def add_entry(request: Request, body: EntryRequest) -> dict[str, Any]:
        entry = wb.acting(request).add_journal_entry(
            body.text, kind=body.kind, transcripts=body.transcripts, codes=body.codes
        )
        return entry_json(entry)

    @r.patch("/api/journal/{entry_id}")
    def edit_entry(request: Request, entry_id: int, body: EntryChangeRequest) -> dict[str, Any]:
        change = EntryChange(body.text, body.kind, body.transcripts, body.codes)
        return entry_json(
            wb.acting(request).edit_journal_entry(entry_id, change, expected=body.version)
        )

    @r.delete("/api/journal/{entry_id}")
    def remove_entry(
        request: Request, entry_id: int, version: dt.datetime | None = None
    ) -> dict[str, Any]:
        return entry_json(wb.acting(request).remove_journal_entry(entry_id, expected=version))

    # plain HTML forms

    @r.post("/journal")
    def add_entry_form(
        request: Request,
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        kind: Annotated[str, Form(max_length=16)] = "journal",
        transcripts: Annotated[list[str] | None, Form()] = None,
        codes: Annotated[list[int] | None, Form()] = None,
    ) -> Response:
        wb.acting(request).add_journal_entry(
            text, kind=kind, transcripts=transcripts or [], codes=codes or []
        )
        return RedirectResponse("/journal", status_code=303)

    @r.post("/journal/{entry_id}/edit")
    def edit_entry_form(
        request: Request,
        entry_id: int,
        text: Annotated[str, Form(max_length=MEMO_LIMIT)],
        kind: Annotated[str, Form(max_length=16)],
        version: Annotated[dt.datetime | None, Form()] = None,
    ) -> Response:
        wb.acting(request).edit_journal_entry(
            entry_id, EntryChange(text=text, kind=kind), expected=version
        )
        return RedirectResponse(f"/journal#entry-{entry_id}", status_code=303)

    @r.post("/journal/{entry_id}/delete")
    def remove_entry_form(
        request: Request, entry_id: int, version: Annotated[dt.datetime | None, Form()] = None
    ) -> Response:
        wb.acting(request).remove_journal_entry(entry_id, expected=version)
        return RedirectResponse("/journal", status_code=303)

    return r
