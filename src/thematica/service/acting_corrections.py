"""A bound member's corrections (part of :class:`~thematica.service.acting.MemberStudy`).
Correcting a transcript against its recording means hearing the voices and reading the original
text: only members who see originals (not readers, not anonymised-only members) correct. What a
correction reports back is counts only, so a blind coder learns nothing of others' codings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from thematica.errors import AccessDenied
from thematica.service.acting_rules import Rules

if TYPE_CHECKING:
    from thematica.service import corrections as fix


class CorrectionActing(Rules):
    def _require_correcting(self) -> None:
        what = "correct a transcript"
        if not self.can_code:
            raise AccessDenied(f"{self.name} is a reader and cannot {what}")
        self.require_originals(what)

    def correct_text(
        self, ref: str, turn: int, text: str, *, key: Path | None = None
    ) -> fix.CorrectionReport:
        self._require_correcting()
        return self._service.correct_text(
            str(self.require_readable(ref)), turn, text, by=self.name, key=key
        )

    def correct_speaker(
        self,
        ref: str,
        turn: int,
        speaker: str,
        *,
        new: bool = False,
        role: str | None = None,
        key: Path | None = None,
    ) -> fix.CorrectionReport:
        self._require_correcting()
        return self._service.correct_speaker(
            str(self.require_readable(ref)),
            turn,
            speaker,
            by=self.name,
            new=new,
            role=role,
            key=key,
        )

    def split_turn(
        self,
        ref: str,
        turn: int,
        *,
        at: int | None = None,
        before: str | None = None,
        at_ms: int | None = None,
        key: Path | None = None,
    ) -> fix.CorrectionReport:
        self._require_correcting()
        return self._service.split_turn(
            str(self.require_readable(ref)),
            turn,
            by=self.name,
            at=at,
            before=before,
            at_ms=at_ms,
            key=key,
        )

    def merge_turns(self, ref: str, turn: int, *, key: Path | None = None) -> fix.CorrectionReport:
        self._require_correcting()
        return self._service.merge_turns(
            str(self.require_readable(ref)), turn, by=self.name, key=key
        )

    def corrections(self, ref: str | None = None) -> tuple[fix.CorrectionEntry, ...]:
        """The corrections log of the transcripts this member may read; a member who does not
        see originals gets no before/after."""
        tid = str(self.require_readable(ref)) if ref is not None else None
        readable = self.readable_transcripts()
        found = self._service.corrections(tid)
        if readable is None and self.sees_originals:
            return found
        return tuple(
            replace(e, before=None, after=None)
            for e in found
            if readable is None or e.transcript_id in readable
        )

    def flagged_codings(self, ref: str | None = None) -> tuple[fix.FlaggedCoding, ...]:
        """The flagged codings this member may see (their own while the study codes blind), in
        transcript ``ref`` alone when given."""
        transcript = None if ref is None else str(self.resolve(ref))
        return self._service.flagged_codings(visible_to=self.name, transcript=transcript)

    def clear_flag(self, coding_id: int) -> None:
        self.readable_coding(coding_id)
        self.require_coder("clear a coding's flag")
        self._service.clear_flag(coding_id, by=self.name)


__all__ = ["CorrectionActing"]
