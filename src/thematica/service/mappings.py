"""Bringing a study from another tool into Thematica's method, after (or during) its import.

Four mappings, each one transaction, each checked completely before anything is written (bad
input leaves the study exactly as it was), each recorded in the lineage log and the audit log:

``promote_coder``
    One user's level-one codings become the agreed (level-two) layer: each code they applied (and
    the codes above it, to keep its path) gets a level-two copy formed from (``code_origins``) the
    level-one code at the same place, as the demo's agreed codes are; their codings move onto the
    copies, timestamps untouched. A theme node holding a level-one code now holds its copy (level-
    one counts follow the copy's origin back, with its sub-codes).
``themes_from_tree``
    Parent codes that are never coded directly, from the top of the code tree down, become the
    theme framework (overarching theme > theme > sub-theme by depth). The codes right beneath
    them become top-level codes assigned to their node (supporting); a level-one code whose
    level-two copy is assigned there is not assigned twice. Memos on those parent codes move to
    the node; links between them (given at import) become interlinks.
``set_group``
    A participant attribute's values become the participants' groups (Table 1, ``--by group``).
``set_dates``
    A participant attribute (a Date, or text holding ISO dates) sets the interview date of each
    of that participant's transcripts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thematica.domain import AttributeType, Level, MemberRole, Stance, format_path
from thematica.errors import NotFoundError, ThematicaError
from thematica.exchange.model import XProject
from thematica.service import audit
from thematica.service.codebook import CodeIndex, NodeIndex, member_id
from thematica.service.exchange_notes import ImportIds
from thematica.service.values import decode
from thematica.storage.models import (
    AttributeDefRow,
    CodeOriginRow,
    CodeRow,
    CodingRow,
    LineageRow,
    MemoRow,
    NodeCodeRow,
    NodeLinkRow,
    ParticipantRow,
    ParticipantValueRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
)

MAX_GROUP = 200
LINK_LABEL = "linked to"


@dataclass(frozen=True)
class MappingResult:
    """What one mapping did: a one-line summary and its counts (no names, no text)."""

    operation: str
    summary: str
    counts: dict[str, int]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _log(
    session: Session, actor: str, operation: str, summary: str, target: str, details: dict[str, Any]
) -> None:
    """The lineage entry and its audit entry (ids and counts only)."""
    row = LineageRow(
        at=_now(), actor=actor, operation=operation, summary=summary, details=json.dumps(details)
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


def _actor(session: Session, actor: str) -> str:
    if actor == IMPORT_ACTOR:
        return actor
    row = session.get(TeamMemberRow, member_id(session, actor))
    assert row is not None
    return row.name


IMPORT_ACTOR = "import"  # the actor of mappings applied while importing a project with no users


@dataclass(frozen=True)
class ImportMappings:
    """The mappings ``qdpx import`` applies in the import's own transaction."""

    agreed_by: str | None = None
    themes_from_tree: bool = False
    interview_date: str | None = None
    group_by: str | None = None
    journal: bool = False

    @property
    def any(self) -> bool:
        return bool(self.agreed_by or self.themes_from_tree or self.interview_date or self.group_by)


def apply_at_import(
    session: Session, project: XProject, ids: ImportIds, mappings: ImportMappings
) -> tuple[MappingResult, ...]:
    """Group, dates, themes (with the project's links between codes), then the agreed layer, in
    the import's transaction: any failure and the study is not created."""
    lead = session.scalar(
        select(TeamMemberRow.name)
        .where(TeamMemberRow.role == MemberRole.LEAD.value)
        .order_by(TeamMemberRow.id)
    )
    actor = lead or IMPORT_ACTOR
    done: list[MappingResult] = []
    if mappings.group_by:
        done.append(set_group(session, mappings.group_by, actor))
    if mappings.interview_date:
        done.append(set_dates(session, mappings.interview_date, actor))
    if mappings.themes_from_tree:
        links = [
            (ids.codes[link.origin], ids.codes[link.target], link.name)
            for link in project.links
            if link.origin in ids.codes and link.target in ids.codes
        ]
        done.append(themes_from_tree(session, actor, links))
    if mappings.agreed_by:
        done.append(promote_coder(session, mappings.agreed_by, actor))
    return tuple(done)


