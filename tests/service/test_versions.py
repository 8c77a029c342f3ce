"""Stale edits of every changeable kind are refused, on both backends: a change that lands
between the service's read and its write (what a read-then-write check lets through), and then
the same edit again with its now old version. The simultaneous case is in
``tests/faults/test_version_race.py``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import snapshot
from tests.service.versioned import KINDS, Kind, seeded_study  # noqa: F401 (fixture)
from thematica.errors import ConflictError, NotFoundError
from thematica.service import StudyService


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_stale_edit_is_refused_and_changes_nothing(kind: Kind, seeded: StudyService) -> None:
    """Another editor's change commits just before this edit's first write (after it read the
    row and found the version current): the edit must see it and be refused, not overwrite it
    or report a second success. Sent again, the edit is refused again."""
    study = seeded
    target, version = kind.prepare(study)
    other = StudyService.open(study.location)
    landed: list[dict[str, list[tuple[object, ...]]]] = []

    def meanwhile(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not landed and statement.lstrip().upper().startswith(("UPDATE", "DELETE", "INSERT")):
            kind.edit(other, target, version, 99)
            landed.append(snapshot(study.location))

    event.listen(study.engine, "before_cursor_execute", meanwhile)
    try:
        with pytest.raises(ConflictError, match="reload"):
            kind.edit(study, target, version, 1)
    finally:
        event.remove(study.engine, "before_cursor_execute", meanwhile)
        other.close()
    assert landed, "the edit wrote nothing"
    assert snapshot(study.location) == landed[0]  # the other editor's change stands, alone
    with pytest.raises((ConflictError, NotFoundError) if kind.removes else ConflictError):
        kind.edit(study, target, version, 2)
    assert snapshot(study.location) == landed[0]
