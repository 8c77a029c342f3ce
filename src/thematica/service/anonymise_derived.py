"""What the team derived from the transcripts, anonymised with them (issue 10, item 5).

Code names (an in-vivo code made before anonymisation says what the participant said), code
descriptions, coding memos, memos on codes, themes and transcripts, journal entries and field
notes, theme names and descriptions, interlink labels, the lineage log (its summaries and the
JSON it keeps to undo a merge, both naming codes), the interview guide, participant groups and
free-text attribute values, and the research question: ``anonymise apply`` rewrites every one of
them with the key's replacements (names from the register, the deny-list, every original already
replaced in a transcript and the accepted findings, and identifier patterns), in the same study
transaction as the transcripts. A transcript's file name becomes its participant's label with
the file's extension. ``anonymise check`` looks at the same list (``derived_values``).

The team's own names are kept: they are the authors (a memo saying "Rachel to recode this" is the
team talking). The study's title and the participants' labels are never rewritten: the key file
is bound to the title, and the labels are the pseudonyms; the check reports them, for a lead to
change by hand. See docs/anonymisation.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.anonymise.detect import (
    Finding,
    NameEntry,
    find_names,
    find_patterns,
    resolve_overlaps,
)
from thematica.anonymise.edits import Edit, apply_edits
from thematica.anonymise.keyfile import DenyTermRow, IdentityRow, ReplacementRow
from thematica.storage.models import (
    AnonymisationLogRow,
    AttributeDefRow,
    Base,
    CandidateRow,
    CodeRow,
    CodingRow,
    CriterionRow,
    GuidePromptRow,
    GuideQuestionRow,
    JournalEntryRow,
    LineageRow,
    MemoRow,
    NodeLinkRow,
    ParticipantRow,
    ParticipantValueRow,
    RecruitmentPlanRow,
    StudyRow,
    TeamMemberRow,
    ThemeNodeRow,
)

# Findings of these kinds are found by shape, so they match as written, never by a part.
PATTERN_CATEGORIES = frozenset(
    {"email", "phone", "nhs number", "number", "postcode", "url", "date of birth", "address"}
)
PERSON_CATEGORIES = frozenset(
    {
        "participant",
        "colleague",
        "patient",
        "person",
        "family",
        "relative",
        "speaker",
        "interviewer",
    }
)


@dataclass(frozen=True)
class DerivedColumn:
    """One stored free-text field: what it is called in a count, and where one row is named."""

    kind: str  # "code name": counted as "2 code names"
    model: type[Base]
    attr: str  # the column ("name"); every such table has an ``id``
    where: str  # "code {id} name"
    version: str | None = None  # a ``modified_at``, bumped so a stale edit is refused

    def rows(self, study: Session) -> list[tuple[int, str | None]]:
        table = self.model.__table__
        return [
            (ident, value)
            for ident, value in study.execute(select(table.c.id, table.c[self.attr])).all()
        ]

    def length(self) -> int | None:
        length: int | None = getattr(self.model.__table__.c[self.attr].type, "length", None)
        return length


COLUMNS: tuple[DerivedColumn, ...] = (
    DerivedColumn("code name", CodeRow, "name", "code {id} name"),
    DerivedColumn("code description", CodeRow, "description", "code {id} description"),
    DerivedColumn("coding memo", CodingRow, "memo", "coding {id} memo", "modified_at"),
    DerivedColumn("memo", MemoRow, "text", "memo {id}", "modified_at"),
    DerivedColumn("journal entry", JournalEntryRow, "text", "journal entry {id}", "modified_at"),
    DerivedColumn("theme name", ThemeNodeRow, "name", "theme {id} name"),
    DerivedColumn("theme description", ThemeNodeRow, "description", "theme {id} description"),
    DerivedColumn("interlink label", NodeLinkRow, "label", "interlink {id} label"),
    DerivedColumn("lineage entry", LineageRow, "summary", "lineage entry {id}"),
    DerivedColumn("guide question", GuideQuestionRow, "text", "guide question {id}"),
    DerivedColumn("guide prompt", GuidePromptRow, "text", "guide prompt {id}"),
    DerivedColumn("participant group", ParticipantRow, "group_name", "participant {id} group"),
    DerivedColumn("research question", StudyRow, "research_question", "research question"),
    # the recruitment log (issue 18): the team's words about candidates and the decision to stop
    DerivedColumn("screening criterion", CriterionRow, "text", "criterion {id}"),
    DerivedColumn("candidate group", CandidateRow, "group_name", "candidate {id} group"),
    DerivedColumn("candidate reason", CandidateRow, "reason", "candidate {id} reason"),
    DerivedColumn("decision to stop", RecruitmentPlanRow, "stop_memo", "the decision to stop"),
)
# Reported by the check, never rewritten (see the module's docstring).
CHECKED_ONLY: tuple[DerivedColumn, ...] = (
    DerivedColumn("study title", StudyRow, "title", "study title"),
    DerivedColumn("participant label", ParticipantRow, "label", "participant label {id}"),
)


def team_names(study: Session) -> set[str]:
    return {n.casefold() for n in study.scalars(select(TeamMemberRow.name))}


def replacement_entries(
    study: Session, key: Session, extra: Iterable[tuple[str, str, str]] = ()
) -> list[NameEntry]:
    """Every original the key knows, each with what it becomes: register names (also by first
    name, surname and nickname), deny-list terms, every original already replaced in a
    transcript or speaker name, and ``extra`` (original, category, replacement), e.g. the
    accepted findings about to be applied. The team's names are left out."""
    team = team_names(study)
    labels = {label.casefold() for label in key.scalars(select(IdentityRow.label))}
    entries: list[NameEntry] = []
    seen: set[str] = set()

    def add(entry: NameEntry) -> None:
        name = entry.name.casefold()
        if name in seen or name in team or name in labels or entry.category == "team member":
            return
        seen.add(name)
        entries.append(entry)

    for row in key.scalars(select(IdentityRow).order_by(IdentityRow.label)):
        nick = tuple(n for n in row.nicknames.split(";") if n)
        add(NameEntry(row.real_name, row.category, f"[{row.label}]", nick, True, "register"))
    for term in key.scalars(select(DenyTermRow).order_by(DenyTermRow.term)):
        add(NameEntry(term.term, term.category, term.replacement, (), term.person, "deny-list"))
    replaced = key.execute(
        select(ReplacementRow.original, ReplacementRow.category, ReplacementRow.replacement)
        .where(ReplacementRow.field.in_(["text", "speaker"]))
        .order_by(ReplacementRow.id)
    ).all()
    for original, category, replacement in [*replaced, *extra]:
        person = category in PERSON_CATEGORIES and category not in PATTERN_CATEGORIES
        add(NameEntry(original, category, replacement, (), person, "register"))
    return entries


