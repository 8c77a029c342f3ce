"""Codebook operations that never lose a coding: rename, describe, move, merge, split, and the
undo of a merge. Each is recorded in the lineage log (who, when, what).

A code's version is a fingerprint of its level, path, description and colour
(:func:`code_fingerprint`). An operation given the version the editor saw (``expected``) is
refused when the code no longer has it, and writes the code with ``WHERE`` its columns still hold
what was read, in one statement (:mod:`thematica.service.versions`), so of simultaneous edits
carrying one version exactly one succeeds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from thematica.domain import CodePath, Level, LineageEntry, MemberRole, format_path
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import audit, versions
from thematica.service.blind_rule import hidden_codings
from thematica.service.codebook import CodeIndex, check_sibling_name, member_id
from thematica.storage.models import (
    CodeOriginRow,
    CodeRow,
    CodingRow,
    JournalCodeRow,
    JournalEntryRow,
    LineageRow,
    MemoRow,
    NodeCodeRow,
    StudyRow,
    TeamMemberRow,
)

MAX_NAME = 300


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _actor(session: Session, actor: str) -> str:
    row = session.get(TeamMemberRow, member_id(session, actor))
    assert row is not None
    return row.name


def _is_lead(session: Session, name: str) -> bool:
    row = session.get(TeamMemberRow, member_id(session, name))
    return row is not None and row.role == MemberRole.LEAD.value


def _blind_level_one(session: Session, level: Level) -> bool:
    """Whether an operation on ``level`` codes touches codings blind coding may hide."""
    study = session.get(StudyRow, 1)
    return level == Level.ONE and study is not None and study.blind_coding


def _record(
    session: Session, actor: str, operation: str, summary: str, details: dict[str, Any]
) -> int:
    row = LineageRow(
        at=_now(), actor=actor, operation=operation, summary=summary, details=json.dumps(details)
    )
    session.add(row)
    session.flush()
    audit.from_lineage(session, actor, operation, row.id, details)
    return row.id


VERSIONED = ("parent_id", "name", "level", "description", "colour")  # a code's own columns


def code_fingerprint(level: Level, path: CodePath, description: str, colour: str | None) -> str:
    """A code's version as an editor sees it."""
    return versions.fingerprint(level, format_path(path), description, colour)


def _code_id(index: CodeIndex, path: CodePath, level: Level, expected: str | None) -> int:
    """The code at ``path``; a caller who saw it there (``expected``) and finds it gone is told
    it changed since (renamed, moved or merged), like any stale edit."""
    if expected is not None and index.find(path, level) is None:
        raise versions.stale(f"the code {format_path(path)!r}")
    return index.get(path, level)


def _seen(index: CodeIndex, code_id: int, expected: str | None) -> dict[str, object]:
    """The code's columns as read, for the ``WHERE`` of the change; refused at once when the
    code is not at the version the caller saw (renamed, moved, described, or a parent renamed)."""
    row = index.rows[code_id]
    path = index.paths[code_id]
    if expected is not None and expected != code_fingerprint(
        Level(row.level), path, row.description, row.colour
    ):
        raise versions.stale(f"the code {format_path(path)!r}")
    return {column: getattr(row, column) for column in VERSIONED}


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or ">" in name or len(name) > MAX_NAME:
        raise ThematicaError(f"a code name needs 1 to {MAX_NAME} characters and no '>'")
    return name


def rename(
    session: Session,
    path: CodePath,
    level: Level,
    new_name: str,
    actor: str,
    expected: str | None = None,
) -> int:
    who = _actor(session, actor)
    index = CodeIndex.load(session)
    code_id = _code_id(index, path, level, expected)
    row = index.rows[code_id]
    seen = _seen(index, code_id, expected)
    name = _clean_name(new_name)
    check_sibling_name(index, row.parent_id, row.level, name, exclude=code_id)
    old = row.name
    versions.set_if_current(session, row, seen, {"name": name}, f"the code {format_path(path)!r}")
    return _record(
        session,
        who,
        "rename",
        f"Renamed {format_path(path)!r} to {name!r}",
        {"code_id": code_id, "level": int(level), "old_name": old, "new_name": name},
    )


def describe(
    session: Session,
    path: CodePath,
    level: Level,
    description: str | None,
    colour: str | None,
    actor: str,
    expected: str | None = None,
) -> int:
    who = _actor(session, actor)
    index = CodeIndex.load(session)
    code_id = _code_id(index, path, level, expected)
    row = index.rows[code_id]
    seen = _seen(index, code_id, expected)
    before = {"description": row.description, "colour": row.colour}
    change: dict[str, object] = {}
    if description is not None:
        change["description"] = description.strip()
    if colour is not None:
        change["colour"] = colour
    versions.set_if_current(session, row, seen, change or seen, f"the code {format_path(path)!r}")
    return _record(
        session,
        who,
        "describe",
        f"Described {format_path(path)!r}",
        {
            "code_id": code_id,
            "before": before,
            "after": {"description": row.description, "colour": row.colour},
        },
    )


