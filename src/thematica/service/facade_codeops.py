"""The study service's codebook operations, each logged in the lineage (part of
:class:`StudyService`): rename, describe, move, merge, split and undo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematica.domain import CodePath, Level, LineageEntry
from thematica.lazy import lazy_module
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import codeops
else:  # loaded at first use
    codeops = lazy_module("thematica.service.codeops")


class CodebookOpsMethods(Sessions):
    # -- codebook operations (logged in the lineage) ---------------------------------------

    # ``expected``: the code's version (``framework.code_version``) as the caller last saw it; a
    # change to a code that has changed since is refused with ConflictError.

    def rename_code(
        self,
        path: CodePath,
        new_name: str,
        *,
        by: str,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        with self._transaction() as session:
            return codeops.rename(session, path, level, new_name, by, expected)

    def describe_code(
        self,
        path: CodePath,
        *,
        by: str,
        description: str | None = None,
        colour: str | None = None,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        with self._transaction() as session:
            return codeops.describe(session, path, level, description, colour, by, expected)

    def move_code(
        self,
        path: CodePath,
        new_parent: CodePath | None,
        *,
        by: str,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        with self._transaction() as session:
            return codeops.move(session, path, level, new_parent, by, expected)

    def merge_codes(
        self,
        source: CodePath,
        target: CodePath,
        *,
        by: str,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        """Merge ``source`` into ``target``; ``expected`` is ``source``'s version."""
        with self._transaction() as session:
            return codeops.merge(session, source, target, level, by, expected)

    def split_code(
        self,
        path: CodePath,
        new_name: str,
        codings: Sequence[int],
        *,
        by: str,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        with self._transaction() as session:
            return codeops.split(session, path, level, new_name, list(codings), by, expected)

    def undo(self, entry: int, *, by: str) -> str:
        with self._transaction() as session:
            return codeops.undo(session, entry, by)

    def lineage(self) -> tuple[LineageEntry, ...]:
        with self._session() as session:
            return codeops.lineage(session)
