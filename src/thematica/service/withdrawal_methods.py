"""Withdrawal methods of :class:`~thematica.service.StudyService` (part of the class): the plan
a lead looks at, the withdrawal they confirm, and the withdrawn labels (``withdrawal.py`` does
the work).

Only a lead withdraws a participant, and only the plan they were shown: ``confirm`` is the
plan's fingerprint, and a withdrawal whose plan has changed since (someone coded their
transcript meanwhile) is refused. The key file, when there is one, loses their entries first,
under its lock; then the study commits; then the SQLite file is scrubbed (secure delete, VACUUM,
the write-ahead log truncated), so none of their words can be read back from the file.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.lazy import lazy_module
from thematica.service.sessions import Sessions
from thematica.storage.models import RecordingRow, StudyRow, TeamMemberRow, TranscriptRow

if TYPE_CHECKING:
    from thematica.service import recruitment
    from thematica.service import withdrawal as wd
    from thematica.service import withdrawal_quotes as quotes
    from thematica.service import withdrawal_remove as removal
else:  # loaded at first use: only a withdrawal needs them
    recruitment = lazy_module("thematica.service.recruitment")
    wd = lazy_module("thematica.service.withdrawal")
    quotes = lazy_module("thematica.service.withdrawal_quotes")
    removal = lazy_module("thematica.service.withdrawal_remove")


@dataclass(frozen=True)
class WithdrawalReport:
    withdrawal: wd.Withdrawal
    plan: wd.WithdrawalPlan
    scrubbed: bool  # False: another program kept old pages in the write-ahead log
    recordings_removed: int = 0  # their recordings' files deleted from the media folder


class WithdrawalMethods(Sessions):
    def withdrawals(self) -> tuple[wd.Withdrawal, ...]:
        """Every withdrawn participant: label, when, who recorded it and the reason category."""
        with self._session() as session:
            return wd.withdrawals(session)

    def withdrawal_plan(
        self, label: str, *, by: str, key_path: Path | None = None
    ) -> wd.WithdrawalPlan:
        """What withdrawing ``label`` would remove and change, counted, for a lead to confirm
        (nothing changes). With ``key_path``, the key file's entries about them too."""
        with self._session() as session:
            _lead(session, by)
            plan, _found = self._withdrawal(session, label, key_path)
        return replace(
            plan,
            draft_quotes=self._draft_quotes(plan.label),
            backups=self._backups(),
            recordings=self._recording_count(plan.transcripts),
        )

    def withdraw(
        self,
        label: str,
        *,
        by: str,
        confirm: str,
        reason: str = "not-stated",
        key_path: Path | None = None,
    ) -> WithdrawalReport:
        """Remove participant ``label``'s data (see ``service/withdrawal.py``), keeping only
        the record that they withdrew. ``confirm``: the fingerprint of the plan the lead saw."""
        reason = wd.check_reason(reason)
        key = key_path if key_path is not None and key_path.exists() else None
        with ExitStack() as stack:
            if key is not None:
                from thematica.anonymise import keycopy

                stack.enter_context(keycopy.locked(key))
            with self._transaction() as session:
                who = _lead(session, by)
                plan, found = self._withdrawal(session, label, key)
                if not confirm.strip():
                    raise ThematicaError(
                        f"withdrawing {plan.label} removes their data for good: look at what "
                        "will go and confirm it"
                    )
                if confirm.strip() != plan.fingerprint:
                    raise ConflictError(
                        f"what withdrawing {plan.label} would remove is not what was confirmed "
                        "(the study changed since): look at it again and confirm"
                    )
                if key is not None:
                    _forget_in_key(self._key_engine(session, key), plan.label, found.transcripts)
                recruitment.withdraw_participant(session, plan.label, dt.date.today(), reason)
                files = self._forget_recordings(session, found.transcripts)
                removal.remove(session, found)
                done = wd.record(session, plan.label, who, reason, plan)
        removed = self._delete_unused(files)
        return WithdrawalReport(done, plan, self._scrub_after(), removed)

    # -- helpers ---------------------------------------------------------------------------

    def _withdrawal(
        self, session: Session, label: str, key: Path | None
    ) -> tuple[wd.WithdrawalPlan, wd.Targets]:
        row = wd.participant(session, label)
        found = wd.targets(session, row)
        tids = found.transcripts
        words = session.scalar(
            select(func.coalesce(func.sum(TranscriptRow.word_count), 0)).where(
                TranscriptRow.id.in_(tids)
            )
        )
        level = wd.analysis_level(session)
        before, after, themes = wd.count_changes(session, row.label, level)
        quoted = wd.find_quotes(session, found)
        key_entries = None
        if key is not None and key.exists():
            key_entries = _key_counts(self._key_engine(session, key), row.label, tids)
        codings = wd.coder_counts(session, tids)
        facts = {
            "label": row.label,
            "transcripts": tids,
            "turns": len(found.turns),
            "codings": sorted(found.codings),
            "rewrites": [(m.__tablename__, i, n) for m, _c, i, n, _v in found.rewrites],
            "key": key_entries,
        }
        plan = wd.WithdrawalPlan(
            label=row.label,
            group=row.group_name,
            transcripts=tuple(tids),
            words=int(words or 0),
            turns=len(found.turns),
            codings=codings,
            reconciliations=_count(session, "reconciliations", tids),
            transcript_memos=_count(session, "memos", tids),
            journal_links=_count(session, "journal_transcripts", tids),
            anonymisation_log=_count(session, "anonymisation_log", tids),
            quotes=tuple(quoted),
            level=int(level),
            participants_before=before,
            participants_after=after,
            themes=themes,
            emptied_codes=wd.emptied_codes(session, found.codings),
            key=key_entries,
            fingerprint=wd.fingerprint(facts),
        )
        return plan, found

    def _draft_quotes(self, label: str) -> tuple[wd.QuotePlace, ...]:
        """Their quotes in the findings draft as it stands (none when there is no report yet)."""
        from thematica.report.data import gather
        from thematica.report.findings import findings
        from thematica.service.core import StudyService

        assert isinstance(self, StudyService)
        try:
            blocks = findings(gather(self))
        except ThematicaError:
            return ()
        return tuple(
            wd.QuotePlace(where, n) for where, n in quotes.draft_quotes(blocks, label).items()
        )

    def _backups(self) -> tuple[str, ...]:
        """The backups a schema upgrade left beside a SQLite study: copies from before, which
        still hold a withdrawn participant's data until someone deletes them."""
        from thematica.storage.database import sqlite_path

        path = sqlite_path(getattr(self, "location", ""))
        if path is None or not path.parent.is_dir():
            return ()
        return tuple(sorted(str(p) for p in path.parent.glob(f"{path.name}.backup-rev*")))

    def _key_engine(self, session: Session, key: Path) -> Engine:
        from thematica.anonymise.keyfile import open_key

        study = session.get(StudyRow, 1)
        assert study is not None
        return open_key(key, study.title, study.created_at.replace(tzinfo=None).isoformat())

    def _recording_count(self, transcripts: tuple[int, ...]) -> int:
        with self._session() as session:
            return int(
                session.scalar(
                    select(func.count()).where(RecordingRow.transcript_id.in_(transcripts))
                )
                or 0
            )

    def _forget_recordings(self, session: Session, transcripts: list[int]) -> list[Path]:
        """Their recordings' rows go with the transaction; their files (voices identify people)
        are deleted once it has committed. A study with recordings but no media folder
        configured (a server started without one) cannot delete them: refused, nothing changes."""
        rows = list(
            session.scalars(select(RecordingRow).where(RecordingRow.transcript_id.in_(transcripts)))
        )
        if not rows:
            return []
        from thematica.service import media
        from thematica.service.facade_media import MediaMethods

        assert isinstance(self, MediaMethods)
        folder = self.media_folder()  # raises, naming what to configure, when there is none
        files = [media.stored_path(folder, row) for row in rows]
        for row in rows:
            session.delete(row)
        session.flush()
        return files

    def _delete_unused(self, files: list[Path]) -> int:
        """Delete each file no other transcript's recording uses (the same recording may have
        been attached to another transcript); count those deleted."""
        if not files:
            return 0
        from thematica.service import media

        removed = 0
        with self._session() as session:
            for path in files:
                if not media.still_used(session, path) and path.exists():
                    path.unlink()
                    removed += 1
        return removed

    def _scrub_after(self) -> bool:
        from thematica.service.core import StudyService

        assert isinstance(self, StudyService)
        try:
            return self.scrub()
        except OperationalError:  # another connection is mid-statement: the withdrawal stands
            return False


