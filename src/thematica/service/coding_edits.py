"""Changing and removing one coding: who may, what a stale edit is, and the checks.

A coding's ``modified_at`` is its version. A caller that passes the version it last saw gets a
:class:`~thematica.errors.ConflictError` if someone changed or removed the coding since (another
browser tab, another coder), so no edit silently overwrites another. The version is compared and
set in the same ``UPDATE`` (or ``DELETE``) statement (:mod:`thematica.service.versions`), so of
several simultaneous edits carrying one version exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.errors import AccessDenied, NotFoundError
from thematica.service import versions
from thematica.service.blind_rule import hidden_codings
from thematica.service.codebook import check_memo, check_span, member_id, utc
from thematica.storage.models import CodingRow, TeamMemberRow


@dataclass(frozen=True)
class CodingChange:
    """What to change; ``None`` leaves a field as it is, ``memo=""`` clears the memo."""

    start: int | None = None
    end: int | None = None
    memo: str | None = None


def editable(session: Session, coding_id: int, by: str) -> CodingRow:
    """The coding ``by`` may change. Hidden codings (blind coding) are reported as missing, so
    their existence is not given away; visible codings of someone else are refused."""
    row = session.get(CodingRow, coding_id)
    member = session.get(TeamMemberRow, member_id(session, by))
    assert member is not None
    if row is None or hidden_from(session, coding_id, member.id):
        raise NotFoundError(f"no coding {coding_id}")
    if member.role == MemberRole.READER.value:
        raise AccessDenied(f"{member.name} is a reader and cannot change codings")
    if row.coder_id != member.id and member.role != MemberRole.LEAD.value:
        raise AccessDenied(
            f"coding {coding_id} is not {member.name}'s; only its coder or a lead can change it"
        )
    return row


def hidden_from(session: Session, coding_id: int, member: int) -> bool:
    """Whether blind coding hides this coding from ``member`` (the rule listings apply)."""
    hidden = hidden_codings(session, member)
    return hidden is not None and (
        session.scalar(select(CodingRow.id).where(CodingRow.id == coding_id, hidden)) is not None
    )


def seen(version: dt.datetime, expected: dt.datetime | None, what: str) -> dt.datetime:
    """The version a change is compared with when written: the caller's, or else the one this
    transaction read, so a change landing in between is refused rather than overwritten. A
    caller's version that is already out of date is refused at once."""
    if expected is None:
        return version
    expected = expected.replace(tzinfo=dt.UTC) if expected.tzinfo is None else expected
    if utc(version) != expected:
        raise versions.stale(what)
    return version


def change(
    session: Session, row: CodingRow, change: CodingChange, expected: dt.datetime | None
) -> None:
    """Write ``change`` if the coding is still at version ``expected``, in one statement."""
    version = seen(row.modified_at, expected, f"coding {row.id}")
    start = row.start_offset if change.start is None else change.start
    end = row.end_offset if change.end is None else change.end
    check_span(session, row.transcript_id, start, end)
    check_memo(change.memo)
    values: dict[str, object] = {
        "start_offset": start,
        "end_offset": end,
        "modified_at": later_than(utc(row.modified_at)),
    }
    if change.memo is not None:
        values["memo"] = change.memo.strip() or None
    versions.set_if_current(session, row, {"modified_at": version}, values, f"coding {row.id}")


def remove(session: Session, row: CodingRow, expected: dt.datetime | None) -> None:
    """Delete the coding if it is still at version ``expected``, in one statement."""
    what = f"coding {row.id}"
    versions.delete_if_current(
        session, row, {"modified_at": seen(row.modified_at, expected, what)}, what
    )


def later_than(previous: dt.datetime) -> dt.datetime:
    """Now, but strictly after ``previous``, so every change gives a new version."""
    now = dt.datetime.now(dt.UTC)
    return now if now > previous else previous + dt.timedelta(microseconds=1)


__all__ = ["CodingChange", "change", "editable", "remove", "seen"]
