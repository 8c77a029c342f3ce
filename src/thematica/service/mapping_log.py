"""What the import mappings share: their result and how each is logged (lineage and audit)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from thematica.service import audit
from thematica.service.codebook import member_id
from thematica.storage.models import (
    LineageRow,
    TeamMemberRow,
)


@dataclass(frozen=True)
class MappingResult:
    """What one mapping did: a one-line summary and its counts (no names, no text)."""

    operation: str
    summary: str
    counts: dict[str, int]
    entry: int = 0  # its lineage entry


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def log(
    session: Session, actor: str, operation: str, summary: str, target: str, details: dict[str, Any]
) -> int:
    """The lineage entry and its audit entry (ids and counts only); the lineage entry's id."""
    row = LineageRow(
        at=now(), actor=actor, operation=operation, summary=summary, details=json.dumps(details)
    )
    session.add(row)
    session.flush()
    safe = {k: (len(v) if isinstance(v, list) else v) for k, v in details.items()}
    audit.record(
        session,
        actor=actor,
        action=f"import.{operation}",
        target=target,
        details={**safe, "lineage": row.id},
    )
    return row.id


def actor_name(session: Session, actor: str) -> str:
    if actor == IMPORT_ACTOR:  # whoever imports: the administrator, as the import's own entry
        return audit.actor_var.get()
    row = session.get(TeamMemberRow, member_id(session, actor))
    assert row is not None
    return row.name


IMPORT_ACTOR = "\x00import"  # mappings applied by the import itself (no member does them)