def move(
    session: Session,
    path: CodePath,
    level: Level,
    new_parent: CodePath | None,
    actor: str,
    expected: str | None = None,
) -> int:
    who = _actor(session, actor)
    index = CodeIndex.load(session)
    code_id = _code_id(index, path, level, expected)
    row = index.rows[code_id]
    seen = _seen(index, code_id, expected)
    parent_id = index.get(new_parent, level) if new_parent else None
    if parent_id is not None and (parent_id == code_id or parent_id in index.descendants(code_id)):
        raise ThematicaError(f"cannot move {format_path(path)!r} inside itself")
    check_sibling_name(index, parent_id, row.level, row.name, exclude=code_id)
    old_parent = row.parent_id
    what = f"the code {format_path(path)!r}"
    versions.set_if_current(session, row, seen, {"parent_id": parent_id}, what)
    where = format_path(new_parent) if new_parent else "the top level"
    return _record(
        session,
        who,
        "move",
        f"Moved {format_path(path)!r} to {where}",
        {"code_id": code_id, "old_parent_id": old_parent, "new_parent_id": parent_id},
    )


def merge(
    session: Session,
    source: CodePath,
    target: CodePath,
    level: Level,
    actor: str,
    expected: str | None = None,
) -> int:
    """Merge ``source`` into ``target``: its codings, sub-codes, theme assignments and origins
    move to ``target`` and ``source`` is removed. Everything needed to undo it is logged.
    ``expected`` is ``source``'s version."""
    who = _actor(session, actor)
    blind = _blind_level_one(session, level)
    if blind and not _is_lead(session, who):
        raise AccessDenied(
            "the study codes blind: until the lead ends blind coding, only a lead merges "
            "level-one codes (a merge moves every coder's codings, including ones you cannot see)"
        )
    index = CodeIndex.load(session)
    source_id = _code_id(index, source, level, expected)
    target_id = index.get(target, level)
    seen = _seen(index, source_id, expected)
    if source_id == target_id:
        raise ThematicaError("a code cannot be merged into itself")
    if target_id in index.descendants(source_id):
        raise ThematicaError(
            f"{format_path(target)!r} is inside {format_path(source)!r}; move it out first"
        )
    children = [r.id for r in index.rows.values() if r.parent_id == source_id]
    for child in children:
        check_sibling_name(index, target_id, index.rows[child].level, index.rows[child].name)
    row = index.rows[source_id]
    coding_ids = list(session.scalars(select(CodingRow.id).where(CodingRow.code_id == source_id)))
    target_nodes = set(
        session.scalars(select(NodeCodeRow.node_id).where(NodeCodeRow.code_id == target_id))
    )
    target_stances = dict(
        session.execute(
            select(NodeCodeRow.node_id, NodeCodeRow.stance).where(NodeCodeRow.code_id == target_id)
        ).all()
    )
    node_rows = [
        (n.node_id, n.stance)
        for n in session.scalars(select(NodeCodeRow).where(NodeCodeRow.code_id == source_id))
    ]
    for node_id, stance in node_rows:
        if node_id in target_stances and target_stances[node_id] != stance:
            raise ConflictError(
                f"{format_path(source)!r} is {stance} and {format_path(target)!r} is "
                f"{target_stances[node_id]} for the same theme; merging would turn divergent cases into "
                "support (or the reverse). Change one assignment first"
            )
    origins = [
        (o.code_id, o.origin_id)
        for o in session.scalars(
            select(CodeOriginRow).where(
                (CodeOriginRow.code_id == source_id) | (CodeOriginRow.origin_id == source_id)
            )
        )
    ]
    details = {
        "source": {
            "id": source_id,
            "parent_id": row.parent_id,
            "name": row.name,
            "description": row.description,
            "colour": row.colour,
            "level": row.level,
            "owner_id": row.owner_id,
            "created_at": row.created_at.isoformat(),
        },
        "target_id": target_id,
        "codings": coding_ids,
        "children": children,
        "nodes": node_rows,
        "nodes_moved": [n for n, _ in node_rows if n not in target_nodes],
        "origins": origins,
    }
    session.execute(
        update(CodingRow).where(CodingRow.code_id == source_id).values(code_id=target_id)
    )
    details.update(_move_notes(session, source_id, target_id))  # memos and journal links [0007]
    session.execute(
        update(CodeRow).where(CodeRow.parent_id == source_id).values(parent_id=target_id)
    )
    for node_id, _stance in node_rows:
        if node_id in target_nodes:
            session.execute(
                delete(NodeCodeRow).where(
                    NodeCodeRow.node_id == node_id, NodeCodeRow.code_id == source_id
                )
            )
        else:
            session.execute(
                update(NodeCodeRow)
                .where(NodeCodeRow.node_id == node_id, NodeCodeRow.code_id == source_id)
                .values(code_id=target_id)
            )
    session.execute(
        delete(CodeOriginRow).where(
            (CodeOriginRow.code_id == source_id) | (CodeOriginRow.origin_id == source_id)
        )
    )
    added: list[tuple[int, int]] = []
    for code_id, origin_id in origins:
        new = (
            target_id if code_id == source_id else code_id,
            target_id if origin_id == source_id else origin_id,
        )
        if new[0] != new[1] and session.get(CodeOriginRow, new) is None:
            session.add(CodeOriginRow(code_id=new[0], origin_id=new[1]))
            session.flush()
            added.append(new)
    details["origins_added"] = added
    session.flush()
    versions.delete_if_current(session, row, seen, f"the code {format_path(source)!r}")
    return _record(
        session,
        who,
        "merge",
        f"Merged {format_path(source)!r} into {format_path(target)!r}"
        # while blind, every member reads the log: the number would count hidden codings
        + ("" if blind else f" ({len(coding_ids)} codings moved)"),
        details,
    )