# -- promote ---------------------------------------------------------------------------------


def promote_coder(session: Session, coder: str, actor: str) -> MappingResult:
    who = _actor(session, actor)
    coder_id = member_id(session, coder)
    coder_row = session.get(TeamMemberRow, coder_id)
    assert coder_row is not None
    index = CodeIndex.load(session)
    used = set(
        session.scalars(
            select(CodingRow.code_id)
            .join(CodeRow, CodeRow.id == CodingRow.code_id)
            .where(CodingRow.coder_id == coder_id, CodeRow.level == int(Level.ONE))
            .distinct()
        )
    )
    if not used:
        raise ThematicaError(f"{coder_row.name} has no level-one codings to promote")
    needed: set[int] = set()
    for code_id in used:
        current: int | None = code_id
        while current is not None and current not in needed:
            needed.add(current)
            current = index.rows[current].parent_id
    copy: dict[int, int] = {}
    created = 0
    now = _now()
    for code_id in sorted(needed, key=lambda i: len(index.paths[i])):
        row = index.rows[code_id]
        found = index.find(index.paths[code_id], Level.TWO)
        if found is None:
            new = CodeRow(
                parent_id=copy[row.parent_id] if row.parent_id is not None else None,
                name=row.name,
                description=row.description,
                colour=row.colour,
                level=int(Level.TWO),
                created_at=now,
            )
            session.add(new)
            session.flush()
            found = new.id
            created += 1
        copy[code_id] = found
        if session.get(CodeOriginRow, (found, code_id)) is None:
            session.add(CodeOriginRow(code_id=found, origin_id=code_id))
    moved = 0
    for code_id in sorted(used):
        result = session.execute(
            update(CodingRow)
            .where(CodingRow.coder_id == coder_id, CodingRow.code_id == code_id)
            .values(code_id=copy[code_id])
        )
        moved += result.rowcount or 0  # type: ignore[attr-defined]
    reassigned = 0
    for assignment in list(
        session.scalars(select(NodeCodeRow).where(NodeCodeRow.code_id.in_(list(copy))))
    ):
        target = copy[assignment.code_id]
        if session.get(NodeCodeRow, (assignment.node_id, target)) is None:
            session.add(
                NodeCodeRow(node_id=assignment.node_id, code_id=target, stance=assignment.stance)
            )
        session.delete(assignment)
        reassigned += 1
    session.flush()
    summary = (
        f"Promoted {coder_row.name}'s {moved} level-one codings to the agreed layer "
        f"({created} level-two codes created)"
    )
    counts = {"codings": moved, "codes_created": created, "assignments_moved": reassigned}
    _log(
        session,
        who,
        "promote",
        summary,
        f"member {coder_id}",
        {"coder_id": coder_id, **counts, "codes": sorted(copy.values())},
    )
    return MappingResult("promote", summary, counts)


# -- themes from the code tree ---------------------------------------------------------------


