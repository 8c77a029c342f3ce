"""Correction methods of :class:`~thematica.service.StudyService` (part of the class): edit a
turn's text, fix its speaker, split a turn, merge two, read the corrections log, and the flags
on codings whose words a correction changed (``service/correcting.py`` does the work, in one
transaction; with the key file's when the transcript's anonymisation has started). Who may is
:class:`~thematica.service.acting.MemberStudy`'s rule (``service/acting_corrections.py``).

``turn`` is the turn's number as users see it: 1 is the first turn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import Coding
from thematica.errors import NotFoundError, ThematicaError
from thematica.service import audit
from thematica.service import transcripts as tx
from thematica.service.sessions import Sessions
from thematica.storage.models import CodingFlagRow, CorrectionRow, TranscriptRow

if TYPE_CHECKING:
    from thematica.service import corrections as fix

Planner = Callable[[tuple["fix.TurnText", ...], int, str], "fix.Plan"]
_FLAGS = select(CodingFlagRow)  # read by every transcript page: built once


class CorrectionMethods(Sessions):
    location: str

    if TYPE_CHECKING:  # StudyService's own

        def codings(
            self, *, visible_to: str | None = None, transcript: str | None = None
        ) -> tuple[Coding, ...]: ...

        def scrub(self) -> bool: ...

    @contextmanager
    def _correcting(self, ref: str, key: Path | None) -> Iterator[tuple[Session, Session | None]]:
        """The study's transaction, and the key file's when transcript ``ref``'s anonymisation
        has started (then the key must be given)."""
        from thematica.service.correcting import key_needed

        with self._session() as session:
            tid = tx.resolve(session, ref)
            row = session.get(TranscriptRow, tid)
            assert row is not None
            needed = key_needed(row)
        if not needed:
            with self._transaction() as study:
                yield study, None
            return
        if key is None:
            raise ThematicaError(
                f"transcript {tid} is being anonymised: a correction's before and after go to "
                "the anonymisation key file; give it with --key"
            )
        from thematica.service.anonymising import AnonymisingStudy

        with AnonymisingStudy(self, key).both() as (study, key_session):  # type: ignore[arg-type]
            yield study, key_session
        self.scrub()  # the old text leaves the file's free pages and its log

    def _correct(
        self, ref: str, turn: int, by: str, key: Path | None, plan: Planner
    ) -> fix.CorrectionReport:
        from thematica.service import correcting

        with self._correcting(ref, key) as (study, key_session):
            if ref.strip().isdigit():  # the lock as the transaction's first statement
                correcting.lock(study, int(ref))
            tid = tx.resolve(study, ref)
            correcting.lock(study, tid)
            where = f"transcript {tid}, turn {turn}"
            current = correcting.turns(study, tid)
            made = plan(current, turn - 1, where)
            actor = audit.member(study, by)
            return correcting.carry_out(study, key_session, tid, made, actor)

    def correct_text(
        self, ref: str, turn: int, text: str, *, by: str, key: Path | None = None
    ) -> fix.CorrectionReport:
        """Turn ``turn`` of transcript ``ref`` now reads ``text``; codings keep their words,
        and those whose words changed are flagged."""
        from thematica.service import corrections as fix

        return self._correct(
            ref, turn, by, key, lambda turns, pos, where: fix.text_plan(turns, pos, text, where)
        )

    def correct_speaker(
        self,
        ref: str,
        turn: int,
        speaker: str,
        *,
        by: str,
        new: bool = False,
        role: str | None = None,
        key: Path | None = None,
    ) -> fix.CorrectionReport:
        """Turn ``turn`` is ``speaker``'s: one of the transcript's speakers (their role), or,
        with ``new``, a new one (``role``, else the turn's present role)."""
        from thematica.service import correcting
        from thematica.service import corrections as fix

        def plan(turns: tuple[fix.TurnText, ...], pos: int, where: str) -> fix.Plan:
            if 0 <= pos < len(turns):
                name, their_role = correcting.speaker_and_role(
                    turns, pos, speaker, role, new, where
                )
            else:
                name, their_role = speaker, role or ""
            return fix.speaker_plan(turns, pos, name, their_role, where)

        return self._correct(ref, turn, by, key, plan)

    def split_turn(
        self,
        ref: str,
        turn: int,
        *,
        by: str,
        at: int | None = None,
        before: str | None = None,
        at_ms: int | None = None,
        key: Path | None = None,
    ) -> fix.CorrectionReport:
        """Split turn ``turn`` in two: at code point ``at`` of the turn, or where the words
        ``before`` first start in it. The new turn starts at ``at_ms`` when given."""
        from thematica.service import corrections as fix

        if (at is None) == (before is None):
            raise fix.CorrectionError("give the split point: a position or the words it precedes")

        def plan(turns: tuple[fix.TurnText, ...], pos: int, where: str) -> fix.Plan:
            point = at
            if before is not None and 0 <= pos < len(turns):
                point = fix.split_point(turns[pos].text, before, where)
            return fix.split_plan(turns, pos, point if point is not None else -1, at_ms, where)

        return self._correct(ref, turn, by, key, plan)

    def merge_turns(
        self, ref: str, turn: int, *, by: str, key: Path | None = None
    ) -> fix.CorrectionReport:
        """Merge turn ``turn`` with the next one."""
        from thematica.service import corrections as fix

        return self._correct(ref, turn, by, key, fix.merge_plan)

    def corrections(self, ref: str | None = None) -> tuple[fix.CorrectionEntry, ...]:
        """The corrections log, oldest first (one transcript's with ``ref``)."""
        from thematica.service import corrections as fix

        with self._session() as session:
            query = select(CorrectionRow).order_by(CorrectionRow.id)
            if ref is not None:
                query = query.where(CorrectionRow.transcript_id == tx.resolve(session, ref))
            return tuple(
                fix.CorrectionEntry(
                    r.id,
                    r.transcript_id,
                    r.position + 1,
                    r.kind,
                    r.actor,
                    r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC),
                    r.before,
                    r.after,
                    r.in_key,
                )
                for r in session.scalars(query)
            )

    def flagged_codings(
        self, *, visible_to: str | None = None, transcript: str | None = None
    ) -> tuple[fix.FlaggedCoding, ...]:
        """Codings whose words a correction changed (those ``visible_to`` may see; in
        ``transcript`` alone when given)."""
        from thematica.service import corrections as fix

        with self._session() as session:
            flags = {f.coding_id: f for f in session.scalars(_FLAGS)}
        if not flags:
            return ()
        return tuple(
            fix.FlaggedCoding(
                c, flags[c.id].reason, flags[c.id].correction_id, flags[c.id].flagged_at
            )
            for c in self.codings(visible_to=visible_to, transcript=transcript)
            if c.id in flags
        )

    def clear_flag(self, coding_id: int, *, by: str) -> None:
        """The coder (or a lead) has looked at coding ``coding_id``: its flag goes."""
        from thematica.service import coding_edits as edits

        with self._transaction() as session:
            edits.editable(session, coding_id, by)
            flag = session.get(CodingFlagRow, coding_id)
            if flag is None:
                raise NotFoundError(f"coding {coding_id} is not flagged")
            session.delete(flag)
            audit.record(
                session,
                actor=audit.member(session, by),
                action="coding.flag.clear",
                target=f"coding {coding_id}",
                details={"coding_id": coding_id},
            )


__all__ = ["CorrectionMethods"]
