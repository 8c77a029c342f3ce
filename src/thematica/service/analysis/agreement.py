"""Two coders' agreement over the study: per code, characters (NVivo's method, per transcript,
with its unweighted, size-weighted and pooled summaries), participants and speaker turns, and
every disagreement (docs/methods.md#inter-coder-agreement). Built on the agreement kernel."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.analysis import character_arrays, coefficients
from thematica.analysis.coefficients import CharacterAgreement, check_convention
from thematica.analysis.reports import (
    AgreementReport,
    CodeAgreement,
    SourceAgreement,
)
from thematica.collector import collector_paused
from thematica.domain import CodePath, Level
from thematica.errors import ThematicaError
from thematica.service.analysis import compare_arrays, kernel, kernel_arrays
from thematica.service.analysis.common import coder_ids
from thematica.storage.models import TranscriptRow

SCOPES = kernel.SCOPES
CONVENTIONS = coefficients.CONVENTIONS


def method_text(
    names: tuple[str, ...], level: Level, transcripts: int, scope: str, convention: str
) -> tuple[str, ...]:
    """What the figures were computed over, naming the scope and the convention."""
    characters = (
        "Characters, NVivo convention (as NVivo's Coding Comparison query): per code per transcript, over "
        "every character of the transcript, counted in the units of the REFI-QDA source it was imported from "
        "(NVivo: UTF-16 units, a line break as two; other transcripts: code points), for every transcript in "
        "scope, including those "
        "where neither coder applied the code (kappa 1, agreement 100 %, as NVivo reports; likewise where "
        "both coded every character)."
        if convention == "nvivo"
        else "Characters, applied convention (Thematica's default): per code per transcript, over every "
        "character of the transcript (code points), for transcripts where at least one coder applied the "
        "code (--convention nvivo includes every transcript in scope, as NVivo does)."
    )
    return (
        f"Level-{int(level)} codings by {names[0]} (A) and {names[1]} (B), over the {transcripts} transcripts "
        + (
            "that either coder has coded (a transcript one coder left uncoded counts as finding nothing there)"
            if scope == "either"
            else "that both coders have coded"
        )
        + "; codes neither coder used there are not listed.",
        characters
        + " Per code: the unweighted mean over those transcripts, the mean weighted by transcript length, "
        "and the pooled value of the summed 2x2 table.",
        "Participants: is the code present anywhere in the participant's transcripts? Turns: is it present in the "
        "speaker turn? Percent agreement, Cohen's kappa, Scott's pi, Brennan-Prediger, Gwet's AC1 and "
        "Krippendorff's alpha (nominal) over those units; pooled rows treat every (unit, code) pair as a unit.",
        "Undefined values (no variation, nothing coded) are reported as undefined, never as a number.",
    )


def agreement(
    session: Session,
    coder_a: str,
    coder_b: str,
    level: Level,
    code: CodePath | None,
    scope: str = "either",
    convention: str = "applied",
    disagreements: bool = True,
) -> AgreementReport:
    """Agreement over the transcripts that either coder has coded (``scope="either"``: a
    transcript one coder left uncoded counts as that coder finding nothing there), or only those
    both have coded (``"both"``: for a study still being coded). ``convention``: which
    transcripts the character figures cover (:data:`thematica.analysis.coefficients.CONVENTIONS`).
    ``disagreements=False`` leaves the list of disagreements (and their text) out: every figure is
    the same, and no transcript text is read."""
    if scope not in SCOPES:
        raise ThematicaError(f"scope must be one of {', '.join(SCOPES)}")
    if convention not in CONVENTIONS:
        raise ThematicaError(f"convention must be one of {', '.join(CONVENTIONS)}")
    chosen = check_convention(convention)
    a_id, b_id = coder_ids(session, [coder_a, coder_b])
    if a_id == b_id:
        raise ThematicaError("name two different coders")
    with collector_paused():
        return _report(session, a_id, b_id, level, code, scope, chosen, disagreements)


def _report(
    session: Session,
    a_id: int,
    b_id: int,
    level: Level,
    code: CodePath | None,
    scope: str,
    chosen: coefficients.Convention,
    listed: bool,
) -> AgreementReport:
    data = kernel_arrays.load(
        session, [a_id, b_id], level, code, scope, source_units=chosen == "nvivo"
    )
    participant_units, turn_units = data.participants(), int(data.turn_starts.size)
    found = compare_arrays.compare(data, a_id, b_id, chosen)
    texts: dict[int, str] = {}
    quoted = compare_arrays.transcripts_with(data, found) if listed else []
    if quoted:
        texts.update(
            session.execute(
                select(TranscriptRow.id, TranscriptRow.text).where(TranscriptRow.id.in_(quoted))
            ).all()
        )
    labels = data.labels
    every = [r for characters in found.characters for _t, r in characters]
    bounds = [0, *itertools.accumulate(len(characters) for characters in found.characters)]
    summaries = character_arrays.aggregates(every, [*bounds], chosen)
    results = [
        CodeAgreement(
            data.index.paths[code_id],
            _sources(found.characters[i], labels),
            summaries[i],
            found.participants[i],
            found.turns[i],
        )
        for i, code_id in enumerate(found.codes)
    ]
    differences = compare_arrays.disagreements(data, found, texts) if listed else []
    return AgreementReport(
        data.names[0],
        data.names[1],
        level,
        data.transcripts,
        participant_units,
        turn_units,
        tuple(results),
        character_arrays.aggregates(every, [0, len(every)], chosen)[0],
        kernel.pooled_presence([c.participants for c in results]),
        kernel.pooled_presence([c.turns for c in results]),
        tuple(differences),
        method_text(data.names, level, len(data.transcripts), scope, chosen),
    )


def _sources(
    characters: list[tuple[int, CharacterAgreement]], labels: Mapping[int, str]
) -> tuple[SourceAgreement, ...]:
    """One code's per-transcript results (100,000 of them in a large study's report)."""
    return tuple(SourceAgreement(t, labels.get(t), r) for t, r in characters)