def theme_parents(index: CodeIndex, coded: set[int]) -> list[int]:
    """Codes with sub-codes, never coded directly, whose parents are such codes too (or none),
    parents before children."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for code_id, row in index.rows.items():
        children[row.parent_id].append(code_id)
    out: list[int] = []
    frontier = list(children[None])
    while frontier:
        code_id = frontier.pop(0)
        if children.get(code_id) and code_id not in coded:
            out.append(code_id)
            frontier.extend(children[code_id])
    return out


def themes_from_tree(
    session: Session, actor: str, links: Sequence[tuple[int, int, str]] = ()
) -> MappingResult:
    """``links``: (code id, code id, label) pairs from the source file (REFI-QDA links)."""
    who = _actor(session, actor)
    index = CodeIndex.load(session)
    coded = set(session.scalars(select(CodingRow.code_id).distinct()))
    parents = theme_parents(index, coded)
    if not parents:
        raise ThematicaError(
            "no parent code is left uncoded: there is no code tree to make into themes"
        )
    theme_set = set(parents)
    nodes = NodeIndex.load(session)
    node_of_path = {tuple(p.casefold() for p in path): i for i, path in nodes.paths.items()}
    positions: dict[int | None, int] = defaultdict(int)
    for existing in nodes.rows.values():
        positions[existing.parent_id] = max(positions[existing.parent_id], existing.position + 1)
    node_of: dict[int, int] = {}
    created: list[int] = []
    now = _now()
    for code_id in parents:
        path = index.paths[code_id]
        key = tuple(p.casefold() for p in path)
        if key not in node_of_path:
            parent = node_of_path.get(key[:-1]) if len(key) > 1 else None
            node_row = ThemeNodeRow(
                parent_id=parent,
                name=path[-1],
                description=index.rows[code_id].description,
                position=positions[parent],
                created_at=now,
            )
            positions[parent] += 1
            session.add(node_row)
            session.flush()
            node_of_path[key] = node_row.id
            created.append(node_row.id)
        node_of[code_id] = node_of_path[key]
    promoted_from: dict[int, set[int]] = defaultdict(set)  # level-one code -> its level-two copies
    for code_id, origin_id in session.execute(
        select(CodeOriginRow.code_id, CodeOriginRow.origin_id)
    ).all():
        promoted_from[origin_id].add(code_id)
    beneath = [
        c for c, row in index.rows.items() if row.parent_id in theme_set and c not in theme_set
    ]
    assigned = 0
    for code_id in sorted(beneath, key=lambda i: (index.rows[i].level, index.paths[i])):
        row = index.rows[code_id]
        node = node_of[row.parent_id]  # type: ignore[index]
        copies_here = any(
            index.rows[c].parent_id in theme_set and index.paths[c] == index.paths[code_id]
            for c in promoted_from.get(code_id, ())
            if c in index.rows
        )
        if row.level == int(Level.ONE) and copies_here:
            continue
        if session.get(NodeCodeRow, (node, code_id)) is None:
            session.add(NodeCodeRow(node_id=node, code_id=code_id, stance=Stance.SUPPORTS.value))
            assigned += 1
    # the codes beneath become top-level codes, named apart from each other where they clash
    taken = {
        (r.level, r.name.casefold())
        for i, r in index.rows.items()
        if r.parent_id is None and i not in theme_set
    }
    renamed = 0
    for code_id in sorted(beneath, key=lambda i: index.paths[i]):
        row = index.rows[code_id]
        parent_name = index.rows[row.parent_id].name  # type: ignore[index]
        name, n = row.name, 1
        while (row.level, name.casefold()) in taken:
            n += 1
            name = f"{row.name} ({parent_name})" if n == 2 else f"{row.name} ({parent_name} {n})"
        taken.add((row.level, name.casefold()))
        renamed += name != row.name
        session.execute(
            update(CodeRow).where(CodeRow.id == code_id).values(parent_id=None, name=name)
        )
    moved_memos = 0
    for code_id in parents:
        result = session.execute(
            update(MemoRow)
            .where(MemoRow.code_id == code_id)
            .values(code_id=None, node_id=node_of[code_id])
        )
        moved_memos += result.rowcount or 0  # type: ignore[attr-defined]
    interlinks = _interlinks(session, links, node_of, now)
    for code_id in sorted(parents, key=lambda i: -len(index.paths[i])):
        session.execute(delete(NodeCodeRow).where(NodeCodeRow.code_id == code_id))
        session.execute(
            delete(CodeOriginRow).where(
                (CodeOriginRow.code_id == code_id) | (CodeOriginRow.origin_id == code_id)
            )
        )
        session.execute(delete(CodeRow).where(CodeRow.id == code_id))
    session.flush()
    counts = {
        "themes_created": len(created),
        "parent_codes": len(parents),
        "codes_assigned": assigned,
        "codes_renamed": renamed,
        "memos_moved": moved_memos,
        "interlinks": interlinks,
    }
    summary = (
        f"Made {len(parents)} uncoded parent codes into the theme framework "
        f"({len(created)} themes created, {assigned} codes assigned, {interlinks} interlinks)"
    )
    _log(
        session,
        who,
        "themes-from-tree",
        summary,
        "themes",
        {**counts, "nodes": sorted(set(node_of.values())), "removed_codes": sorted(parents)},
    )
    return MappingResult("themes-from-tree", summary, counts)


def _interlinks(
    session: Session,
    links: Iterable[tuple[int, int, str]],
    node_of: dict[int, int],
    now: dt.datetime,
) -> int:
    existing = {
        (r.from_node_id, r.to_node_id, r.label) for r in session.scalars(select(NodeLinkRow))
    }
    added = 0
    for origin, target, label in links:
        if origin not in node_of or target not in node_of or node_of[origin] == node_of[target]:
            continue
        key = (node_of[origin], node_of[target], (" ".join(label.split()) or LINK_LABEL)[:300])
        if key in existing:
            continue
        existing.add(key)
        session.add(
            NodeLinkRow(from_node_id=key[0], to_node_id=key[1], label=key[2], created_at=now)
        )
        added += 1
    return added


# -- participant attributes: group and interview dates ---------------------------------------


def _attribute(session: Session, name: str) -> AttributeDefRow:
    rows = list(session.scalars(select(AttributeDefRow).order_by(AttributeDefRow.position)))
    wanted = " ".join(name.split()).casefold()
    for row in rows:
        if row.name.casefold() == wanted:
            return row
    known = ", ".join(r.name for r in rows) or "none"
    raise NotFoundError(f"no participant attribute {name!r} (attributes: {known})")


def _values(session: Session, attribute: AttributeDefRow) -> dict[int, object]:
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
    who = _actor(session, actor)
    attribute = _attribute(session, variable)
    values = _values(session, attribute)
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
    _log(
        session,
        who,
        "set-group",
        summary,
        f"attribute {attribute.id}",
        {"attribute_id": attribute.id, **counts},
    )
    return MappingResult("set-group", summary, counts)


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
    who = _actor(session, actor)
    attribute = _attribute(session, variable)
    kind = AttributeType(attribute.type)
    if kind not in (AttributeType.DATE, AttributeType.TEXT):
        raise ThematicaError(
            f"{attribute.name!r} holds {kind.value} values, not dates: give a Date attribute"
        )
    values = _values(session, attribute)
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
    _log(
        session,
        who,
        "set-dates",
        summary,
        f"attribute {attribute.id}",
        {"attribute_id": attribute.id, **counts},
    )
    return MappingResult("set-dates", summary, counts)


# -- what a study offers to map (the workbench's import page) --------------------------------


@dataclass(frozen=True)
class MappingOptions:
    coders: tuple[str, ...]  # members with level-one codings, likely agreed layers first
    agreed_candidates: tuple[str, ...]
    attributes: tuple[str, ...]
    date_attributes: tuple[str, ...]
    theme_parents: tuple[str, ...]  # paths of the parent codes themes_from_tree would take
    level_two_codings: int


def options(session: Session) -> MappingOptions:
    from thematica.exchange.hints import looks_agreed

    coders = tuple(
        session.scalars(
            select(TeamMemberRow.name)
            .join(CodingRow, CodingRow.coder_id == TeamMemberRow.id)
            .join(CodeRow, CodeRow.id == CodingRow.code_id)
            .where(CodeRow.level == int(Level.ONE))
            .group_by(TeamMemberRow.id, TeamMemberRow.name)
            .order_by(TeamMemberRow.id)
        )
    )
    agreed = tuple(c for c in coders if looks_agreed(c))
    defs = list(session.scalars(select(AttributeDefRow).order_by(AttributeDefRow.position)))
    dated = []
    for row in defs:
        kind = AttributeType(row.type)
        if kind is AttributeType.DATE or (
            kind is AttributeType.TEXT
            and (values := _values(session, row))
            and all(parse_date(v) is not None for v in values.values())
        ):
            dated.append(row.name)
    index = CodeIndex.load(session)
    coded = set(session.scalars(select(CodingRow.code_id).distinct()))
    level_two = session.scalar(
        select(func.count())
        .select_from(CodingRow)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodeRow.level == int(Level.TWO))
    )
    return MappingOptions(
        tuple(sorted(coders, key=lambda c: c not in agreed)),
        agreed,
        tuple(r.name for r in defs),
        tuple(dated),
        tuple(format_path(index.paths[c]) for c in theme_parents(index, coded)),
        level_two or 0,
    )