def hits(value: str, entries: Sequence[NameEntry]) -> list[Finding]:
    """What the check counts in ``value``: known names and identifier patterns (patterns that
    only might be one, such as a postcode in lower case, are left out)."""
    found = find_names(value, entries) + [
        f for f in find_patterns(value) if f.confidence != "check"
    ]
    return resolve_overlaps(found)


def rewrite(value: str, entries: Sequence[NameEntry]) -> tuple[str, list[Finding]]:
    """``value`` with every hit replaced by its descriptor, and the hits."""
    found = hits(value, entries) if value else []
    if not found:
        return value, []
    edits: list[Edit] = []
    for f in found:
        last = edits[-1] if edits else None
        if last and last.replacement == f.replacement and not value[last.end : f.start].strip():
            edits[-1] = Edit(last.start, f.end, f.replacement)  # "Becky Thorne": one "[OT 1]"
        else:
            edits.append(Edit(f.start, f.end, f.replacement))
    new, _, _ = apply_edits(value, edits)
    return new, found


def _rewrite_json(value: Any, entries: Sequence[NameEntry], found: list[Finding]) -> Any:
    if isinstance(value, str):
        new, more = rewrite(value, entries)
        found += more
        return new
    if isinstance(value, list):
        return [_rewrite_json(v, entries, found) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite_json(v, entries, found) for k, v in value.items()}
    return value


