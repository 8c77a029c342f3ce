"""The two-coder study report as computed before the array rewrite (issue 15), kept as the
reference: per code, :func:`kernel.compare` on nested lists of merged spans, each character table
by :func:`coefficients.character_agreement` and each summary by :func:`coefficients.aggregate`,
in exact integer and ``Fraction`` arithmetic. ``test_agreement_arrays.py`` checks that
:func:`thematica.service.analysis.agreement.agreement` gives exactly this."""

from __future__ import annotations

import importlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.analysis import coefficients
from thematica.analysis.coefficients import check_convention
from thematica.analysis.reports import (
    AgreementReport,
    CodeAgreement,
    Disagreement,
    SourceAgreement,
)
from thematica.domain import CodePath, Level
from thematica.service import analysis as service_analysis
from thematica.service.analysis import kernel
from thematica.service.analysis.common import coder_ids
from thematica.storage.models import TranscriptRow

# The package is a lazy module (thematica.lazy): load it through an attribute before naming its
# submodule, or the import would rebind the package's `agreement` function to the module.
agreement = service_analysis.agreement
method_text = importlib.import_module("thematica.service.analysis.agreement").method_text


def reference_agreement(
    session: Session,
    coder_a: str,
    coder_b: str,
    level: Level,
    code: CodePath | None,
    scope: str = "either",
    convention: str = "applied",
) -> AgreementReport:
    chosen = check_convention(convention)
    a_id, b_id = coder_ids(session, [coder_a, coder_b])
    data = kernel.load(session, [a_id, b_id], level, code, scope, source_units=chosen == "nvivo")
    participant_units, turn_units = data.participants(), data.turn_count()
    texts: dict[int, str] = {}
    results: list[CodeAgreement] = []
    differences: list[Disagreement] = []
    for code_id in data.codes():
        found = kernel.compare(data, code_id, a_id, b_id, chosen)
        if found.differences and not texts:
            texts.update(
                session.execute(
                    select(TranscriptRow.id, TranscriptRow.text).where(
                        TranscriptRow.id.in_(data.transcripts)
                    )
                ).all()
            )
        path = data.index.paths[code_id]
        differences.extend(
            Disagreement(
                tid,
                data.labels.get(tid),
                path,
                d.kind,
                d.start,
                d.end,
                texts[tid][d.start : d.end],
                d.a,
                d.b,
            )
            for tid, d in found.differences
        )
        results.append(
            CodeAgreement(
                path,
                tuple(SourceAgreement(t, data.labels.get(t), r) for t, r in found.characters),
                coefficients.aggregate([r for _t, r in found.characters], chosen),
                kernel.presence(found.participants_a, found.participants_b, participant_units),
                kernel.presence(found.turns_a, found.turns_b, turn_units),
            )
        )
    return AgreementReport(
        data.names[0],
        data.names[1],
        level,
        data.transcripts,
        participant_units,
        turn_units,
        tuple(results),
        coefficients.aggregate([s.result for c in results for s in c.characters], chosen),
        kernel.pooled_presence([c.participants for c in results]),
        kernel.pooled_presence([c.turns for c in results]),
        tuple(sorted(differences, key=lambda d: (d.transcript_id, d.start, d.code))),
        method_text(data.names, level, len(data.transcripts), scope, chosen),
    )
