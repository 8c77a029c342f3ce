"""Every kind of changeable thing, as the stale-edit tests need it: a study with one of each, a
way to get a fresh target and the version an editor would have loaded, and the edit itself.

The service tests (``test_versions.py``) and the race tests (``tests/faults``) share these, so
both check the same edits. The kinds touch separate things (codings of "Energy", the code "Mood",
memos on "Pain", the one disagreement), so one seeded study per backend serves them all."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _fresh_postgres
from tests.service.test_analysis import A, B, build, code_spans, codes
from thematica.domain import Level
from thematica.service import CodingChange, StudyService
from thematica.service.framework import code_version
from thematica.service.notes import EntryChange

TEXT = "I get pain in my back and then my mood drops for days."
#       0123456789012345678901234567890123456789012345678901234
PAIN, MOOD, ENERGY = ("Pain",), ("Mood",), ("Energy",)
DISAGREEMENT = ("P1", PAIN, 6, 21)  # A coded 6-21, B coded 6-10


def seed(study: StudyService) -> None:
    """One transcript coded by two coders (A, the lead, and B), so it has a disagreement; a
    code "Energy" for codings; a code "Mood" to rename; a theme to rename."""
    build(study, [TEXT])
    codes(study, "Pain", "Mood", "Energy", "Tired")
    code_spans(study, [("P1", A, "Pain", 6, 21), ("P1", B, "Pain", 6, 10)])
    study.add_theme("Living with pain", by=A)


@pytest.fixture(scope="module", params=["sqlite", "postgres"], name="seeded")
def seeded_study(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StudyService]:
    """A seeded study on each backend, shared by the tests of one module."""
    if request.param == "sqlite":
        location = str(Path(tmp_path_factory.mktemp("versions")) / "study.thematica")
    else:
        location = _fresh_postgres()
    study = StudyService.create(location, title="Versions")
    seed(study)
    yield study
    study.close()


Target = Any  # what an edit is aimed at: an id, a path, a memo reference
Version = Any  # the version an editor loaded with it


@dataclass(frozen=True)
class Kind:
    """``prepare`` makes (or finds) a target and returns it with its current version; ``edit``
    is the ``i``-th editor's change carrying that version; ``removes``: the edit removes the
    target, so a late editor may also be told it is gone."""

    name: str
    prepare: Callable[[StudyService], tuple[Target, Version]]
    edit: Callable[[StudyService, Target, Version, int], object]
    removes: bool = False


def _new_coding(study: StudyService) -> tuple[int, dt.datetime]:
    coding = study.add_coding("P1", ENERGY, A, 43, 48)
    return coding, study.coding(coding).modified_at


def _coding(study: StudyService) -> tuple[int, dt.datetime]:
    mine = [c for c in study.codings(coder=A) if c.code == ENERGY and c.start == 34]
    if not mine:
        coding = study.add_coding("P1", ENERGY, A, 34, 38)
        return coding, study.coding(coding).modified_at
    return mine[0].id, mine[0].modified_at


def _theme(study: StudyService) -> tuple[int, str]:
    node = study.framework()[0][0]
    return node.id, node.version


def _code(study: StudyService) -> tuple[int, str]:
    code = next(c for c in study.codes(Level.ONE) if c.path[0].startswith("Mood"))
    return code.id, code_version(code)


def _rename_code(study: StudyService, code_id: int, version: str, i: int) -> int:
    """As the codebook page does it: the code by its id, changed by its path."""
    path = study.code_by_id(code_id).path
    return study.rename_code(path, f"Mood {version[:6]} {i}", by=A, expected=version)


_fresh = itertools.count(1)


def _new_theme(study: StudyService) -> tuple[int, str]:
    node_id = study.add_theme(f"Passing thought {next(_fresh)}", by=A)
    node = next(n for n in study.framework()[0] if n.id == node_id)
    return node.id, node.version


def _new_code(study: StudyService) -> tuple[int, str]:
    name = f"Merge me {next(_fresh)}"
    codes(study, name)
    code = next(c for c in study.codes(Level.ONE) if c.path == (name,))
    return code.id, code_version(code)


def _merge_code(study: StudyService, code_id: int, version: str, _i: int) -> int:
    path = study.code_by_id(code_id).path
    return study.merge_codes(path, ENERGY, by=A, expected=version)


def _merged(study: StudyService) -> tuple[int, None]:
    """A merge to undo: "Tired" into "Energy", made again whenever "Tired" is back."""
    if any(c.path == ("Tired",) for c in study.codes(Level.ONE)):
        return study.merge_codes(("Tired",), ENERGY, by=A), None
    return next(e.id for e in reversed(study.lineage()) if e.undoable), None


def _memo(study: StudyService) -> tuple[str, dt.datetime]:
    code = next(c for c in study.codes(Level.ONE) if c.path == PAIN)
    found = study.memos(f"code:{code.id}")
    memo = found[0] if found else study.add_memo(f"code:{code.id}", "Pain comes first", by=A)
    return memo.ref, memo.modified_at


def _new_memo(study: StudyService) -> tuple[str, dt.datetime]:
    code = next(c for c in study.codes(Level.ONE) if c.path == PAIN)
    memo = study.add_memo(f"code:{code.id}", "To be removed", by=A)
    return memo.ref, memo.modified_at


def _entry(study: StudyService) -> tuple[int, dt.datetime]:
    found = [e for e in study.journal(A) if e.kind == "field-note"]
    entry = found[0] if found else study.add_journal_entry("Day one", by=A, kind="field-note")
    return entry.id, entry.modified_at


def _new_entry(study: StudyService) -> tuple[int, dt.datetime]:
    entry = study.add_journal_entry("To be removed", by=A)
    return entry.id, entry.modified_at


def _undecided(study: StudyService) -> tuple[None, None]:
    item = next(i for i in study.reconciliation("P1").items if i.code == PAIN)
    if item.decision is not None:
        study.undo_reconciliation(item.decision.id, by=A)
    return None, None


def _decided(study: StudyService) -> tuple[int, dt.datetime]:
    _undecided(study)
    made = study.reconcile(*DISAGREEMENT, "accept_a", by=A)
    return made.id, made.at


KINDS = (
    Kind(
        "coding-change",
        _coding,
        lambda s, t, v, i: s.change_coding(t, CodingChange(memo=f"edit {i}"), by=A, expected=v),
    ),
    Kind(
        "coding-remove",
        _new_coding,
        lambda s, t, v, i: s.remove_coding(t, by=A, expected=v),
        removes=True,
    ),
    Kind(
        "theme-rename",
        _theme,
        lambda s, t, v, i: s.rename_theme(t, f"Living with pain {v[:6]} {i}", by=A, expected=v),
    ),
    Kind(
        "theme-remove",
        _new_theme,
        lambda s, t, v, i: s.remove_theme(t, by=A, expected=v),
        removes=True,
    ),
    Kind("code-rename", _code, _rename_code),
    Kind("code-merge", _new_code, _merge_code, removes=True),
    Kind("merge-undo", _merged, lambda s, t, v, i: s.undo(t, by=A)),
    Kind("memo-edit", _memo, lambda s, t, v, i: s.edit_memo(t, f"edit {i}", by=A, expected=v)),
    Kind(
        "memo-remove",
        _new_memo,
        lambda s, t, v, i: s.remove_memo(t, by=A, expected=v),
        removes=True,
    ),
    Kind(
        "journal-edit",
        _entry,
        lambda s, t, v, i: s.edit_journal_entry(t, EntryChange(text=f"edit {i}"), by=A, expected=v),
    ),
    Kind(
        "journal-remove",
        _new_entry,
        lambda s, t, v, i: s.remove_journal_entry(t, by=A, expected=v),
        removes=True,
    ),
    Kind(
        "decision-make",
        _undecided,
        lambda s, t, v, i: s.reconcile(*DISAGREEMENT, ("accept_a", "both")[i % 2], by=A),
    ),
    Kind(
        "decision-undo",
        _decided,
        lambda s, t, v, i: s.undo_reconciliation(t, by=A, ref="P1", expected=v),
        removes=True,
    ),
)
