"""Anonymisation over a study and its separate key file: scan, review, apply, check, originals.

Follows the UK Data Service guidance on anonymising qualitative data
(docs/methods.md#anonymisation): bracketed, consistent descriptors instead of blanking out; an
anonymisation log stored apart from the data (here: the study keeps who/when/what kind/what
replacement, never the original; the key file keeps the originals); unedited text kept for the
team (in the key file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thematica.anonymise.detect import (
    NameEntry,
    detect,
    resolve_overlaps,
)
from thematica.anonymise.edits import Edit, apply_edits
from thematica.anonymise.keyfile import DenyTermRow, FindingRow, IdentityRow, ReplacementRow
from thematica.anonymise.ner import Pipeline
from thematica.anonymise.ner import findings as ner_findings
from thematica.domain import MemberRole, SpeakerRole
from thematica.errors import AccessDenied, InputError, NotFoundError, ThematicaError
from thematica.importers.table import read_records
from thematica.service import transcripts as tx
from thematica.service.anonymise_derived import (
    file_name,
    replacement_entries,
    rewrite_derived,
)
from thematica.service.anonymise_residue import DESCRIPTOR, PERSON_CATEGORIES
from thematica.storage import search_index
from thematica.storage.models import (
    AnonymisationLogRow,
    CodingRow,
    ParticipantRow,
    TeamMemberRow,
    TranscriptRow,
    TurnRow,
)

ORG_DESCRIPTORS = {
    "hospital": "Hospital",
    "trust": "Trust",
    "gp practice": "GP practice",
    "employer": "Employer",
    "place": "Place",
    "organisation": "Organisation",
    "school": "School",
    "other": "Redacted",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def require_original_access(study: Session, actor: str) -> str:
    row = study.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == actor.strip().lower())
    )
    if row is None:
        raise NotFoundError(f"no team member {actor!r}")
    if row.role == MemberRole.READER.value or row.anonymised_only:
        raise AccessDenied(
            f"{row.name} sees anonymised text only ({'reader' if row.role == 'reader' else 'marked anonymised only'})"
        )
    return row.name


# -- identities and the deny-list (into the key) ---------------------------------------------


def import_identities(key: Session, data: bytes, source: str) -> int:
    """``label,real_name[,nicknames][,category]``: participants' and team members' real names."""
    count = 0
    for number, rec in read_records(
        data, source, required={"label", "real_name"}, kind="identities file"
    ):
        where = f"row {number}"
        if not rec["label"] or not rec["real_name"]:
            raise InputError(source, "label and real_name are both needed", where)
        category = rec.get("category") or (
            "team member" if rec["label"].lower().startswith("interviewer") else "participant"
        )
        row = key.scalar(select(IdentityRow).where(IdentityRow.label == rec["label"]))
        if row is None:
            row = IdentityRow(label=rec["label"])
            key.add(row)
        row.real_name = " ".join(rec["real_name"].split())
        row.nicknames = ";".join(
            n.strip() for n in rec.get("nicknames", "").split(";") if n.strip()
        )
        row.category = category
        count += 1
    key.flush()
    return count


def import_deny_list(key: Session, data: bytes, source: str) -> int:
    """``term,category[,replacement][,person]``: other names, places, employers, hospitals, trusts.

    Without a replacement, people get numbered descriptors ("[Colleague 1]") and places and
    organisations lettered ones ("[Hospital A]"), consistent across the study."""
    used = Counter(r.category for r in key.scalars(select(DenyTermRow)))
    count = 0
    for number, rec in read_records(data, source, required={"term", "category"}, kind="deny-list"):
        where = f"row {number}"
        term = " ".join(rec["term"].split())
        category = rec["category"].strip().lower()
        if not term or not category:
            raise InputError(source, "term and category are both needed", where)
        person_raw = rec.get("person", "").strip().lower()
        person = (
            category in PERSON_CATEGORIES
            if not person_raw
            else person_raw in ("yes", "true", "1", "y")
        )
        if key.scalar(select(DenyTermRow).where(func.lower(DenyTermRow.term) == term.lower())):
            continue
        replacement = rec.get("replacement", "").strip()
        if not replacement:
            used[category] += 1
            n = used[category]
            if person:
                replacement = f"[{category.capitalize()} {n}]"
            else:
                replacement = f"[{ORG_DESCRIPTORS.get(category, category.capitalize())} {chr(64 + n) if n <= 26 else n}]"
        elif not replacement.startswith("["):
            replacement = f"[{replacement}]"
        key.add(DenyTermRow(term=term, category=category, replacement=replacement, person=person))
        count += 1
    key.flush()
    return count


# -- scanning --------------------------------------------------------------------------------


def _entries(study: Session, key: Session) -> list[NameEntry]:
    entries: list[NameEntry] = []
    for row in key.scalars(select(IdentityRow)):
        nick = tuple(n for n in row.nicknames.split(";") if n)
        entries.append(
            NameEntry(row.real_name, row.category, f"[{row.label}]", nick, True, "register")
        )
    known = {e.name.casefold() for e in entries}
    # labels ("Physio 3", "Interviewer A") are what anonymised speakers are called, not names
    known |= {label.casefold() for label in study.scalars(select(ParticipantRow.label))}
    known |= {row.label.casefold() for row in key.scalars(select(IdentityRow))}
    for speaker, role in study.execute(select(TurnRow.speaker, TurnRow.role).distinct()).all():
        if speaker and speaker.casefold() not in known and not DESCRIPTOR.fullmatch(speaker):
            label = (
                "[Participant]"
                if role == SpeakerRole.PARTICIPANT.value
                else "[Interviewer]"
                if role == SpeakerRole.INTERVIEWER.value
                else "[Speaker]"
            )
            entries.append(NameEntry(speaker, "speaker", label, (), True, "register"))
            known.add(speaker.casefold())
    for term in key.scalars(select(DenyTermRow)):
        entries.append(
            NameEntry(term.term, term.category, term.replacement, (), term.person, "deny-list")
        )
    return entries


@dataclass(frozen=True)
class ScanReport:
    transcripts: int
    findings: int
    by_category: dict[str, int]
    by_detector: dict[str, int]


def scan(
    study: Session, key: Session, refs: Sequence[str] = (), ner: Pipeline | None = None
) -> ScanReport:
    """Find identifiers in the chosen transcripts (all by default). Earlier pending findings for
    those transcripts are replaced; accepted and rejected decisions on the same spans are kept."""
    tids = (
        [tx.resolve(study, r) for r in refs]
        if refs
        else list(study.scalars(select(TranscriptRow.id).order_by(TranscriptRow.id)))
    )
    entries = _entries(study, key)
    decided = {
        (f.transcript_id, f.start, f.end): f
        for f in key.scalars(
            select(FindingRow).where(
                FindingRow.status != "pending", FindingRow.transcript_id.in_(tids)
            )
        )
    }
    decided_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for tid_, s, e in decided:
        decided_spans[tid_].append((s, e))
    for rep in key.scalars(
        select(ReplacementRow).where(
            ReplacementRow.field == "text", ReplacementRow.transcript_id.in_(tids)
        )
    ):
        if rep.start is not None and rep.end is not None:
            decided_spans[rep.transcript_id].append((rep.start, rep.end))  # already a pseudonym
    key.execute(
        delete(FindingRow).where(FindingRow.status == "pending", FindingRow.transcript_id.in_(tids))
    )
    by_category: Counter[str] = Counter()
    by_detector: Counter[str] = Counter()
    total = 0
    for tid in tids:
        text = study.scalar(select(TranscriptRow.text).where(TranscriptRow.id == tid)) or ""
        turns = study.execute(
            select(TurnRow.start_offset, TurnRow.end_offset)
            .where(TurnRow.transcript_id == tid)
            .order_by(TurnRow.position)
        ).all()
        rows = []
        for start, end in turns:
            piece = text[start:end]
            found = detect(piece, entries)
            if ner is not None:
                found = resolve_overlaps(found + ner_findings(ner, piece))
            for f in found:
                span = (tid, start + f.start, start + f.end)
                if span in decided or any(
                    s < span[2] and span[1] < e for s, e in decided_spans.get(tid, ())
                ):
                    continue  # already decided, or overlapping a decided finding
                rows.append(
                    FindingRow(
                        transcript_id=tid,
                        start=span[1],
                        end=span[2],
                        original=f.text,
                        category=f.category,
                        detector=f.detector,
                        replacement=f.replacement,
                        confidence=f.confidence,
                        note=f.note,
                        status="pending",
                    )
                )
                by_category[f.category] += 1
                by_detector[f.detector] += 1
        key.add_all(rows)
        total += len(rows)
    key.flush()
    return ScanReport(len(tids), total, dict(by_category), dict(by_detector))


# -- review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    id: int
    transcript_id: int
    participant: str | None
    start: int
    end: int
    original: str
    context: str
    category: str
    detector: str
    replacement: str
    confidence: str
    note: str
    status: str


def findings(
    study: Session, key: Session, status: str | None = "pending", context: int = 40
) -> tuple[FindingView, ...]:
    query = select(FindingRow).order_by(FindingRow.transcript_id, FindingRow.start)
    if status:
        query = query.where(FindingRow.status == status)
    rows = key.scalars(query).all()
    labels = tx.participant_labels(study)
    texts: dict[int, str] = {}
    out = []
    for f in rows:
        if f.transcript_id not in texts:
            texts[f.transcript_id] = (
                study.scalar(select(TranscriptRow.text).where(TranscriptRow.id == f.transcript_id))
                or ""
            )
        text = texts[f.transcript_id]
        before = text[max(0, f.start - context) : f.start].replace("\n", " ")
        after = text[f.end : f.end + context].replace("\n", " ")
        out.append(
            FindingView(
                f.id,
                f.transcript_id,
                labels.get(f.transcript_id),
                f.start,
                f.end,
                f.original,
                f"…{before}⟦{f.original}⟧{after}…",
                f.category,
                f.detector,
                f.replacement,
                f.confidence,
                f.note,
                f.status,
            )
        )
    return tuple(out)


def decide(
    key: Session,
    actor: str,
    *,
    accept: Iterable[int] = (),
    reject: Iterable[int] = (),
    edits: dict[int, str] | None = None,
    accept_categories: Iterable[str] = (),
    accept_all: bool = False,
) -> int:
    """Record decisions; an edit sets the replacement and accepts the finding."""
    changed = 0
    now = _now()

    def get(fid: int) -> FindingRow:
        row = key.get(FindingRow, fid)
        if row is None:
            raise NotFoundError(f"no finding {fid}")
        return row

    for fid, text in (edits or {}).items():
        text = " ".join(text.split())
        if not text:
            raise ThematicaError(f"finding {fid}: the replacement is empty")
        row = get(fid)
        row.replacement = text if text.startswith("[") else f"[{text}]"
        row.status, row.decided_by, row.decided_at = "accepted", actor, now
        changed += 1
    for status, ids in (("accepted", accept), ("rejected", reject)):
        for fid in ids:
            row = get(fid)
            row.status, row.decided_by, row.decided_at = status, actor, now
            changed += 1
    categories = {c.strip().lower() for c in accept_categories}
    if categories or accept_all:
        pending = key.scalars(select(FindingRow).where(FindingRow.status == "pending")).all()
        for row in pending:
            if accept_all or row.category in categories:
                row.status, row.decided_by, row.decided_at = "accepted", actor, now
                changed += 1
    key.flush()
    return changed


# -- apply -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyReport:
    transcripts: int
    replacements: int
    speakers: int
    codings_moved: int
    derived: tuple[tuple[str, int], ...] = ()  # ("code name", 2): fields rewritten, by kind
    file_names: int = 0
    scrubbed: bool = True  # False: another program kept the old text in the write-ahead log


def _speaker_names(study: Session, key: Session, tid: int, *, dry: bool = False) -> dict[str, str]:
    """Each speaker of a transcript -> a descriptor: the participant's label, the interviewer's
    identity label ("Interviewer A"; an interviewer the key does not know gets the next free
    letter, recorded in the key), or "Speaker N"."""
    identities = {r.real_name.casefold(): r.label for r in key.scalars(select(IdentityRow))}
    label = study.scalar(
        select(ParticipantRow.label)
        .join(TranscriptRow, TranscriptRow.participant_id == ParticipantRow.id)
        .where(TranscriptRow.id == tid)
    )
    out: dict[str, str] = {}
    others = 0
    descriptors = set(identities.values()) | ({label} if label else set())
    for speaker, role in study.execute(
        select(TurnRow.speaker, TurnRow.role).where(TurnRow.transcript_id == tid).distinct()
    ).all():
        if not speaker or speaker in descriptors or DESCRIPTOR.fullmatch(speaker):
            continue  # unnamed, or already anonymised
        if role == SpeakerRole.PARTICIPANT.value and label:
            out[speaker] = label
        elif speaker.casefold() in identities:
            out[speaker] = identities[speaker.casefold()]
        elif role == SpeakerRole.INTERVIEWER.value and dry:
            out[speaker] = "Interviewer ?"  # a plan only counts: the key learns no new label
        elif role == SpeakerRole.INTERVIEWER.value:
            out[speaker] = _new_interviewer(study, key, speaker)
            identities[speaker.casefold()] = out[speaker]
            descriptors.add(out[speaker])
        else:
            others += 1
            out[speaker] = f"Speaker {others}"
    return {s: d for s, d in out.items() if s != d}


INTERVIEWER_LABEL = re.compile(r"Interviewer ([A-Z]+)")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the letter of the nth interviewer."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass(frozen=True)
class ApplyPlan:
    """What ``apply`` would change now, counted (never an original): for the confirmation."""

    passages: int
    transcripts: int
    speakers: int
    derived: tuple[tuple[str, int], ...]  # ("code name", 2), ...
    file_names: int
    pending: int

    def fingerprint(self) -> str:
        """Short, stable: a confirmation given for this plan is refused for another."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]

    def changes(self) -> int:
        return self.passages + self.speakers + self.file_names + sum(n for _, n in self.derived)


