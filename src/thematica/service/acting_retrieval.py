"""A bound member's retrieval (part of :class:`~thematica.service.acting.MemberStudy`): the
context of quotes, only in transcripts the member may read; the codings behind an analysis cell,
only at a level open to them (blind coding) and only those they may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematica.domain import Coding, Level
from thematica.service.acting_rules import Rules

if TYPE_CHECKING:
    from thematica.service.retrieval import QuoteContext, SharedTurn


class RetrievalActing(Rules):
    def quote_contexts(
        self, spans: Sequence[tuple[int, int, int]], *, around: int = 1
    ) -> list[QuoteContext | None]:
        """Each (transcript id, start, end)'s turns and neighbours; None where this member may
        not read the transcript."""
        return self._service.quote_contexts(spans, around=around, visible_to=self.name)

    def cell_quotes(
        self,
        level: Level,
        kind: str,
        row_id: int,
        attribute: str | None = None,
        value: str | None = None,
    ) -> tuple[Coding, ...]:
        """The codings a matrix or counts cell counts (as :meth:`matrix` and :meth:`counts`
        count them), without text and memo in a transcript this member may not read."""
        self.require_level_open(level, "counts")
        ids = self._service.cell_codings(level, kind, row_id, attribute, value)
        return self._service.codings_by_id(ids, visible_to=self.name)

    def cooccurring_turns(
        self, level: Level, code_a: int, code_b: int
    ) -> tuple[list[SharedTurn], dict[int, Coding]]:
        """The turns a co-occurrence cell counts, and the codings of the two codes in them (by
        id; without text and memo in a transcript this member may not read)."""
        self.require_level_open(level, "co-occurrence")
        turns = self._service.shared_turns(level, code_a, code_b)
        ids = {i for t in turns for i in (*t.codings_a, *t.codings_b)}
        codings = self._service.codings_by_id(ids, visible_to=self.name)
        return turns, {c.id: c for c in codings}


__all__ = ["RetrievalActing"]
