"""Corrections of a transcript while listening: a turn's text, its speaker, a split, a merge
(JSON routes the transcript page's corrections dialog calls), and clearing a coding's flag.
Every rule is the service's (``service/acting_corrections.py``); a refusal is a 4xx with its
one-line message. The key file (``wb.key_path``) is used when the transcript's anonymisation
has started."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from thematica.service.corrections import TEXT_LIMIT
from thematica.web.shell import Workbench


class TextRequest(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_LIMIT, description="The turn's new text")


class SpeakerRequest(BaseModel):
    speaker: str = Field(min_length=1, max_length=200, description="The turn's speaker")
    new: bool = Field(default=False, description="A speaker not yet in the transcript")
    role: str | None = Field(
        default=None, max_length=16, description="A new speaker's role: interviewer, participant"
    )


class SplitRequest(BaseModel):
    at: int = Field(ge=1, description="Where the new turn starts: code points into the turn")
    at_ms: int | None = Field(default=None, ge=0, description="When the new turn starts (ms)")


def _report(found: Any) -> dict[str, Any]:
    return asdict(found)


def router(wb: Workbench) -> APIRouter:
    r = APIRouter()

    def key() -> Path | None:
        return wb.key_path if wb.key_path.exists() else None

    @r.post("/api/transcripts/{ref}/turns/{turn}/text")
    def correct_text(request: Request, ref: str, turn: int, body: TextRequest) -> dict[str, Any]:
        """Turn ``turn`` (1 is the first) now reads ``text``; codings keep their words."""
        return _report(wb.acting(request).correct_text(ref, turn, body.text, key=key()))

    @r.post("/api/transcripts/{ref}/turns/{turn}/speaker")
    def correct_speaker(
        request: Request, ref: str, turn: int, body: SpeakerRequest
    ) -> dict[str, Any]:
        """Turn ``turn`` is ``speaker``'s."""
        found = wb.acting(request).correct_speaker(
            ref, turn, body.speaker, new=body.new, role=body.role, key=key()
        )
        return _report(found)

    @r.post("/api/transcripts/{ref}/turns/{turn}/split")
    def split_turn(request: Request, ref: str, turn: int, body: SplitRequest) -> dict[str, Any]:
        """Split turn ``turn`` at ``at`` code points into it."""
        found = wb.acting(request).split_turn(ref, turn, at=body.at, at_ms=body.at_ms, key=key())
        return _report(found)

    @r.post("/api/transcripts/{ref}/turns/{turn}/merge")
    def merge_turns(request: Request, ref: str, turn: int) -> dict[str, Any]:
        """Merge turn ``turn`` with the next one."""
        return _report(wb.acting(request).merge_turns(ref, turn, key=key()))

    @r.delete("/api/codings/{coding_id}/flag")
    def clear_flag(request: Request, coding_id: int) -> dict[str, Any]:
        """The coding's coder (or a lead) has looked at it: the flag goes."""
        wb.acting(request).clear_flag(coding_id)
        return {"coding": coding_id, "flagged": False}

    return r
