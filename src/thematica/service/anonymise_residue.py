"""The residual check: known originals, deny-list terms and identifier patterns still left in a
study after anonymisation, in transcripts and in everything derived from their text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.anonymise.detect import NameEntry, find_names, find_patterns
from thematica.anonymise.keyfile import DenyTermRow, IdentityRow, ReplacementRow
from thematica.service.anonymise_derived import spaced
from thematica.storage.models import TranscriptRow, TurnRow

# Speaker labels Thematica itself gives when anonymising: never treated as someone's name.
DESCRIPTOR = re.compile(r"Interviewer(?: [A-Z]+)?|Speaker \d+|Participant|\[.*\]")
PERSON_CATEGORIES = {
    "participant",
    "team member",
    "interviewer",
    "colleague",
    "patient",
    "person",
    "family",
    "relative",
}


@dataclass(frozen=True)
class Residue:
    where: str
    category: str
    text: str


def known_originals(key: Session) -> list[NameEntry]:
    entries = [
        NameEntry(
            r.real_name,
            r.category,
            "",
            tuple(n for n in r.nicknames.split(";") if n),
            True,
            "register",
        )
        for r in key.scalars(select(IdentityRow))
    ]
    entries += [
        NameEntry(r.term, r.category, "", (), r.person, "deny-list")
        for r in key.scalars(select(DenyTermRow))
    ]
    seen = {e.name.casefold() for e in entries}
    labels = {row.label.casefold() for row in key.scalars(select(IdentityRow))}
    for r in key.scalars(
        select(ReplacementRow).where(ReplacementRow.field.in_(["text", "speaker"]))
    ):
        if DESCRIPTOR.fullmatch(r.original) or r.original.casefold() in labels:
            continue
        if r.original.casefold() not in seen and r.category not in (
            "email",
            "phone",
            "nhs number",
            "number",
            "postcode",
            "url",
            "date of birth",
            "address",
        ):
            entries.append(
                NameEntry(
                    r.original,
                    r.category,
                    "",
                    (),
                    r.category in PERSON_CATEGORIES | {"speaker"},
                    "register",
                )
            )
            seen.add(r.original.casefold())
    return entries


def residual_in_text(text: str, where: str, entries: Sequence[NameEntry]) -> list[Residue]:
    out = []
    for f in find_names(text, entries) + find_patterns(text):
        if f.confidence == "check" and f.detector == "pattern":
            continue
        out.append(Residue(f"{where} [{f.start}:{f.end}]", f.category, f.text))
    return out


def transcript_residue(
    study: Session, entries: Sequence[NameEntry], tids: Iterable[int] | None = None
) -> list[Residue]:
    """Known originals and identifier patterns left in transcripts (all, or ``tids``): their
    text, file names, interviewer names and speaker names."""
    found: list[Residue] = []
    q = select(
        TranscriptRow.id, TranscriptRow.text, TranscriptRow.source_name, TranscriptRow.interviewer
    )
    speakers = select(TurnRow.transcript_id, TurnRow.speaker).distinct()
    if tids is not None:
        wanted = list(tids)
        q = q.where(TranscriptRow.id.in_(wanted))
        speakers = speakers.where(TurnRow.transcript_id.in_(wanted))
    for tid, text, source_name, interviewer in study.execute(q).all():
        found += residual_in_text(text, f"transcript {tid}", entries)
        found += residual_in_text(spaced(source_name), f"transcript {tid} file name", entries)
        found += residual_in_text(interviewer or "", f"transcript {tid} interviewer", entries)
    for tid, speaker in study.execute(speakers).all():
        found += residual_in_text(speaker, f"transcript {tid} speaker", entries)
    return found


def residual_in_values(
    values: Iterable[tuple[str, str]], entries: Sequence[NameEntry]
) -> list[Residue]:
    """Known originals and identifier patterns in ``values`` ((where, text) pairs of the team's
    own writing, such as a codebook about to be exported): the team's names belong there, as in
    :func:`residual_check`'s derived values."""
    not_team = [e for e in entries if e.category != "team member"]
    found: list[Residue] = []
    for where, value in values:
        found += residual_in_text(value, where, not_team)
    return found


def residual_check(study: Session, entries: Sequence[NameEntry]) -> list[Residue]:
    """Every known original name, deny-list term or identifier pattern still in the study's text,
    speaker names, file names, interviewer names, and everything derived from them
    (``anonymise_derived.derived_values``: codes, memos, the journal, themes, interlinks, the
    lineage log, the guide, participants' groups and free-text attributes, title, question)."""
    from thematica.service.anonymise_derived import derived_values

    found = transcript_residue(study, entries)
    # Memos and the rest are the team's own writing: the researchers' names belong there (their
    # names also stay in the team table); everyone else's do not.
    not_team = [e for e in entries if e.category != "team member"]
    for where, value in derived_values(study):
        found += residual_in_text(value, where, not_team)
    return found
