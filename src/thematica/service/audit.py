"""The audit log: who did what, when, from which client. Written in the same transaction as the
change it records, so a change and its entry commit or roll back together.

An entry names members, codes, theme nodes, codings and transcripts by id and counts things; it
never holds transcript text, a memo's or journal entry's text, a search query, a file name, or
any name or description a user typed for a code, theme or interlink (an in-vivo code's name can
be a participant's words, and anonymisation must not have to rewrite the log). Team members'
names are kept: they are the actors.

Who: the acting member passed to the service method (``by=``, ``coder=``, ``author=``), by its
name as the team stores it; a change that names no member (an import, an export, an
anonymisation scan from the command line) is the administrator's, whoever holds the study file
or its database credentials (:data:`ADMINISTRATOR`, or the actor of :func:`acting_from`).
From which client: :data:`client_var` (``cli``, ``web:ADDRESS``, ``library``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.orm import Session

from thematica.audit_client import ADMINISTRATOR, acting_from, actor_var, client_var
from thematica.domain import MemberRole
from thematica.errors import AccessDenied
from thematica.storage.models import AuditRow, TeamMemberRow

MAX_IDS = 200  # ids listed in one entry; beyond that, the count says how many


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    client: str
    action: str
    target: str
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditFilter:
    """``action``: one action (``coding.add``) or a family (``coding``); ``actor``: a member's
    name (any case); ``since``/``until``: from and before these times."""

    action: str | None = None
    actor: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]  # newest first
    total: int  # how many entries match the filter
    offset: int


def record(
    session: Session,
    *,
    action: str,
    actor: str | None = None,
    target: str = "",
    client: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add one entry to the log, inside the caller's transaction. Without ``actor`` it is the
    administrator's (or :func:`acting_from`'s actor); without ``client``, the current client."""
    session.add(
        AuditRow(
            at=at or dt.datetime.now(dt.UTC),
            actor=(actor or actor_var.get())[:200],
            client=(client or client_var.get())[:200],
            action=action[:64],
            target=target[:300],
            details=json.dumps(dict(details or {}), sort_keys=True, default=str),
        )
    )


def member(session: Session, name: str | None) -> str:
    """The acting member's name as the team stores it (the caller may give any case); the
    administrator when no member acts."""
    if not name:
        return actor_var.get()
    found = session.scalar(_NAME, {"name": name.strip().lower()})
    return found or name


_NAME = select(TeamMemberRow.name).where(func.lower(TeamMemberRow.name) == bindparam("name"))


def ids(values: object) -> list[int]:
    """At most :data:`MAX_IDS` ids, for ``details`` (the count goes beside them)."""
    if not isinstance(values, list | tuple | set | frozenset):
        return []
    return sorted(v for v in values if isinstance(v, int))[:MAX_IDS]


# -- codebook and framework operations, from their lineage entries ---------------------------

LINEAGE_ACTIONS = {
    "rename": "code.rename",
    "describe": "code.describe",
    "move": "code.move",
    "merge": "code.merge",
    "split": "code.split",
    "theme-add": "theme.add",
    "theme-rename": "theme.rename",
    "theme-describe": "theme.describe",
    "theme-move": "theme.move",
    "theme-remove": "theme.remove",
    "theme-assign": "theme.assign",
    "theme-unassign": "theme.unassign",
    "link-add": "theme.link",
    "link-remove": "theme.unlink",
}
STANCES = frozenset({"supports", "divergent"})


