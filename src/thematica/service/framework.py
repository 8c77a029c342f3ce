"""Editing the theme framework (overarching theme > theme > sub-theme, any depth): add, rename,
describe, move and remove nodes, assign codes to them (supporting or divergent), and join them
with named interlinks. Every change is recorded in the lineage log, so the activity shows it.

Stale edits: each node has a ``version``, a short fingerprint of its name, description, parent
and position. An edit that names the version it was based on (``expected``) is refused with a
:class:`ConflictError` when the node has changed since (renamed, described, moved, or shifted by
a sibling's move), so two tabs never silently overwrite each other. The fingerprint is checked
against the node as read, and the change is written with ``WHERE`` those columns still hold
what was read, in one statement (:mod:`thematica.service.versions`), so of simultaneous edits
carrying one version exactly one succeeds. ``expected=None`` skips the fingerprint (scripts, the
CLI) but not the ``WHERE``. Codes get the same kind of fingerprint for the codebook editor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thematica.domain import Code, CodePath, Coding, Level, MemberRole, Stance, format_path
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import versions
from thematica.service.codebook import CodeIndex, NodeIndex, assign, list_codings, member_id
from thematica.service.codeops import _record, code_fingerprint
from thematica.storage.models import NodeCodeRow, NodeLinkRow, TeamMemberRow, ThemeNodeRow

MAX_NAME = 300
MAX_DESCRIPTION = 5_000
MAX_LABEL = 300
SHIFTS = ("up", "down", "indent", "outdent")


@dataclass(frozen=True)
class NodeCode:
    """A code assigned to a theme node."""

    code_id: int
    path: CodePath
    level: Level
    stance: Stance


@dataclass(frozen=True)
class FrameworkNode:
    """A theme node as the editor shows it, in tree order (parents before children)."""

    id: int
    parent_id: int | None
    name: str
    path: CodePath
    description: str
    position: int
    version: str
    codes: tuple[NodeCode, ...]

    @property
    def depth(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class FrameworkLink:
    id: int
    from_id: int
    to_id: int
    source: CodePath
    target: CodePath
    label: str


@dataclass(frozen=True)
class Quote:
    """A coded segment under a theme node: which node and code brought it, and how it bears."""

    coding: Coding
    node_id: int
    node: CodePath
    stance: Stance


VERSIONED = ("parent_id", "position", "name", "description")  # what a node's version covers


def node_version(row: ThemeNodeRow) -> str:
    return versions.fingerprint(*(getattr(row, column) for column in VERSIONED))


def code_version(code: Code) -> str:
    """The fingerprint of a code as an editor last saw it (path, description, colour)."""
    return code_fingerprint(code.level, code.path, code.description, code.colour)


def _actor(session: Session, actor: str) -> str:
    """The member's name as stored; readers read and do not change the framework."""
    row = session.get(TeamMemberRow, member_id(session, actor))
    assert row is not None
    if MemberRole(row.role) is MemberRole.READER:
        raise AccessDenied(f"{row.name} is a reader and cannot change the theme framework")
    return row.name


def _clean(text: str, what: str, limit: int = MAX_NAME) -> str:
    text = " ".join(text.split())
    if not text or len(text) > limit:
        raise ThematicaError(f"{what} needs 1 to {limit} characters (it has {len(text)})")
    return text


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise ThematicaError(f"a description holds at most {MAX_DESCRIPTION:,} characters")
    return text


def _node(nodes: NodeIndex, node_id: int) -> ThemeNodeRow:
    row = nodes.rows.get(node_id)
    if row is None:
        raise NotFoundError(f"no theme node {node_id}")
    return row


def _seen(nodes: NodeIndex, row: ThemeNodeRow, expected: str | None) -> dict[str, object]:
    """The node's versioned columns as read, for the ``WHERE`` of the change; refused at once
    when they are not the version the caller saw."""
    if expected is not None and expected != node_version(row):
        raise ConflictError(
            f"{format_path(nodes.paths[row.id])!r} has changed since you loaded it "
            "(someone renamed, described or moved it); reload and try again"
        )
    return {column: getattr(row, column) for column in VERSIONED}


def _what(nodes: NodeIndex, row: ThemeNodeRow) -> str:
    return repr(format_path(nodes.paths[row.id]))


def _siblings(nodes: NodeIndex, parent_id: int | None, exclude: int | None = None) -> list[int]:
    return sorted(
        (i for i, r in nodes.rows.items() if r.parent_id == parent_id and i != exclude),
        key=lambda i: (nodes.rows[i].position, i),
    )


