"""The analysis engine over a study, one module per analysis: agreement between two coders
(``agreement``, on the agreement ``kernel``), single counting (``counts``), the attribute matrix
(``matrix``), saturation (``saturation``) and co-occurrence (``cooccurrence``); ``common`` has
what they share. One transcript's agreement and agreement among many coders are
:mod:`thematica.service.transcript_agreement` and :mod:`thematica.service.agreement_many`, on
the same kernel.

SQL does the set work (distinct participant-code pairs, counts); the pure modules in
``thematica.analysis`` do the arithmetic. Nothing here writes to the study.
"""

from __future__ import annotations

from thematica.service.analysis.agreement import CONVENTIONS, SCOPES, agreement
from thematica.service.analysis.cooccurrence import cooccurrence
from thematica.service.analysis.counts import counts
from thematica.service.analysis.matrix import matrix
from thematica.service.analysis.saturation import saturation_report

__all__ = [
    "CONVENTIONS",
    "SCOPES",
    "agreement",
    "cooccurrence",
    "counts",
    "matrix",
    "saturation_report",
]