def _move_notes(session: Session, source_id: int, target_id: int) -> dict[str, list[int]]:
    """A merged code's memos and journal links go to the code it is merged into."""
    memos = list(session.scalars(select(MemoRow.id).where(MemoRow.code_id == source_id)))
    session.execute(update(MemoRow).where(MemoRow.code_id == source_id).values(code_id=target_id))
    linked = list(
        session.scalars(select(JournalCodeRow.entry_id).where(JournalCodeRow.code_id == source_id))
    )
    already = set(
        session.scalars(select(JournalCodeRow.entry_id).where(JournalCodeRow.code_id == target_id))
    )
    session.execute(delete(JournalCodeRow).where(JournalCodeRow.code_id == source_id))
    session.add_all(
        JournalCodeRow(entry_id=e, code_id=target_id) for e in linked if e not in already
    )
    return {
        "memos": memos,
        "journal": linked,
        "journal_moved": [e for e in linked if e not in already],
    }


def _restore_notes(session: Session, d: dict[str, list[int]], target_id: int, new_id: int) -> None:
    if d.get("memos"):
        session.execute(
            update(MemoRow)
            .where(MemoRow.id.in_(d["memos"]), MemoRow.code_id == target_id)
            .values(code_id=new_id)
        )
    for entry in d.get("journal_moved", []):
        session.execute(
            delete(JournalCodeRow).where(
                JournalCodeRow.entry_id == entry, JournalCodeRow.code_id == target_id
            )
        )
    for entry in d.get("journal", []):
        if session.get(JournalEntryRow, entry) is not None:
            session.add(JournalCodeRow(entry_id=entry, code_id=new_id))
    session.flush()