def _check_sibling_name(
    nodes: NodeIndex, parent_id: int | None, name: str, exclude: int | None = None
) -> None:
    for i in _siblings(nodes, parent_id, exclude):
        if nodes.rows[i].name.casefold() == name.casefold():
            raise ConflictError(f"there is already a theme {format_path(nodes.paths[i])!r}")


def _renumber(nodes: NodeIndex, order: list[int]) -> None:
    for position, node_id in enumerate(order):
        if nodes.rows[node_id].position != position:
            nodes.rows[node_id].position = position


def _descendants(nodes: NodeIndex, node_id: int) -> set[int]:
    out: set[int] = set()
    frontier = [node_id]
    while frontier:
        parent = frontier.pop()
        for i, r in nodes.rows.items():
            if r.parent_id == parent and i not in out:
                out.add(i)
                frontier.append(i)
    return out


def _where(nodes: NodeIndex, parent_id: int | None) -> str:
    return repr(format_path(nodes.paths[parent_id])) if parent_id is not None else "the top level"


# -- reading ---------------------------------------------------------------------------------


def framework(session: Session) -> tuple[tuple[FrameworkNode, ...], tuple[FrameworkLink, ...]]:
    nodes = NodeIndex.load(session)
    index = CodeIndex.load(session)
    assigned: dict[int, list[NodeCode]] = {}
    for row in session.scalars(select(NodeCodeRow)):
        code = index.rows[row.code_id]
        assigned.setdefault(row.node_id, []).append(
            NodeCode(row.code_id, index.paths[row.code_id], Level(code.level), Stance(row.stance))
        )
    order: list[int] = []

    def walk(parent: int | None) -> None:
        for i in _siblings(nodes, parent):
            order.append(i)
            walk(i)

    walk(None)
    out = tuple(
        FrameworkNode(
            id=i,
            parent_id=nodes.rows[i].parent_id,
            name=nodes.rows[i].name,
            path=nodes.paths[i],
            description=nodes.rows[i].description,
            position=nodes.rows[i].position,
            version=node_version(nodes.rows[i]),
            codes=tuple(
                sorted(
                    assigned.get(i, []),
                    key=lambda c: (c.stance != Stance.SUPPORTS, format_path(c.path).casefold()),
                )
            ),
        )
        for i in order
    )
    links = tuple(
        FrameworkLink(
            r.id,
            r.from_node_id,
            r.to_node_id,
            nodes.paths[r.from_node_id],
            nodes.paths[r.to_node_id],
            r.label,
        )
        for r in session.scalars(select(NodeLinkRow).order_by(NodeLinkRow.id))
    )
    return out, links


def quotes(session: Session, node_id: int, visible_to: str | None) -> tuple[Quote, ...]:
    """Every coded segment under a node: the codings of the codes assigned to it and to its
    sub-themes (with their sub-codes), as the node's count counts them; blind coding applies."""
    nodes = NodeIndex.load(session)
    _node(nodes, node_id)
    index = CodeIndex.load(session)
    under = [node_id, *sorted(_descendants(nodes, node_id), key=lambda i: nodes.paths[i])]
    wanted: dict[int, tuple[int, Stance]] = {}
    for i in under:
        for row in session.scalars(select(NodeCodeRow).where(NodeCodeRow.node_id == i)):
            for code_id in (row.code_id, *index.descendants(row.code_id)):
                wanted.setdefault(code_id, (i, Stance(row.stance)))
    if not wanted:
        return ()
    found = list_codings(session, visible_to=visible_to)
    by_path = {(int(index.rows[c].level), index.paths[c]): c for c in wanted}
    out = []
    for coding in found:
        match = by_path.get((int(coding.level), coding.code))
        if match is not None:
            source, stance = wanted[match]
            out.append(Quote(coding, source, nodes.paths[source], stance))
    return tuple(out)


# -- editing ---------------------------------------------------------------------------------