def _lead(session: Session, by: str) -> str:
    """``by``, an active lead, by the name the team stores."""
    wanted = " ".join(by.split())
    row = session.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == wanted.lower())
    )
    if row is None:
        raise NotFoundError(f"no team member {by!r}")
    if row.role != MemberRole.LEAD.value or row.deactivated_at is not None:
        what = "deactivated" if row.deactivated_at is not None else f"a {row.role}"
        raise AccessDenied(f"only a lead can withdraw a participant; {row.name} is {what}")
    return row.name


_BY_TRANSCRIPT = {
    "reconciliations": "transcript_id",
    "memos": "transcript_id",
    "journal_transcripts": "transcript_id",
    "anonymisation_log": "transcript_id",
}


def _count(session: Session, table: str, tids: list[int]) -> int:
    from thematica.storage.models import Base

    t = Base.metadata.tables[table]
    column = t.c[_BY_TRANSCRIPT[table]]
    return int(session.scalar(select(func.count()).select_from(t).where(column.in_(tids))) or 0)


def _key_counts(engine: Engine, label: str, tids: list[int]) -> wd.KeyEntries:
    from thematica.anonymise.keyfile import FindingRow, IdentityRow, ReplacementRow

    try:
        with Session(engine) as key:
            return wd.KeyEntries(
                identities=key.scalar(
                    select(func.count())
                    .select_from(IdentityRow)
                    .where(func.lower(IdentityRow.label) == label.lower())
                )
                or 0,
                findings=key.scalar(
                    select(func.count())
                    .select_from(FindingRow)
                    .where(FindingRow.transcript_id.in_(tids))
                )
                or 0,
                replacements=key.scalar(
                    select(func.count())
                    .select_from(ReplacementRow)
                    .where(ReplacementRow.transcript_id.in_(tids))
                )
                or 0,
            )
    finally:
        engine.dispose()


def _forget_in_key(engine: Engine, label: str, tids: list[int]) -> None:
    """Their identity (real name, nicknames) and their transcripts' findings, replacements and
    corrections' before/after leave the key file (committed before the study: a retry finds nothing left there), which is
    then rebuilt so the deleted rows cannot be read back."""
    from thematica.anonymise.keyfile import (
        FindingRow,
        IdentityRow,
        KeyCorrectionRow,
        ReplacementRow,
    )

    try:
        with Session(engine) as key, key.begin():
            key.execute(delete(IdentityRow).where(func.lower(IdentityRow.label) == label.lower()))
            key.execute(delete(FindingRow).where(FindingRow.transcript_id.in_(tids)))
            key.execute(delete(ReplacementRow).where(ReplacementRow.transcript_id.in_(tids)))
            KeyCorrectionRow.__table__.create(key.connection(), checkfirst=True)  # type: ignore[attr-defined]
            key.execute(delete(KeyCorrectionRow).where(KeyCorrectionRow.transcript_id.in_(tids)))
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()


__all__ = ["WithdrawalMethods", "WithdrawalReport"]
