"""Retrieval methods of :class:`~thematica.service.StudyService` (part of the class): the turns
around quotes, the codings behind a matrix or counts cell and the turns behind a co-occurrence
cell (``service/retrieval.py`` does the work). Who may see what is
:class:`~thematica.service.acting.MemberStudy`'s rule (``service/acting_retrieval.py``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from thematica.domain import Coding, Level
from thematica.service import codebook as cb
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from thematica.service.retrieval import QuoteContext, SharedTurn


class RetrievalMethods(Sessions):
    if TYPE_CHECKING:

        @staticmethod
        def withheld(
            codings: tuple[Coding, ...], readable: set[int] | None
        ) -> tuple[Coding, ...]: ...

        def _readable(self, session: Session, member: str) -> set[int] | None: ...

    def quote_contexts(
        self,
        spans: Sequence[tuple[int, int, int]],
        *,
        around: int = 1,
        visible_to: str | None = None,
    ) -> list[QuoteContext | None]:
        """Each (transcript id, start, end)'s turns and the ``around`` turns on either side;
        with ``visible_to``, None for a span in a transcript that member may not read."""
        from thematica.service import retrieval

        with self._session() as session:
            allowed = self._readable(session, visible_to) if visible_to is not None else None
            open_spans = [s for s in spans if allowed is None or s[0] in allowed]
            found = iter(retrieval.contexts(session, open_spans, around))
        return [next(found) if allowed is None or s[0] in allowed else None for s in spans]

    def codings_by_id(
        self, ids: Collection[int], *, visible_to: str | None = None
    ) -> tuple[Coding, ...]:
        """The codings with these ids, in transcript order; with ``visible_to``, only those that
        member may see, without text and memo in a transcript they may not read."""
        with self._session() as session:
            found = cb.list_codings(session, ids=ids, visible_to=visible_to)
            if visible_to is None:
                return found
            return self.withheld(found, self._readable(session, visible_to))

    def cell_codings(
        self,
        level: Level,
        kind: str,
        row_id: int,
        attribute: str | None = None,
        value: str | None = None,
    ) -> list[int]:
        """The ids of the codings behind a matrix or counts cell (see
        :func:`thematica.service.retrieval.cell_codings`)."""
        from thematica.service import retrieval

        with self._session() as session:
            return retrieval.cell_codings(session, level, kind, row_id, attribute, value)

    def shared_turns(self, level: Level, code_a: int, code_b: int) -> list[SharedTurn]:
        """The turns behind a co-occurrence cell."""
        from thematica.service import retrieval

        with self._session() as session:
            return retrieval.shared_turns(session, level, code_a, code_b)
