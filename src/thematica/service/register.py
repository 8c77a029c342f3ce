"""Participants, their typed attributes, the interview guide and the research team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from thematica.domain import (
    AttributeDef,
    AttributeType,
    GuideQuestion,
    MemberRole,
    Participant,
    Register,
    TeamMember,
)
from thematica.errors import ConflictError, NotFoundError, ThematicaError
from thematica.service import values
from thematica.service.sessions import memo
from thematica.storage.models import (
    AttributeDefRow,
    GuidePromptRow,
    GuideQuestionRow,
    ParticipantRow,
    ParticipantValueRow,
    TeamMemberRow,
    WithdrawalRow,
)

MAX_NAME = 200


def attribute_defs(session: Session) -> tuple[AttributeDef, ...]:
    rows = session.scalars(select(AttributeDefRow).order_by(AttributeDefRow.position))
    return tuple(AttributeDef(r.name, AttributeType(r.type)) for r in rows)


def participants(session: Session) -> tuple[Participant, ...]:
    defs = {r.id: r for r in session.scalars(select(AttributeDefRow))}
    order = [d.name for d in sorted(defs.values(), key=lambda d: d.position)]
    found: dict[int, dict[str, object]] = {}
    for v in session.scalars(select(ParticipantValueRow)):
        d = defs[v.attribute_id]
        found.setdefault(v.participant_id, {})[d.name] = values.decode(
            v.value, AttributeType(d.type)
        )
    out = []
    for row in session.scalars(select(ParticipantRow).order_by(ParticipantRow.position)):
        attrs = found.get(row.id, {})
        out.append(Participant(row.label, row.group_name, {n: attrs.get(n) for n in order}))  # type: ignore[misc]
    return tuple(out)


def participant_id(session: Session, label: str) -> int:
    row = session.scalar(
        select(ParticipantRow).where(func.lower(ParticipantRow.label) == label.strip().lower())
    )
    if row is None:
        known = ", ".join(
            session.scalars(select(ParticipantRow.label).order_by(ParticipantRow.position))
        )
        raise NotFoundError(
            f"no participant {label!r} in the register" + (f" (known: {known})" if known else "")
        )
    return row.id


def import_register(
    session: Session, register: Register, source: str, prefixes: Mapping[str, str] | None
) -> tuple[Participant, ...]:
    """Add the register's participants; all or nothing (the caller's transaction)."""
    existing_defs = {d.name.casefold(): d for d in attribute_defs(session)}
    for adef in register.attributes:
        known = existing_defs.get(adef.name.casefold())
        if known is not None and known.type is not adef.type:
            raise ConflictError(
                f"{source}: column {adef.name!r} holds {adef.type.value} values, but the study "
                f"already records {known.name!r} as {known.type.value}"
            )
    existing_labels = list(session.scalars(select(ParticipantRow.label)))
    taken = {label.casefold() for label in existing_labels}
    clash = [p.label for p in register.participants if p.label and p.label.casefold() in taken]
    if clash:
        raise ConflictError(f"{source}: already in the register: {', '.join(clash)}")
    # a withdrawn participant's label is never given to anyone else
    withdrawn = list(session.scalars(select(WithdrawalRow.label)))
    gone = {label.casefold() for label in withdrawn}
    reused = [p.label for p in register.participants if p.label and p.label.casefold() in gone]
    if reused:
        raise ConflictError(
            f"{source}: {', '.join(reused)} withdrew from the study; a withdrawn participant's "
            "label is never reused: give a new one"
        )
    existing_labels += withdrawn
    from thematica.importers.register import assign_labels  # the parsers load when importing

    labelled = assign_labels(register.participants, existing_labels, prefixes)
    for p in labelled:
        if len(p.label) > MAX_NAME or len(p.group) > MAX_NAME:
            raise ThematicaError(f"{source}: the label or group {p.label!r} is too long")

    def_ids: dict[str, int] = {
        r.name.casefold(): r.id for r in session.scalars(select(AttributeDefRow))
    }
    next_position = (session.scalar(select(func.max(AttributeDefRow.position))) or 0) + 1
    for adef in register.attributes:
        if adef.name.casefold() not in def_ids:
            def_row = AttributeDefRow(name=adef.name, type=adef.type.value, position=next_position)
            session.add(def_row)
            session.flush()
            def_ids[adef.name.casefold()] = def_row.id
            next_position += 1
    position = (session.scalar(select(func.max(ParticipantRow.position))) or 0) + 1
    value_rows = []
    types = {a.name: a.type for a in register.attributes}
    for p in labelled:
        row = ParticipantRow(label=p.label, group_name=p.group, position=position)
        session.add(row)
        session.flush()
        position += 1
        for name, value in p.attributes.items():
            if value is not None:
                value_rows.append(
                    {
                        "participant_id": row.id,
                        "attribute_id": def_ids[name.casefold()],
                        "value": values.encode(value, types[name]),
                    }
                )
    if value_rows:
        session.execute(insert(ParticipantValueRow), value_rows)
    return labelled


def guide(session: Session) -> tuple[GuideQuestion, ...]:
    prompts: dict[int, list[str]] = {}
    for p in session.scalars(select(GuidePromptRow).order_by(GuidePromptRow.position)):
        prompts.setdefault(p.question_id, []).append(p.text)
    return tuple(
        GuideQuestion(q.text, tuple(prompts.get(q.id, ())))
        for q in session.scalars(select(GuideQuestionRow).order_by(GuideQuestionRow.position))
    )


def replace_guide(session: Session, questions: Sequence[GuideQuestion]) -> None:
    """The guide is one document: importing it again replaces the previous version."""
    session.execute(delete(GuidePromptRow))
    session.execute(delete(GuideQuestionRow))
    for position, question in enumerate(questions, start=1):
        row = GuideQuestionRow(position=position, text=question.text)
        session.add(row)
        session.flush()
        for p_position, prompt in enumerate(question.prompts, start=1):
            session.add(GuidePromptRow(question_id=row.id, position=p_position, text=prompt))


def team(session: Session) -> tuple[TeamMember, ...]:
    """The team in the order they joined (read once per run of shared reads)."""
    return memo(session, ("team",), lambda: _team(session))


_TEAM = select(TeamMemberRow).order_by(TeamMemberRow.id)


def _team(session: Session) -> tuple[TeamMember, ...]:
    rows = session.scalars(_TEAM)
    return tuple(member_of(r) for r in rows)


def member_of(row: TeamMemberRow) -> TeamMember:
    return TeamMember(
        row.name,
        MemberRole(row.role),
        row.anonymised_only,
        has_password=row.password_hash is not None,
        email=row.email,
        active=row.deactivated_at is None,
    )


def add_team_member(
    session: Session, name: str, role: MemberRole, *, anonymised_only: bool = False
) -> TeamMember:
    name = " ".join(name.split())
    if not name:
        raise ThematicaError("a team member needs a name")
    if len(name) > MAX_NAME:
        raise ThematicaError(f"a team member's name is at most {MAX_NAME} characters")
    if session.scalar(select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == name.lower())):
        raise ConflictError(f"the team already has a member called {name!r}")
    session.add(
        TeamMemberRow(
            name=name, role=role.value, anonymised_only=anonymised_only or role is MemberRole.READER
        )
    )
    return TeamMember(name, role, anonymised_only or role is MemberRole.READER)


def set_anonymised_only(session: Session, name: str, flag: bool) -> TeamMember:
    row = session.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == name.strip().lower())
    )
    if row is None:
        raise NotFoundError(f"no team member {name!r}")
    if row.role == MemberRole.READER.value and not flag:
        raise ThematicaError("readers always see anonymised text only")
    row.anonymised_only = flag
    return TeamMember(row.name, MemberRole(row.role), flag)