def add_node(
    session: Session, name: str, parent_id: int | None, description: str, actor: str
) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    if parent_id is not None:
        _node(nodes, parent_id)
    name = _clean(name, "a theme name")
    _check_sibling_name(nodes, parent_id, name)
    row = ThemeNodeRow(
        parent_id=parent_id,
        name=name,
        description=_description(description),
        position=len(_siblings(nodes, parent_id)),
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    _record(
        session,
        who,
        "theme-add",
        f"Added theme {name!r} under {_where(nodes, parent_id)}",
        {"node_id": row.id, "parent_id": parent_id, "name": name},
    )
    return row.id


def rename_node(session: Session, node_id: int, name: str, actor: str, expected: str | None) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    row = _node(nodes, node_id)
    seen = _seen(nodes, row, expected)
    name = _clean(name, "a theme name")
    _check_sibling_name(nodes, row.parent_id, name, exclude=node_id)
    old = row.name
    versions.set_if_current(session, row, seen, {"name": name}, _what(nodes, row))
    return _record(
        session,
        who,
        "theme-rename",
        f"Renamed theme {format_path(nodes.paths[node_id])!r} to {name!r}",
        {"node_id": node_id, "old_name": old, "new_name": name},
    )


def describe_node(
    session: Session, node_id: int, description: str, actor: str, expected: str | None
) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    row = _node(nodes, node_id)
    seen = _seen(nodes, row, expected)
    before = row.description
    change = {"description": _description(description)}
    versions.set_if_current(session, row, seen, change, _what(nodes, row))
    return _record(
        session,
        who,
        "theme-describe",
        f"Described theme {format_path(nodes.paths[node_id])!r}",
        {"node_id": node_id, "before": before, "after": row.description},
    )


def move_node(
    session: Session,
    node_id: int,
    parent_id: int | None,
    position: int | None,
    actor: str,
    expected: str | None,
) -> int:
    """Move a node under ``parent_id`` (None: the top level) at ``position`` among its new
    siblings (None: last); its sub-themes, codes and interlinks go with it."""
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    row = _node(nodes, node_id)
    seen = _seen(nodes, row, expected)
    if parent_id is not None:
        _node(nodes, parent_id)
        if parent_id == node_id or parent_id in _descendants(nodes, node_id):
            raise ThematicaError(f"cannot move {format_path(nodes.paths[node_id])!r} inside itself")
    _check_sibling_name(nodes, parent_id, row.name, exclude=node_id)
    siblings = _siblings(nodes, parent_id, exclude=node_id)
    if position is None:
        position = len(siblings)
    if not 0 <= position <= len(siblings):
        raise ThematicaError(f"position {position} is not between 0 and {len(siblings)}")
    old_parent, old_position = row.parent_id, row.position
    change = {"parent_id": parent_id, "position": position}
    versions.set_if_current(session, row, seen, change, _what(nodes, row))
    if old_parent != parent_id:
        _renumber(nodes, _siblings(nodes, old_parent, exclude=node_id))
    siblings.insert(position, node_id)
    _renumber(nodes, siblings)
    session.flush()
    return _record(
        session,
        who,
        "theme-move",
        f"Moved theme {format_path(nodes.paths[node_id])!r} to {_where(nodes, parent_id)}"
        f" (place {position + 1})",
        {
            "node_id": node_id,
            "old_parent_id": old_parent,
            "old_position": old_position,
            "new_parent_id": parent_id,
            "new_position": position,
        },
    )


def shift_node(
    session: Session, node_id: int, direction: str, actor: str, expected: str | None
) -> int:
    """The keyboard's moves: up or down among siblings; indent (into the sibling above, as its
    last sub-theme); outdent (out of its parent, just after it)."""
    nodes = NodeIndex.load(session)
    row = _node(nodes, node_id)
    _seen(nodes, row, expected)
    siblings = _siblings(nodes, row.parent_id)
    here = siblings.index(node_id)
    name = format_path(nodes.paths[node_id])
    if direction == "up":
        if here == 0:
            raise ThematicaError(f"{name!r} is already first")
        return move_node(session, node_id, row.parent_id, here - 1, actor, expected)
    if direction == "down":
        if here == len(siblings) - 1:
            raise ThematicaError(f"{name!r} is already last")
        return move_node(session, node_id, row.parent_id, here + 1, actor, expected)
    if direction == "indent":
        if here == 0:
            raise ThematicaError(f"{name!r} has no theme above it to go under")
        return move_node(session, node_id, siblings[here - 1], None, actor, expected)
    if direction == "outdent":
        if row.parent_id is None:
            raise ThematicaError(f"{name!r} is already at the top level")
        parent = nodes.rows[row.parent_id]
        after = _siblings(nodes, parent.parent_id).index(parent.id) + 1
        return move_node(session, node_id, parent.parent_id, after, actor, expected)
    raise ThematicaError(f"unknown move {direction!r}; use one of {', '.join(SHIFTS)}")


def remove_node(session: Session, node_id: int, actor: str, expected: str | None) -> int:
    """Remove an empty node: one with no sub-themes, no codes and no interlinks."""
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    row = _node(nodes, node_id)
    seen = _seen(nodes, row, expected)
    name = format_path(nodes.paths[node_id])
    children = len(_siblings(nodes, node_id))
    codes = len(list(session.scalars(select(NodeCodeRow).where(NodeCodeRow.node_id == node_id))))
    links = len(
        list(
            session.scalars(
                select(NodeLinkRow.id).where(
                    (NodeLinkRow.from_node_id == node_id) | (NodeLinkRow.to_node_id == node_id)
                )
            )
        )
    )
    held = [
        f"{n} {what}{'' if n == 1 else 's'}"
        for n, what in ((children, "sub-theme"), (codes, "code"), (links, "interlink"))
        if n
    ]
    if held:
        raise ConflictError(f"{name!r} still has {', '.join(held)}; move or remove them first")
    parent_id = row.parent_id
    versions.delete_if_current(session, row, seen, repr(name))
    del nodes.rows[node_id]
    _renumber(nodes, _siblings(nodes, parent_id))
    return _record(
        session,
        who,
        "theme-remove",
        f"Removed theme {name!r}",
        {"node_id": node_id, "parent_id": parent_id, "name": row.name},
    )


def _code(index: CodeIndex, code_id: int) -> CodePath:
    if code_id not in index.rows:
        raise NotFoundError(f"no code {code_id}")
    return index.paths[code_id]


def assign_code(session: Session, node_id: int, code_id: int, stance: Stance, actor: str) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    _node(nodes, node_id)
    index = CodeIndex.load(session)
    path = _code(index, code_id)
    level = index.rows[code_id].level
    current = session.get(NodeCodeRow, (node_id, code_id))
    theme = format_path(nodes.paths[node_id])
    if current is not None and current.stance == stance.value:
        raise ConflictError(f"{format_path(path)!r} already {stance.value} {theme!r}")
    before = current.stance if current is not None else None
    assign(session, node_id, code_id, stance)
    verb = "as divergent for" if stance is Stance.DIVERGENT else "as supporting"
    return _record(
        session,
        who,
        "theme-assign",
        f"Assigned level-{level} code {format_path(path)!r} {verb} theme {theme!r}",
        {"node_id": node_id, "code_id": code_id, "stance": stance.value, "before": before},
    )


def unassign_code(session: Session, node_id: int, code_id: int, actor: str) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    _node(nodes, node_id)
    index = CodeIndex.load(session)
    path = _code(index, code_id)
    current = session.get(NodeCodeRow, (node_id, code_id))
    theme = format_path(nodes.paths[node_id])
    if current is None:
        raise NotFoundError(f"{format_path(path)!r} is not assigned to {theme!r}")
    stance = current.stance
    session.delete(current)
    session.flush()
    return _record(
        session,
        who,
        "theme-unassign",
        f"Took {format_path(path)!r} off theme {theme!r}",
        {"node_id": node_id, "code_id": code_id, "stance": stance},
    )


def add_link(session: Session, from_id: int, to_id: int, label: str, actor: str) -> int:
    who = _actor(session, actor)
    nodes = NodeIndex.load(session)
    _node(nodes, from_id)
    _node(nodes, to_id)
    if from_id == to_id:
        raise ThematicaError("an interlink joins two different themes")
    label = _clean(label, "an interlink label", MAX_LABEL)
    exists = session.scalar(
        select(NodeLinkRow.id).where(
            NodeLinkRow.from_node_id == from_id,
            NodeLinkRow.to_node_id == to_id,
            NodeLinkRow.label == label,
        )
    )
    source, target = format_path(nodes.paths[from_id]), format_path(nodes.paths[to_id])
    if exists is not None:
        raise ConflictError(f"{source!r} is already linked to {target!r} as {label!r}")
    row = NodeLinkRow(
        from_node_id=from_id, to_node_id=to_id, label=label, created_at=dt.datetime.now(dt.UTC)
    )
    session.add(row)
    session.flush()
    _record(
        session,
        who,
        "link-add",
        f"Linked {source!r} to {target!r}: {label!r}",
        {"link_id": row.id, "from": from_id, "to": to_id, "label": label},
    )
    return row.id


def remove_link(session: Session, link_id: int, actor: str) -> int:
    who = _actor(session, actor)
    row = session.get(NodeLinkRow, link_id)
    if row is None:
        raise NotFoundError(f"no interlink {link_id}")
    nodes = NodeIndex.load(session)
    source = format_path(nodes.paths[row.from_node_id])
    target = format_path(nodes.paths[row.to_node_id])
    details = {"link_id": link_id, "from": row.from_node_id, "to": row.to_node_id}
    label = row.label
    session.execute(delete(NodeLinkRow).where(NodeLinkRow.id == link_id))
    return _record(
        session,
        who,
        "link-remove",
        f"Removed the interlink {label!r} from {source!r} to {target!r}",
        {**details, "label": label},
    )
