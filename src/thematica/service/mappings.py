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

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from thematica.domain import AttributeType, Level, format_path
from thematica.errors import ThematicaError
from thematica.exchange.model import XProject
from thematica.service.attribute_mappings import attribute_values, parse_date, set_dates, set_group
from thematica.service.codebook import CodeIndex, member_id
from thematica.service.exchange_notes import ImportIds
from thematica.service.mapping_log import IMPORT_ACTOR, MappingResult, actor_name, log, now
from thematica.service.theme_tree import theme_parents, themes_from_tree
from thematica.storage.models import (
    AttributeDefRow,
    CodeOriginRow,
    CodeRow,
    CodingRow,
    NodeCodeRow,
    TeamMemberRow,
)

__all__ = [
    "IMPORT_ACTOR",
    "ImportMappings",
    "MappingOptions",
    "MappingResult",
    "apply_at_import",
    "options",
    "promote_coder",
    "set_dates",
    "set_group",
    "themes_from_tree",
]


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
    actor = IMPORT_ACTOR
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
    who = actor_name(session, actor)
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
    at = now()
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
                created_at=at,
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
    entry = log(
        session,
        who,
        "promote",
        summary,
        f"member {coder_id}",
        {"coder_id": coder_id, **counts, "codes": sorted(copy.values())},
    )
    return MappingResult("promote", summary, counts, entry)


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
            and (values := attribute_values(session, row))
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
        tuple(dict.fromkeys(format_path(index.paths[c]) for c in theme_parents(index, coded))),
        level_two or 0,
    )