def plan(study: Session, key: Session) -> ApplyPlan:
    """Count what ``apply`` would replace, writing nothing."""
    accepted = key.execute(
        select(FindingRow.transcript_id, FindingRow.original, FindingRow.category)
        .add_columns(FindingRow.replacement)
        .where(FindingRow.status == "accepted")
    ).all()
    pending = key.scalar(
        select(func.count()).select_from(FindingRow).where(FindingRow.status == "pending")
    )
    tids = list(study.scalars(select(TranscriptRow.id).order_by(TranscriptRow.id)))
    renames = [_speaker_names(study, key, tid, dry=True) for tid in tids]
    speakers = sum(len(names) for names in renames)
    entries = _entries(study, key)
    labels = tx.participant_labels(study)
    files = sum(
        file_name(name, labels.get(tid) or f"Transcript {tid}", entries) is not None
        for tid, name in study.execute(select(TranscriptRow.id, TranscriptRow.source_name)).all()
    )
    extra = [(o, c, r) for _, o, c, r in accepted]
    extra += [(o, "speaker", d) for names in renames for o, d in names.items()]
    derived = rewrite_derived(
        study, replacement_entries(study, key, extra), now=_now(), actor="", dry=True
    )
    return ApplyPlan(
        passages=len(accepted),
        transcripts=len({tid for tid, *_ in accepted}),
        speakers=speakers,
        derived=tuple(sorted(derived.items())),
        file_names=files,
        pending=pending or 0,
    )