def _text_attributes(study: Session) -> list[tuple[int, int, str, str]]:
    """(participant, attribute, attribute name, value) of every free-text attribute value."""
    return [
        (pid, aid, name, value)
        for pid, aid, name, value in study.execute(
            select(
                ParticipantValueRow.participant_id,
                ParticipantValueRow.attribute_id,
                AttributeDefRow.name,
                ParticipantValueRow.value,
            )
            .join(AttributeDefRow, AttributeDefRow.id == ParticipantValueRow.attribute_id)
            .where(AttributeDefRow.type == "text")
        ).all()
    ]


def derived_values(study: Session, *, checked_only: bool = True) -> Iterator[tuple[str, str]]:
    """(where, value) of every derived free-text field, for the check."""
    for col in COLUMNS + (CHECKED_ONLY if checked_only else ()):
        for ident, value in col.rows(study):
            if value:
                yield col.where.format(id=ident), value
    for ident, details in study.execute(select(LineageRow.id, LineageRow.details)).all():
        yield f"lineage entry {ident} details", details
    for pid, _aid, name, value in _text_attributes(study):
        yield f"participant {pid} attribute {name!r}", value


def rewrite_derived(
    study: Session, entries: Sequence[NameEntry], *, now: dt.datetime, actor: str, dry: bool
) -> Counter[str]:
    """Rewrite every derived field (``dry``: only count); returns fields changed by kind, and
    logs each replacement's kind and descriptor (never the original)."""
    changed: Counter[str] = Counter()
    log: Counter[tuple[str, str, str, str]] = Counter()

    def note(kind: str, found: list[Finding]) -> None:
        changed[kind] += 1
        for f in found:
            log[(kind, f.category, f.detector, f.replacement)] += 1

    for col in COLUMNS:
        for ident, value in col.rows(study):
            new, found = rewrite(value or "", entries)
            if not found:
                continue
            note(col.kind, found)
            if not dry:
                row = study.get(col.model, ident)
                assert row is not None
                length = col.length()
                setattr(row, col.attr, new[:length] if length else new)
                if col.version is not None:
                    setattr(row, col.version, now)
    for entry in study.scalars(select(LineageRow)):
        found = []
        details = _rewrite_json(json.loads(entry.details), entries, found)
        if found:
            note("lineage details", found)
            if not dry:
                entry.details = json.dumps(details)
    for pid, aid, _name, value in _text_attributes(study):
        new, found = rewrite(value, entries)
        if found:
            note("participant attribute", found)
            if not dry:
                cell = study.get(ParticipantValueRow, (pid, aid))
                assert cell is not None
                cell.value = new
    if not dry:
        for (kind, category, detector, replacement), n in sorted(log.items()):
            study.add(
                AnonymisationLogRow(
                    at=now,
                    actor=actor,
                    transcript_id=None,
                    field=kind[:32],
                    category=category[:64],
                    detector=detector,
                    replacement=replacement[:300],
                    occurrences=n,
                )
            )
        study.flush()
    return changed


def spaced(name: str) -> str:
    """A file name with ``_``, ``-`` and ``.`` as spaces (same length, so offsets hold), so
    "Physio4_Stuart_Hollis.vtt" shows its names to the detector."""
    return name.translate(SEPARATORS)


SEPARATORS = str.maketrans("_-.", "   ")


def file_name(value: str, label: str, entries: Sequence[NameEntry]) -> str | None:
    """A transcript file name holding a name or identifier becomes ``label`` with the file's
    extension ("Physio4_Stuart_Hollis.vtt" -> "Physio 4.vtt"): a name can hide in a file name in
    ways no detector sees ("Physio4_SHollis"), so none of it is kept. None when clean."""
    if not hits(spaced(value), entries):
        return None
    suffix = PurePosixPath(value.replace("\\", "/")).suffix
    keep = suffix if 1 < len(suffix) <= 6 and suffix[1:].isalnum() else ""
    return f"{label}{keep.lower()}"


__all__ = [
    "CHECKED_ONLY",
    "COLUMNS",
    "DerivedColumn",
    "derived_values",
    "file_name",
    "hits",
    "replacement_entries",
    "rewrite",
    "rewrite_derived",
    "spaced",
]
