"""Analysis methods of :class:`~thematica.service.StudyService` (part of the class):
agreement, counts, saturation, matrix and co-occurrence (the ``service/analysis/`` package and
``analysis/`` do the work). One read per method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule
from thematica.domain import CodePath, Level
from thematica.lazy import lazy_module
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.analysis.reports import (
        AgreementReport,
        CooccurrenceReport,
        CountsReport,
        MatrixReport,
        MultiAgreementReport,
        SaturationReport,
        TranscriptAgreement,
    )
    from thematica.service import analysis as an
    from thematica.service import transcript_agreement as agreement_of
else:  # loaded at first use
    an = lazy_module("thematica.service.analysis")
    agreement_of = lazy_module("thematica.service.transcript_agreement")


class AnalysisMethods(Sessions):
    # -- analysis --------------------------------------------------------------------------

    def agreement(
        self,
        coder_a: str,
        coder_b: str,
        *,
        level: Level = Level.ONE,
        code: CodePath | None = None,
        scope: str = "either",
        convention: str = "applied",
        disagreements: bool = True,
    ) -> AgreementReport:
        """Two coders' agreement. ``convention``: ``applied`` (the default) computes the
        character figures over the transcripts where either coder applied each code; ``nvivo``
        over every transcript in scope, as NVivo's Coding Comparison query does.
        ``disagreements=False``: the same figures without the list of disagreements (no text
        is read), for a caller that shows only figures."""
        with self._session() as session:
            return an.agreement(
                session, coder_a, coder_b, level, code, scope, convention, disagreements
            )

    def agreement_many(
        self,
        coders: Sequence[str],
        *,
        level: Level = Level.ONE,
        code: CodePath | None = None,
        scope: str = "either",
    ) -> MultiAgreementReport:
        """Krippendorff's alpha among any number of coders (missing data allowed)."""
        from thematica.service import agreement_many as many  # numpy: only when asked

        with self._session() as session:
            return many.agreement_many(session, coders, level, code, scope)

    def counts(
        self,
        *,
        level: Level = Level.TWO,
        coders: Sequence[str] = (),
        by: str | None = None,
        rules: Sequence[QuantifierRule] = DEFAULT_RULES,
    ) -> CountsReport:
        with self._session() as session:
            return an.counts(session, level, coders, by, rules)

    def saturation(
        self,
        *,
        level: Level = Level.ONE,
        coders: Sequence[str] = (),
        order: Sequence[str] = (),
        base: int = 4,
        run: int = 2,
        threshold: float = 0.05,
        initial: int = 10,
        stop: int = 3,
    ) -> SaturationReport:
        with self._session() as session:
            return an.saturation_report(
                session, level, coders, order, base, run, threshold, initial, stop
            )

    def matrix(
        self, by: str, *, level: Level = Level.TWO, coders: Sequence[str] = (), rows: str = "auto"
    ) -> MatrixReport:
        with self._session() as session:
            return an.matrix(session, by, level, coders, rows)

    def cooccurrence(
        self, *, level: Level = Level.TWO, coders: Sequence[str] = ()
    ) -> CooccurrenceReport:
        with self._session() as session:
            return an.cooccurrence(session, level, coders)

    # -- analysis pages: one transcript's agreement, who to compare -------------------------

    def transcript_agreement(
        self, ref: str, coder_a: str, coder_b: str, *, level: Level = Level.ONE
    ) -> TranscriptAgreement:
        """Two coders' agreement over one transcript: every code either applied there."""
        with self._session() as session:
            return agreement_of.transcript_agreement(session, ref, coder_a, coder_b, level)

    def coders_with_codings(self, *, level: Level = Level.ONE) -> tuple[str, ...]:
        """Leads and coders who have codings at ``level``, in team order."""
        with self._session() as session:
            return agreement_of.coders_with_codings(session, level)