def undo(session: Session, entry_id: int, actor: str) -> str:
    """Undo a merge exactly: the code comes back with its id, codings, sub-codes, themes, origins."""
    who = _actor(session, actor)
    entry = session.get(LineageRow, entry_id)
    if entry is None:
        raise NotFoundError(f"no lineage entry {entry_id}")
    if entry.operation != "merge":
        raise ThematicaError(f"entry {entry_id} is a {entry.operation}; only merges can be undone")
    if entry.undone_at is not None:
        raise ConflictError(
            f"entry {entry_id} was already undone on {entry.undone_at:%Y-%m-%d %H:%M}"
        )
    versions.set_if_current(
        session,
        entry,
        {"undone_at": None},
        {"undone_at": _now(), "undone_by": who},
        f"lineage entry {entry_id}",
    )
    d = json.loads(entry.details)
    src = d["source"]
    target_id = d["target_id"]
    if session.get(CodeRow, target_id) is None:
        later = session.scalar(
            select(LineageRow.id)
            .where(
                LineageRow.operation == "merge",
                LineageRow.undone_at.is_(None),
                LineageRow.id > entry_id,
            )
            .order_by(LineageRow.id.desc())
        )
        raise ConflictError(f"the code it was merged into is gone; undo entry {later} first")
    if src["parent_id"] is not None and session.get(CodeRow, src["parent_id"]) is None:
        raise ConflictError(
            "the code's former parent no longer exists; recreate or undo that first"
        )
    index = CodeIndex.load(session)
    check_sibling_name(index, src["parent_id"], src["level"], src["name"])
    # The code comes back with its own id, unless SQLite has since given that id to a new code.
    free = session.get(CodeRow, src["id"]) is None
    restored = CodeRow(
        id=src["id"] if free else None,
        parent_id=src["parent_id"],
        name=src["name"],
        description=src["description"],
        colour=src["colour"],
        level=src["level"],
        owner_id=src["owner_id"],
        created_at=dt.datetime.fromisoformat(src["created_at"]),
    )
    session.add(restored)
    session.flush()
    new_id = restored.id

    def moved(code_id: int) -> int:
        return new_id if code_id == src["id"] else code_id

    if d["codings"]:
        session.execute(
            update(CodingRow)
            .where(CodingRow.id.in_(d["codings"]), CodingRow.code_id == target_id)
            .values(code_id=new_id)
        )
    if d["children"]:
        session.execute(
            update(CodeRow)
            .where(CodeRow.id.in_(d["children"]), CodeRow.parent_id == target_id)
            .values(parent_id=new_id)
        )
    for node_id in d["nodes_moved"]:
        session.execute(
            delete(NodeCodeRow).where(
                NodeCodeRow.node_id == node_id, NodeCodeRow.code_id == target_id
            )
        )
    for node_id, stance in d["nodes"]:
        if session.get(NodeCodeRow, (node_id, new_id)) is None:
            session.add(NodeCodeRow(node_id=node_id, code_id=new_id, stance=stance))
    for code_id, origin_id in d.get("origins_added", []):
        session.execute(
            delete(CodeOriginRow).where(
                CodeOriginRow.code_id == code_id, CodeOriginRow.origin_id == origin_id
            )
        )
    session.flush()
    for code_id, origin_id in sorted({(moved(o[0]), moved(o[1])) for o in d["origins"]}):
        if session.get(CodeOriginRow, (code_id, origin_id)) is None:
            session.add(CodeOriginRow(code_id=code_id, origin_id=origin_id))
    _restore_notes(session, d, target_id, new_id)
    session.flush()
    audit.record(
        session,
        actor=who,
        action="code.undo-merge",
        target=f"code {new_id}",
        details={"lineage": entry_id, "code_id": new_id, "from_code_id": target_id},
    )
    return f"Undid entry {entry_id}: {entry.summary}"


def split(
    session: Session,
    path: CodePath,
    level: Level,
    new_name: str,
    coding_ids: list[int],
    actor: str,
    expected: str | None = None,
) -> int:
    """Split ``path``: a new sibling code ``new_name`` takes the given codings (all of ``path``'s
    and visible to ``actor``: blind coding hides other coders' level-one codings). The codings
    move only if every one is still coded with ``path`` when written (one statement)."""
    who = _actor(session, actor)
    index = CodeIndex.load(session)
    code_id = _code_id(index, path, level, expected)
    _seen(index, code_id, expected)
    row = index.rows[code_id]
    name = _clean_name(new_name)
    check_sibling_name(index, row.parent_id, row.level, name)
    if not coding_ids:
        raise ThematicaError("name the codings that go to the new code (--codings 12,15,...)")
    # Blind coding: codings hidden from the actor count as not coded with this code, so the
    # answer neither moves them nor says which code they have.
    owned_query = select(CodingRow.id).where(CodingRow.code_id == code_id)
    hidden = hidden_codings(session, member_id(session, who))
    if hidden is not None:
        owned_query = owned_query.where(~hidden)
    owned = set(session.scalars(owned_query))
    stray = sorted(set(coding_ids) - owned)
    if stray:
        raise ThematicaError(
            f"codings {', '.join(map(str, stray))} are not coded with {format_path(path)!r}"
        )
    new = CodeRow(
        parent_id=row.parent_id,
        name=name,
        description="",
        colour=None,
        level=row.level,
        created_at=_now(),
    )
    session.add(new)
    session.flush()
    moved = versions.matched(
        session,
        update(CodingRow)
        .where(CodingRow.id.in_(coding_ids), CodingRow.code_id == code_id)
        .values(code_id=new.id),
    )
    if moved != len(set(coding_ids)):
        raise versions.stale(f"the codings of {format_path(path)!r}")
    return _record(
        session,
        who,
        "split",
        f"Split {len(coding_ids)} codings off {format_path(path)!r} into {name!r}",
        {"code_id": code_id, "new_code_id": new.id, "codings": sorted(coding_ids)},
    )


def lineage(session: Session) -> tuple[LineageEntry, ...]:
    return tuple(
        LineageEntry(
            r.id,
            r.at,
            r.actor,
            r.operation,
            r.summary,
            r.undone_at,
            r.operation == "merge" and r.undone_at is None,
        )
        for r in session.scalars(select(LineageRow).order_by(LineageRow.id))
    )
