"""The audit log: who did what, when, from which client. Written in the same transaction as the
change it records, so a change and its entry commit or roll back together.

An entry names members, codes, theme nodes and transcripts by id or label and counts things; it
never holds transcript text, a memo's text or an original identifier (the anonymisation key's
originals).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.storage.models import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    client: str
    action: str
    target: str
    details: dict[str, Any]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    client: str = "",
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add one entry to the log, inside the caller's transaction."""
    session.add(
        AuditRow(
            at=at or dt.datetime.now(dt.UTC),
            actor=actor[:200],
            client=client[:200],
            action=action[:64],
            target=target[:300],
            details=json.dumps(dict(details or {}), sort_keys=True, default=str),
        )
    )


def entries(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
    limit: int | None = None,
) -> tuple[AuditEntry, ...]:
    """The log, oldest first, filtered by action, actor and time."""
    query = select(AuditRow).order_by(AuditRow.id)
    if action:
        query = query.where(AuditRow.action == action)
    if actor:
        query = query.where(AuditRow.actor == actor)
    if since:
        query = query.where(AuditRow.at >= since)
    if limit:
        query = query.limit(limit)
    return tuple(
        AuditEntry(r.id, r.at, r.actor, r.client, r.action, r.target, json.loads(r.details))
        for r in session.scalars(query)
    )
