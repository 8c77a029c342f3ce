"""Groups and interview dates from participant attributes (see :mod:`thematica.service.mappings`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import AttributeType
from thematica.errors import NotFoundError, ThematicaError
from thematica.service.mapping_log import MappingResult, actor_name, log
from thematica.service.values import decode
from thematica.storage.models import (
    AttributeDefRow,
    ParticipantRow,
    ParticipantValueRow,
    TranscriptRow,
)

MAX_GROUP = 200


# -- participant attributes: group and interview dates ---------------------------------------


def _attribute(session: Session, name: str) -> AttributeDefRow:
    rows = list(session.scalars(select(AttributeDefRow).order_by(AttributeDefRow.position)))
    wanted = " ".join(name.split()).casefold()
    for row in rows:
        if row.name.casefold() == wanted:
            return row
    known = ", ".join(r.name for r in rows) or "none"
    raise NotFoundError(f"no participant attribute {name!r} (attributes: {known})")


def attribute_values(session: Session, attribute: AttributeDefRow) -> dict[int, object]:
    """Participant id -> the attribute's typed value, for those who have one."""
    kind = AttributeType(attribute.type)
    out: dict[int, object] = {}
    for row in session.scalars(
        select(ParticipantValueRow).where(ParticipantValueRow.attribute_id == attribute.id)
    ):
        value = decode(row.value, kind)
        if value is not None and value != "":
            out[row.participant_id] = value
    return out


def group_text(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def set_group(session: Session, variable: str, actor: str) -> MappingResult:
    who = actor_name(session, actor)
    attribute = _attribute(session, variable)
    values = attribute_values(session, attribute)
    if not values:
        raise ThematicaError(f"no participant has a value for {attribute.name!r}")
    too_long = next((v for v in values.values() if len(group_text(v)) > MAX_GROUP), None)
    if too_long is not None:
        raise ThematicaError(
            f"{attribute.name!r}: a group name holds at most {MAX_GROUP} characters"
        )
    changed = kept = 0
    for row in session.scalars(select(ParticipantRow)):
        if row.id not in values:
            kept += 1
            continue
        group = group_text(values[row.id])
        if row.group_name != group:
            row.group_name = group
            changed += 1
    session.flush()
    groups = len({group_text(v) for v in values.values()})
    summary = (
        f"Grouped participants by {attribute.name!r}: {groups} groups, {changed} participants "
        f"changed, {kept} without a value kept their group"
    )
    counts = {"groups": groups, "participants_changed": changed, "participants_kept": kept}
    entry = log(
        session,
        who,
        "set-group",
        summary,
        f"attribute {attribute.id}",
        {"attribute_id": attribute.id, **counts},
    )
    return MappingResult("set-group", summary, counts, entry)


def parse_date(value: object) -> dt.date | None:
    """A date from a Date value, or from text holding an ISO date or date-time; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def set_dates(session: Session, variable: str, actor: str) -> MappingResult:
    who = actor_name(session, actor)
    attribute = _attribute(session, variable)
    kind = AttributeType(attribute.type)
    if kind not in (AttributeType.DATE, AttributeType.TEXT):
        raise ThematicaError(
            f"{attribute.name!r} holds {kind.value} values, not dates: give a Date attribute"
        )
    values = attribute_values(session, attribute)
    labels = dict(session.execute(select(ParticipantRow.id, ParticipantRow.label)).all())
    dates: dict[int, dt.date] = {}
    for pid, value in sorted(values.items(), key=lambda kv: labels.get(kv[0], "")):
        parsed = parse_date(value)
        if parsed is None:
            raise ThematicaError(
                f"participant {labels.get(pid)!r}: {attribute.name} {value!r} is not a date "
                "(YYYY-MM-DD)"
            )
        dates[pid] = parsed
    if not dates:
        raise ThematicaError(f"no participant has a value for {attribute.name!r}")
    changed = kept = 0
    for row in session.scalars(select(TranscriptRow)):
        when = dates.get(row.participant_id) if row.participant_id is not None else None
        if when is None:
            kept += 1
        elif row.interview_date != when:
            row.interview_date = when
            changed += 1
    session.flush()
    summary = (
        f"Set interview dates from {attribute.name!r}: {changed} transcripts changed, "
        f"{kept} without a date kept theirs"
    )
    counts = {"transcripts_changed": changed, "transcripts_kept": kept}
    entry = log(
        session,
        who,
        "set-dates",
        summary,
        f"attribute {attribute.id}",
        {"attribute_id": attribute.id, **counts},
    )
    return MappingResult("set-dates", summary, counts, entry)
