"""Themes from the code tree (see :mod:`thematica.service.mappings`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from thematica.domain import CodePath, Level, Stance
from thematica.errors import ThematicaError
from thematica.service.codebook import CodeIndex, NodeIndex
from thematica.service.mapping_log import MappingResult, actor_name, log, now
from thematica.storage.models import (
    CodeOriginRow,
    CodeRow,
    CodingRow,
    MemoRow,
    NodeCodeRow,
    NodeLinkRow,
    ThemeNodeRow,
)

LINK_LABEL = "linked to"


# -- themes from the code tree ---------------------------------------------------------------


def theme_parents(index: CodeIndex, coded: set[int]) -> list[int]:
    """Codes with sub-codes, never coded directly, whose parents are such codes too (or none),
    parents before children."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for code_id, row in index.rows.items():
        children[row.parent_id].append(code_id)
    out: list[int] = []
    frontier = list(reversed(children[None]))
    while frontier:
        code_id = frontier.pop()
        if children.get(code_id) and code_id not in coded:
            out.append(code_id)
            frontier.extend(reversed(children[code_id]))
    return out


def themes_from_tree(
    session: Session,
    actor: str,
    links: Sequence[tuple[int, int, str]] = (),
    path_links: Sequence[tuple[CodePath, CodePath, str]] = (),
) -> MappingResult:
    """``links``: (code id, code id, label) from the file being imported (REFI-QDA links);
    ``path_links``: the same by code path (the file the study was imported from, read again),
    matched to the parent codes at either level."""
    who = actor_name(session, actor)
    index = CodeIndex.load(session)
    links = [*links, *_by_path(index, path_links)]
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
    at = now()
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
                created_at=at,
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
    interlinks = _interlinks(session, links, node_of, at)
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
        f"Made {len(set(node_of.values()))} uncoded parent codes into the theme framework "
        f"({len(created)} themes created, {assigned} codes assigned, {interlinks} interlinks)"
    )
    entry = log(
        session,
        who,
        "themes-from-tree",
        summary,
        "themes",
        {**counts, "nodes": sorted(set(node_of.values())), "removed_codes": sorted(parents)},
    )
    return MappingResult("themes-from-tree", summary, counts, entry)


def _by_path(
    index: CodeIndex, path_links: Sequence[tuple[CodePath, CodePath, str]]
) -> list[tuple[int, int, str]]:
    out = []
    for a, b, label in path_links:
        for level in (Level.ONE, Level.TWO):
            found_a, found_b = index.find(a, level), index.find(b, level)
            if found_a is not None and found_b is not None:
                out.append((found_a, found_b, label))
    return out


def _interlinks(
    session: Session,
    links: Iterable[tuple[int, int, str]],
    node_of: dict[int, int],
    at: dt.datetime,
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
            NodeLinkRow(from_node_id=key[0], to_node_id=key[1], label=key[2], created_at=at)
        )
        added += 1
    return added
