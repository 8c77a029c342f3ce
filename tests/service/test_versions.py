"""Stale edits of every changeable kind are refused, on both backends: a version already out of
date, and (what a read-then-write check lets through) a change that lands between the service's
read and its write. The simultaneous case is in ``tests/faults/test_version_race.py``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import snapshot
from tests.service.versioned import KINDS, Kind, seed
from thematica.errors import ConflictError, NotFoundError
from thematica.service import StudyService


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_an_edit_carrying_an_old_version_is_refused(kind: Kind, study: StudyService) -> None:
    seed(study)
    target, version = kind.prepare(study)
    kind.edit(study, target, version, 0)
    before = snapshot(study.location)
    refused = (ConflictError, NotFoundError) if kind.removes else ConflictError
    with pytest.raises(refused):
        kind.edit(study, target, version, 1)
    assert snapshot(study.location) == before


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_change_landing_between_the_read_and_the_write_is_refused(
    kind: Kind, study: StudyService
) -> None:
    """Another editor's change commits just before this edit's first write (after it read the
    row and found the version current): the edit must see it and be refused, not overwrite it
    or report a second success."""
    seed(study)
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
