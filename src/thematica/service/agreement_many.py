"""Agreement among any number of coders: Krippendorff's alpha on code presence, with missing data.

Per code, at two units: participants (is the code anywhere in the participant's transcripts?)
and speaker turns. A coder who has not coded any of a unit's transcripts is *missing* for that
unit, not absent: Krippendorff's alpha handles missing data, so coders may have coded
different subsets. Computed with the ``krippendorff`` package, from the agreement kernel's load
(:mod:`thematica.service.analysis.kernel`): only codings in scope count, so under
``scope="both"`` a code used only in a transcript outside the scope is neither listed nor pooled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from thematica.analysis import spans
from thematica.analysis.coefficients import krippendorff_alpha
from thematica.analysis.reports import MultiAgreementReport, MultiCodeAgreement, MultiPresence
from thematica.domain import CodePath, Level
from thematica.errors import ThematicaError
from thematica.service.analysis import kernel
from thematica.service.codebook import member_id


def _presence(matrix: np.ndarray) -> MultiPresence:
    """``matrix``: coders x units of 1.0 / 0.0 / nan (missing)."""
    present = ~np.isnan(matrix)
    pairable = int((present.sum(axis=0) >= 2).sum())
    coded_by = tuple(int(np.nansum(row)) for row in matrix)
    alpha = krippendorff_alpha(matrix.tolist(), "nominal") if pairable else None
    undefined = None
    if alpha is None:
        undefined = (
            "no unit was coded by two or more coders"
            if not pairable
            else "no variation: every pairable unit has the same value"
        )
    return MultiPresence(matrix.shape[1], pairable, coded_by, alpha, undefined)


def agreement_many(
    session: Session,
    coders: Sequence[str],
    level: Level,
    code: CodePath | None,
    scope: str = "either",
) -> MultiAgreementReport:
    """``scope="either"``: every transcript any of the coders coded, a coder who left it uncoded
    counting as finding nothing there (as in the two-coder report). ``"both"``: a coder is
    *missing* where they have not coded, and a unit counts only where two or more coders coded
    it; with two coders that is exactly the transcripts both have coded."""
    if scope not in kernel.SCOPES:
        raise ThematicaError("scope must be either or both")
    ids = [member_id(session, c) for c in coders]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        raise ThematicaError("name two or more different coders")
    data = kernel.load(session, ids, level, code, scope)
    transcripts = data.transcripts
    row_of = {coder: i for i, coder in enumerate(ids)}
    participants = sorted(set(data.unit_of.values()), key=str)
    column = {p: i for i, p in enumerate(participants)}
    turn_offset, total_turns = {}, 0
    for tid in transcripts:
        turn_offset[tid] = total_turns
        total_turns += len(data.turns[tid][0])
    # who is missing where: a coder is missing for a participant/turn whose transcripts they never coded
    base_p = np.full((len(ids), len(participants)), math.nan)
    base_t = np.full((len(ids), total_turns), math.nan)
    for tid in transcripts:
        for coder in data.coded[tid] if scope == "both" else ids:
            base_p[row_of[coder], column[data.unit_of[tid]]] = 0.0
            base_t[row_of[coder], turn_offset[tid] : turn_offset[tid] + len(data.turns[tid][0])] = (
                0.0
            )
    results = []
    pooled = []
    for code_id in data.codes():
        p_matrix, t_matrix = base_p.copy(), base_t.copy()
        for tid, by_coder in data.spans[code_id].items():
            starts, ends = data.turns[tid]
            for coder, found in by_coder.items():
                p_matrix[row_of[coder], column[data.unit_of[tid]]] = 1.0
                for turn in spans.touched(found, starts, ends):
                    t_matrix[row_of[coder], turn_offset[tid] + turn] = 1.0
        pooled.append(p_matrix)
        results.append(
            MultiCodeAgreement(data.index.paths[code_id], _presence(p_matrix), _presence(t_matrix))
        )
    pooled_matrix = np.concatenate(pooled, axis=1) if pooled else np.empty((len(ids), 0))
    method = (
        f"Krippendorff's alpha (nominal, the krippendorff package) on the presence of each level-{int(level)} code, "
        f"among {len(ids)} coders, over {len(transcripts)} transcripts that at least one of them has coded.",
        (
            "A coder who has not coded any of a unit's transcripts is missing for that unit (not absent); units "
            "with fewer than two coders are not pairable. Only transcripts two or more of them have coded count, "
            "and codes used only elsewhere are not listed."
            if scope == "both"
            else "A coder who left a transcript uncoded counts as finding nothing there (--scope both treats "
            "them as missing instead)."
        )
        + " The pooled value treats every (participant, code) pair as a unit.",
    )
    return MultiAgreementReport(
        data.names,
        level,
        transcripts,
        tuple(t for t in transcripts if len(data.coded[t]) >= 2),
        tuple(results),
        _presence(pooled_matrix),
        method,
    )
