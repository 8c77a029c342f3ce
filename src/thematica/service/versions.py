"""Stale-edit protection, compared and set in one statement.

Each changeable thing carries a version: a coding, memo or journal entry its ``modified_at``; a
theme node or a code a fingerprint of the columns an editor sees (:func:`fingerprint`). A change
is written as one statement::

    UPDATE t SET <change> WHERE id = :id AND <version columns> = <as the editor last saw them>

and the number of rows it matched decides: 0 means someone else changed or removed the row
first, and the change is refused with :class:`~thematica.errors.ConflictError` (409 in the
workbench). A removal is ``DELETE ... WHERE`` the same way. Reading the version, comparing it in
Python and then writing would let two simultaneous edits both pass the comparison.

Why one statement is enough on both backends: on PostgreSQL the first statement locks the row,
and the second waits for it, then re-checks its ``WHERE`` against the committed row and matches
nothing. On SQLite writers are serialised by the database lock; the service writes the version
first in each transaction, so the statement runs on the latest committed row. A caller that
passes no version compares against the row as it read it, so a change that lands between its
read and its write is refused too, rather than silently overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update, delete, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from thematica.errors import ConflictError
from thematica.storage.models import Base


def fingerprint(*parts: object) -> str:
    """A short, stable fingerprint of the values an editor saw (theme nodes, codes)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def stale(what: str) -> ConflictError:
    return ConflictError(
        f"{what} was changed since you loaded it (by someone else, or in another tab); "
        "reload to see the current version"
    )


def _where(row: Base, seen: Mapping[str, object]) -> list[Any]:
    model: Any = type(row)
    return [
        model.id == cast(Any, row).id,
        *(getattr(model, column).is_not_distinct_from(value) for column, value in seen.items()),
    ]


def matched(session: Session, statement: Update | Delete) -> int:
    """How many rows one ``UPDATE`` or ``DELETE`` matched (the session's objects are left as
    they are: callers keep them in step)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def set_if_current(
    session: Session,
    row: Base,
    seen: Mapping[str, object],
    change: Mapping[str, object],
    what: str,
) -> None:
    """``UPDATE <row's table> SET <change> WHERE id = <row's id> AND <seen columns> = <seen>``;
    refused with ConflictError when it matches no row. ``row`` then holds the change."""
    statement = update(type(row)).where(*_where(row, seen)).values(dict(change))
    if matched(session, statement) != 1:
        raise stale(what)
    for column, value in change.items():
        set_committed_value(row, column, value)


def delete_if_current(session: Session, row: Base, seen: Mapping[str, object], what: str) -> None:
    """``DELETE FROM <row's table> WHERE id = <row's id> AND <seen columns> = <seen>``; refused
    with ConflictError when it matches no row (someone changed or removed it first)."""
    if matched(session, delete(type(row)).where(*_where(row, seen))) != 1:
        raise stale(what)
    session.expunge(row)


__all__ = ["delete_if_current", "fingerprint", "matched", "set_if_current", "stale"]