def _safe(details: Mapping[str, Any]) -> dict[str, Any]:
    """Only what cannot hold words: numbers, ids (lists become counts), stances. Names,
    labels and descriptions (strings) are dropped, whatever the key."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if (
            value is None
            or isinstance(value, bool | int)
            or (isinstance(value, str) and value in STANCES)
        ):
            out[key] = value
        elif isinstance(value, list):
            out[key] = len(value)
        elif isinstance(value, dict) and isinstance(value.get("id"), int):
            out[f"{key}_id"] = value["id"]
    return out


def from_lineage(
    session: Session, actor: str, operation: str, entry_id: int, details: Mapping[str, Any]
) -> None:
    """The audit entry of a codebook or theme-framework change logged in the lineage."""
    safe = _safe(details)
    if "link_id" in safe:
        target = f"link {safe['link_id']}"
    elif "node_id" in safe:
        target = f"theme {safe['node_id']}"
    elif "source_id" in safe:
        target = f"code {safe['source_id']}"
    else:
        target = f"code {safe.get('code_id', '')}".strip()
    if isinstance(details.get("codings"), list):
        safe["coding_ids"] = ids(details["codings"])
    action = LINEAGE_ACTIONS.get(operation, f"lineage.{operation}")
    record(
        session, actor=actor, action=action, target=target, details={**safe, "lineage": entry_id}
    )


# -- reading ----------------------------------------------------------------------------------


def _where(wanted: AuditFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if wanted.action:
        action = wanted.action.strip()
        clauses.append(or_(AuditRow.action == action, AuditRow.action.startswith(action + ".")))
    if wanted.actor:
        clauses.append(func.lower(AuditRow.actor) == wanted.actor.strip().lower())
    if wanted.since:
        clauses.append(AuditRow.at >= wanted.since)
    if wanted.until:
        clauses.append(AuditRow.at < wanted.until)
    return clauses


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def page(
    session: Session,
    wanted: AuditFilter | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> AuditPage:
    """The entries matching ``wanted``, newest first, ``limit`` of them from ``offset``."""
    clauses = _where(wanted or AuditFilter())
    offset = max(offset, 0)
    total = session.scalar(select(func.count()).select_from(AuditRow).where(*clauses)) or 0
    query = select(AuditRow).where(*clauses).order_by(AuditRow.id.desc()).offset(offset)
    if limit:
        query = query.limit(limit)
    return AuditPage(tuple(_entry(r) for r in session.scalars(query)), total, offset)


def entries(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
    limit: int | None = None,
) -> tuple[AuditEntry, ...]:
    """The log, oldest first, filtered by action (or family), actor and time."""
    query = select(AuditRow).where(*_where(AuditFilter(action, actor, since))).order_by(AuditRow.id)
    if limit:
        query = query.limit(limit)
    return tuple(_entry(r) for r in session.scalars(query))


def _entry(r: AuditRow) -> AuditEntry:
    return AuditEntry(
        r.id, _utc(r.at), r.actor, r.client, r.action, r.target, json.loads(r.details)
    )


COLUMNS = ("id", "at", "actor", "client", "action", "target", "details")


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """One entry for JSON (the time in ISO 8601, UTC)."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "client": entry.client,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
    }


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(found: Iterable[AuditEntry]) -> str:
    """The entries as CSV, one row each, ``details`` as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in found:
        row = as_dict(entry)
        row["details"] = json.dumps(entry.details, sort_keys=True, ensure_ascii=False)
        writer.writerow([_cell(str(row[c])) for c in COLUMNS])
    return out.getvalue()


def require_reader(session: Session, by: str | None) -> None:
    """Only a lead reads the log; ``by=None`` is the administrator (who holds the study file
    or its database credentials, and could read the table anyway)."""
    if by is None:
        return
    row = session.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == by.strip().lower())
    )
    if row is None or row.role != MemberRole.LEAD.value:
        role = f"a {row.role}" if row is not None else "not in the team"
        raise AccessDenied(f"only a lead can read the audit log; {by} is {role}")


__all__ = [
    "ADMINISTRATOR",
    "AuditEntry",
    "AuditFilter",
    "AuditPage",
    "acting_from",
    "actor_var",
    "as_dict",
    "client_var",
    "entries",
    "from_lineage",
    "member",
    "page",
    "record",
    "require_reader",
    "to_csv",
]
