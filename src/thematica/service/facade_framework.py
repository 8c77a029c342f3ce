"""The study service's theme-framework methods (part of :class:`StudyService`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from thematica.domain import Code, Stance
from thematica.errors import ConflictError, NotFoundError
from thematica.lazy import lazy_module
from thematica.service import codebook as cb
from thematica.service.readable import readable
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import framework as fw
else:  # loaded at first use
    fw = lazy_module("thematica.service.framework")


class FrameworkMethods(Sessions):
    # -- theme framework editing (service/framework.py) ------------------------------------
    # ``expected`` is the node's ``version`` as the caller last saw it: a stale edit is refused
    # with ConflictError instead of silently overwriting someone else's change.

    def framework(self) -> tuple[tuple[fw.FrameworkNode, ...], tuple[fw.FrameworkLink, ...]]:
        """The theme framework in tree order, each node with its codes and version."""
        with self._session() as session:
            return fw.framework(session)

    def theme_quotes(self, node_id: int, *, visible_to: str | None = None) -> tuple[fw.Quote, ...]:
        """Every coded segment under a theme node (its sub-themes included); with
        ``visible_to``, the segments of transcripts that member may not read come without their
        text and memo."""
        with self._session() as session:
            found = fw.quotes(session, node_id, visible_to)
            allowed = readable(session, visible_to) if visible_to is not None else None
        if allowed is None:
            return found
        return tuple(
            q
            if q.coding.transcript_id in allowed
            else replace(q, coding=replace(q.coding, text="", memo=None))
            for q in found
        )

    def code_by_id(
        self, code_id: int, *, expected: str | None = None, visible_to: str | None = None
    ) -> Code:
        """One code; with ``expected`` (its ``code_version`` as last seen) a stale view is refused;
        ``visible_to`` counts only the codings that member may see (blind coding)."""
        with self._session() as session:
            found = next(
                (c for c in cb.codes(session, visible_to=visible_to) if c.id == code_id), None
            )
        if found is None:
            raise NotFoundError(f"no code {code_id}")
        if expected is not None and expected != fw.code_version(found):
            raise ConflictError(
                f"the code {' > '.join(found.path)!r} has changed since you loaded it; reload"
            )
        return found

    def add_theme(
        self, name: str, *, by: str, parent: int | None = None, description: str = ""
    ) -> int:
        with self._transaction() as session:
            return fw.add_node(session, name, parent, description, by)

    def rename_theme(self, node_id: int, name: str, *, by: str, expected: str | None = None) -> int:
        with self._transaction() as session:
            return fw.rename_node(session, node_id, name, by, expected)

    def describe_theme(
        self, node_id: int, description: str, *, by: str, expected: str | None = None
    ) -> int:
        with self._transaction() as session:
            return fw.describe_node(session, node_id, description, by, expected)

    def move_theme(
        self,
        node_id: int,
        parent: int | None,
        *,
        by: str,
        position: int | None = None,
        expected: str | None = None,
    ) -> int:
        with self._transaction() as session:
            return fw.move_node(session, node_id, parent, position, by, expected)

    def shift_theme(
        self, node_id: int, direction: str, *, by: str, expected: str | None = None
    ) -> int:
        """Move a node one step: ``up``, ``down``, ``indent`` or ``outdent``."""
        with self._transaction() as session:
            return fw.shift_node(session, node_id, direction, by, expected)

    def remove_theme(self, node_id: int, *, by: str, expected: str | None = None) -> int:
        with self._transaction() as session:
            return fw.remove_node(session, node_id, by, expected)

    def assign_code(
        self, node_id: int, code_id: int, *, by: str, stance: Stance = Stance.SUPPORTS
    ) -> int:
        with self._transaction() as session:
            return fw.assign_code(session, node_id, code_id, stance, by)

    def unassign_code(self, node_id: int, code_id: int, *, by: str) -> int:
        with self._transaction() as session:
            return fw.unassign_code(session, node_id, code_id, by)

    def link_themes(self, from_node: int, to_node: int, label: str, *, by: str) -> int:
        with self._transaction() as session:
            return fw.add_link(session, from_node, to_node, label, by)

    def unlink_themes(self, link_id: int, *, by: str) -> int:
        with self._transaction() as session:
            return fw.remove_link(session, link_id, by)