def _new_interviewer(study: Session, key: Session, name: str) -> str:
    """The next free "Interviewer A/B/..." label for an interviewer the key does not know yet,
    recorded in the key as an identity, so the same person has the same label in every
    transcript and in every later apply (the original stays in the key, never in the study)."""
    used: set[str] = set(key.scalars(select(IdentityRow.label)))
    used |= {
        s
        for s in study.scalars(select(TurnRow.speaker).distinct())
        if s and INTERVIEWER_LABEL.fullmatch(s)
    }
    n = 0
    while f"Interviewer {_letters(n)}" in used:
        n += 1
    label = f"Interviewer {_letters(n)}"
    key.add(
        IdentityRow(
            label=label, real_name=" ".join(name.split()), nicknames="", category="team member"
        )
    )
    key.flush()
    return label


def apply(study: Session, key: Session, actor: str) -> ApplyReport:
    """Replace every accepted finding, and every speaker name, across the study."""
    who = require_original_access(study, actor)
    accepted = key.scalars(
        select(FindingRow)
        .where(FindingRow.status == "accepted")
        .order_by(FindingRow.transcript_id, FindingRow.start)
    ).all()
    by_transcript: dict[int, list[FindingRow]] = defaultdict(list)
    for f in accepted:
        by_transcript[f.transcript_id].append(f)
    all_tids = set(study.scalars(select(TranscriptRow.id)))
    entries = _entries(study, key)
    label_of = tx.participant_labels(study)
    now = _now()
    replaced = moved = speakers = file_names = 0
    log: Counter[tuple[int, str, str, str, str]] = Counter()
    for tid in sorted(all_tids):
        row = study.get(TranscriptRow, tid)
        assert row is not None
        found = by_transcript.get(tid, [])
        if found:
            for f in found:
                if row.text[f.start : f.end] != f.original:
                    raise ThematicaError(
                        f"finding {f.id} no longer matches transcript {tid}; scan again before applying"
                    )
            for a, b in itertools.pairwise(found):
                if b.start < a.end:
                    raise ThematicaError(
                        f"findings {a.id} ({a.original!r}) and {b.id} ({b.original!r}) overlap in "
                        f"transcript {tid}; reject one of them (thematica anonymise review --reject ID)"
                    )
            new_text, mapping, placed = apply_edits(
                row.text, [Edit(f.start, f.end, f.replacement) for f in found]
            )
            # earlier replacements in this transcript move with the text, so originals stay placed
            for earlier in key.scalars(
                select(ReplacementRow).where(
                    ReplacementRow.transcript_id == tid, ReplacementRow.field == "text"
                )
            ):
                if earlier.start is not None and earlier.end is not None:
                    earlier.start, earlier.end = (
                        mapping.start(earlier.start),
                        mapping.end(earlier.end),
                    )
            for other in key.scalars(
                select(FindingRow).where(
                    FindingRow.transcript_id == tid, FindingRow.status == "pending"
                )
            ):
                other.start, other.end = mapping.start(other.start), mapping.end(other.end)
            for turn in study.scalars(select(TurnRow).where(TurnRow.transcript_id == tid)):
                turn.start_offset, turn.end_offset = (
                    mapping.start(turn.start_offset),
                    mapping.end(turn.end_offset),
                )
            for coding in study.scalars(select(CodingRow).where(CodingRow.transcript_id == tid)):
                start, end = mapping.start(coding.start_offset), mapping.end(coding.end_offset)
                moved += (start, end) != (coding.start_offset, coding.end_offset)
                coding.start_offset, coding.end_offset = start, end
            row.text = new_text
            row.word_count = len(new_text.split())
            row.source_units = None  # no longer the source's text: one unit per character
            for f, (start, end) in zip(found, placed, strict=True):
                key.add(
                    ReplacementRow(
                        transcript_id=tid,
                        field="text",
                        start=start,
                        end=end,
                        original=f.original,
                        replacement=f.replacement,
                        category=f.category,
                        applied_at=now,
                        applied_by=who,
                    )
                )
                log[(tid, "text", f.category, f.detector, f.replacement)] += 1
            replaced += len(found)
        names = _speaker_names(study, key, tid)
        for original, descriptor in names.items():
            study.execute(
                update(TurnRow)
                .where(TurnRow.transcript_id == tid, TurnRow.speaker == original)
                .values(speaker=descriptor)
            )
            key.add(
                ReplacementRow(
                    transcript_id=tid,
                    field="speaker",
                    start=None,
                    end=None,
                    original=original,
                    replacement=descriptor,
                    category="speaker",
                    applied_at=now,
                    applied_by=who,
                )
            )
            log[(tid, "speaker", "speaker", "register", descriptor)] += 1
            speakers += 1
            if row.interviewer == original:
                row.interviewer = descriptor
        new_name = file_name(row.source_name, label_of.get(tid) or f"Transcript {tid}", entries)
        if new_name is not None:
            key.add(
                ReplacementRow(
                    transcript_id=tid,
                    field="source_name",
                    start=None,
                    end=None,
                    original=row.source_name,
                    replacement=new_name,
                    category="file name",
                    applied_at=now,
                    applied_by=who,
                )
            )
            row.source_name = new_name
            log[(tid, "source_name", "file name", "register", new_name)] += 1
            file_names += 1
    for (tid, field, category, detector, replacement), n in sorted(log.items()):
        study.add(
            AnonymisationLogRow(
                at=now,
                actor=who,
                transcript_id=tid,
                field=field,
                category=category,
                detector=detector,
                replacement=replacement,
                occurrences=n,
            )
        )
    # decided findings leave the key (a later scan may raise a rejected one again, e.g. once its
    # term is on the deny-list); pending ones stay, moved with the text, so a transcript with
    # findings still to review is never taken for anonymised
    key.execute(
        delete(FindingRow).where(
            FindingRow.status != "pending", FindingRow.transcript_id.in_(list(by_transcript))
        )
    )
    study.flush()
    key.flush()
    # everything derived from the text (codes, memos, journal, themes, ...), with every original
    # the key now knows: the names, the deny-list, and every original replaced so far
    from thematica.service.correcting import move_log_to_key  # corrections made before

    move_log_to_key(study, key)  # the corrections log's before/after hold the originals too
    derived = rewrite_derived(study, replacement_entries(study, key), now=now, actor=who, dry=False)
    search_index.rebuild(study)  # the index must not keep the original words
    key.flush()
    return ApplyReport(
        len(by_transcript),
        replaced,
        speakers,
        moved,
        derived=tuple(sorted(derived.items())),
        file_names=file_names,
    )


# -- originals (the residual check is in anonymise_residue.py) ------------------------------


def original(
    study: Session, key: Session, ref: str, start: int, end: int, actor: str
) -> tuple[str, str]:
    """(anonymised text, original text) of a span: for a lead holding the key."""
    require_original_access(study, actor)
    tid = tx.resolve(study, ref)
    text = study.scalar(select(TranscriptRow.text).where(TranscriptRow.id == tid)) or ""
    if not 0 <= start < end <= len(text):
        raise ThematicaError(
            f"the span {start}-{end} is not inside transcript {ref} (0-{len(text)})"
        )
    reps = key.scalars(
        select(ReplacementRow)
        .where(
            ReplacementRow.transcript_id == tid,
            ReplacementRow.field == "text",
            ReplacementRow.start < end,
            ReplacementRow.end > start,
        )
        .order_by(ReplacementRow.start)
    ).all()
    edits = [
        Edit(max(r.start or 0, start) - start, min(r.end or 0, end) - start, r.original)
        for r in reps
        if (r.start or 0) >= start and (r.end or 0) <= end
    ]
    restored, _, _ = apply_edits(text[start:end], edits)
    return text[start:end], restored
