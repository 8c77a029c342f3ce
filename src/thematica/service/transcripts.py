"""Importing transcripts into a study and reading them back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from thematica.domain import (
    CheckingState,
    ParsedTranscript,
    SpeakerRole,
    Transcript,
    TranscriptSummary,
    Turn,
    word_count,
)
from thematica.errors import BatchInputError, InputError, NotFoundError, ThematicaError
from thematica.service.register import participant_id
from thematica.service.sessions import memo
from thematica.speakers import assign_roles, find_speaker
from thematica.storage.models import ParticipantRow, TranscriptRow, TurnRow
from thematica.text import assemble


@dataclass(frozen=True)
class TranscriptSource:
    """One file to import, with what the user said about it.

    ``read`` returns the file's bytes (called once, so large batches are never all in memory).
    ``roles`` maps speaker names to roles; names that are not in the file are an error.
    """

    name: str
    read: Callable[[], bytes]
    participant: str | None = None
    interview_date: dt.date | None = None
    interviewer: str | None = None
    roles: Mapping[str, SpeakerRole] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportFailure:
    """A file that was skipped, and why (``message`` is the one-line form of the rest)."""

    source: str
    location: str | None
    reason: str
    message: str

    @classmethod
    def from_error(cls, error: InputError) -> ImportFailure:
        return cls(error.source, error.location, error.reason, str(error))


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[TranscriptSummary, ...]
    failed: tuple[ImportFailure, ...]


_INSERT_TURNS = (
    "INSERT INTO turns (transcript_id, position, speaker, role, start_offset, end_offset,"
    " start_ms, end_ms) VALUES ({})"
)


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", text).strip().casefold()


def _lowered_labels(session: Session) -> dict[str, int | None]:
    """Each participant's label as the database lowers it (what :func:`participant_id` matches)
    -> its id, ``None`` where two labels lower alike: one query per import, not per file."""
    found: dict[str, int | None] = {}
    for pid, lowered in session.execute(
        select(ParticipantRow.id, func.lower(ParticipantRow.label))
    ):
        found[lowered] = None if lowered in found else pid
    return found


def _participant_for(
    session: Session,
    source: TranscriptSource,
    labels: Mapping[str, int],
    lowered: Mapping[str, int | None],
) -> int | None:
    if source.participant:
        pid = lowered.get(source.participant.strip().lower())
        if pid is not None:
            return pid
        try:  # not there (or not one): the lookup's own answer and message
            return participant_id(session, source.participant)
        except NotFoundError as exc:
            raise InputError(source.name, str(exc)) from None
    return labels.get(_key(PurePath(source.name).stem))


def _prepare(
    source: TranscriptSource, parsed: ParsedTranscript
) -> tuple[dict[str, SpeakerRole], str | None]:
    for name in source.roles:
        if find_speaker(name, parsed.speakers) is None:
            raise InputError(
                source.name,
                f"unknown speaker {name!r}; the speakers in this file are "
                + ", ".join(repr(s) for s in parsed.speakers),
            )
    given = dict(source.roles)
    if source.interviewer:
        if find_speaker(source.interviewer, parsed.speakers) is None:
            raise InputError(
                source.name,
                f"unknown interviewer {source.interviewer!r}; the speakers in this file are "
                + ", ".join(repr(s) for s in parsed.speakers),
            )
        given[source.interviewer] = SpeakerRole.INTERVIEWER
    roles = assign_roles(parsed, given)
    interviewer = next((s for s in parsed.speakers if roles[s] is SpeakerRole.INTERVIEWER), None)
    return roles, interviewer


def import_transcripts(
    session: Session,
    sources: Iterable[TranscriptSource],
    *,
    skip_bad: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Parse and store each source in the caller's transaction.

    A bad file raises :class:`InputError` (the caller rolls back: all or nothing), after every
    file has been read: several bad files raise one :class:`BatchInputError` naming each.
    With ``skip_bad`` the bad files are reported and the others are imported.
    """
    known = dict(
        session.execute(select(TranscriptRow.source_sha256, TranscriptRow.source_name)).all()
    )
    names = _labels_by_id(session)
    labels = {_key(label): pid for pid, label in names.items()}
    lowered = _lowered_labels(session)
    imported: list[TranscriptSummary] = []
    failed: list[ImportFailure] = []
    errors: list[InputError] = []
    now = dt.datetime.now(dt.UTC)
    # Rows go in through the session's connection, the turns with the driver's executemany
    # (tens of thousands of rows: SQLAlchemy's work per row cost more than the insert).
    connection = session.connection()
    insert_turns = _INSERT_TURNS.format(
        ", ".join(["?" if connection.dialect.paramstyle == "qmark" else "%s"] * 8)
    )
    for source in sources:
        try:
            try:
                data = source.read()
            except OSError as exc:
                raise InputError(source.name, f"cannot be read ({exc.strerror or exc})") from None
            from thematica.importers import read_transcript  # parsers load when importing

            parsed = read_transcript(data, source.name)
            if parsed.source_sha256 in known:
                raise InputError(
                    source.name, f"already imported (identical to {known[parsed.source_sha256]!r})"
                )
            roles, interviewer = _prepare(source, parsed)
            pid = _participant_for(session, source, labels, lowered)
        except InputError as exc:
            if not skip_bad:
                errors.append(exc)  # read every file, so that one run names every bad one
            failed.append(ImportFailure.from_error(exc))
            if progress:
                progress(source.name)
            continue
        known[parsed.source_sha256] = parsed.source_name
        if errors:  # nothing will be imported: only check the rest
            if progress:
                progress(source.name)
            continue
        text, spans = assemble([t.text for t in parsed.turns])
        words = word_count(text)
        tid = connection.execute(
            insert(TranscriptRow).returning(TranscriptRow.id),
            {
                "participant_id": pid,
                "source_name": parsed.source_name,
                "source_sha256": parsed.source_sha256,
                "source_format": parsed.source_format,
                "interview_date": source.interview_date,
                "duration_ms": parsed.duration_ms,
                "interviewer": interviewer,
                "text": text,
                "word_count": words,
                "imported_at": now,
            },
        ).scalar_one()
        role_of = {speaker: role.value for speaker, role in roles.items()}
        connection.exec_driver_sql(
            insert_turns,
            [
                (
                    tid,
                    i,
                    turn.speaker,
                    role_of[turn.speaker],
                    span.start,
                    span.end,
                    turn.start_ms,
                    turn.end_ms,
                )
                for i, (turn, span) in enumerate(zip(parsed.turns, spans, strict=True))
            ],
        )
        label = names.get(pid) if pid is not None else None
        imported.append(
            TranscriptSummary(
                tid,
                parsed.source_name,
                parsed.source_format,
                label,
                source.interview_date,
                parsed.duration_ms,
                interviewer,
                len(parsed.turns),
                words,
            )
        )
        if progress:
            progress(source.name)
    if errors:
        raise errors[0] if len(errors) == 1 else BatchInputError(tuple(errors))
    return ImportReport(tuple(imported), tuple(failed))


def _labels_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(ParticipantRow.id, ParticipantRow.label)).all())


def _utc(at: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive times; they were written in UTC."""
    return at.replace(tzinfo=dt.UTC) if at is not None and at.tzinfo is None else at


def _summaries_of(one: bool) -> Select[*tuple[Any, ...]]:
    """Every transcript's summary columns, its participant's label and its number of turns in
    one statement; or (``one``) those of the transcript given as the parameter ``only``."""
    turns = select(func.count()).where(TurnRow.transcript_id == TranscriptRow.id)
    query = (
        select(
            TranscriptRow.id,
            TranscriptRow.source_name,
            TranscriptRow.source_format,
            ParticipantRow.label,
            TranscriptRow.interview_date,
            TranscriptRow.duration_ms,
            TranscriptRow.interviewer,
            turns.scalar_subquery().label("turns"),
            TranscriptRow.word_count,
            TranscriptRow.checking,
            TranscriptRow.checked_by,
            TranscriptRow.checked_at,
        )
        .outerjoin(ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id)
        .order_by(TranscriptRow.id)
    )
    return query.where(TranscriptRow.id == bindparam("only", type_=Integer)) if one else query


_SUMMARIES = {one: _summaries_of(one) for one in (False, True)}  # built once


def summaries(session: Session, only: int | None = None) -> tuple[TranscriptSummary, ...]:
    """Every transcript's summary, or (``only``) that one transcript's."""
    rows = session.execute(_SUMMARIES[only is not None], {"only": only})
    return tuple(
        TranscriptSummary(
            r.id,
            r.source_name,
            r.source_format,
            r.label,
            r.interview_date,
            r.duration_ms,
            r.interviewer,
            r.turns or 0,
            r.word_count,
            CheckingState(r.checking),
            r.checked_by,
            _utc(r.checked_at),
        )
        for r in rows
    )


def resolve(session: Session, ref: str) -> int:
    """A transcript id from a reference: its number, its participant's label or its file name
    (found once per run of shared reads, ``sessions.memo``)."""
    ref = ref.strip()
    return memo(session, ("transcript", ref), lambda: _resolve(session, ref))


_ID = select(TranscriptRow.id).where(TranscriptRow.id == bindparam("id", type_=Integer))


def _resolve(session: Session, ref: str) -> int:
    if (
        ref.isascii()
        and ref.isdigit()
        and len(ref) < 15
        and session.scalar(_ID, {"id": int(ref)}) is not None  # the id alone, not the text
    ):
        return int(ref)
    matches = [
        s.id
        for s in summaries(session)
        if ref.casefold() in (s.source_name.casefold(), (s.participant or "").casefold())
        or _key(ref) == _key(PurePath(s.source_name).stem)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(
            f"no transcript {ref!r} (give its number, participant label or file name)"
        )
    raise ThematicaError(
        f"{ref!r} matches transcripts {', '.join(map(str, matches))}; give the transcript number"
    )


# A transcript's turns as plain rows, in order: built once, so that SQLAlchemy's cache key for
# it is computed once (every transcript page, its JSON twin and its fragments read them).
_TURNS = (
    select(
        TurnRow.position,
        TurnRow.speaker,
        TurnRow.role,
        TurnRow.start_offset,
        TurnRow.end_offset,
        TurnRow.start_ms,
        TurnRow.end_ms,
    )
    .where(TurnRow.transcript_id == bindparam("transcript"))
    .order_by(TurnRow.position)
)


_LABEL = select(ParticipantRow.label).where(
    ParticipantRow.id == bindparam("participant", type_=Integer)
)


def get(session: Session, transcript_id: int) -> Transcript:
    row = session.get(TranscriptRow, transcript_id)
    if row is None:
        raise NotFoundError(f"no transcript {transcript_id}")
    text = row.text
    turns = tuple(
        Turn(position, speaker, SpeakerRole(role), start, end, text[start:end], start_ms, end_ms)
        for position, speaker, role, start, end, start_ms, end_ms in session.execute(
            _TURNS, {"transcript": transcript_id}
        )
    )
    label = (
        session.scalar(_LABEL, {"participant": row.participant_id}) if row.participant_id else None
    )
    return Transcript(
        row.id,
        row.source_name,
        row.source_sha256,
        row.source_format,
        label,
        row.interview_date,
        row.duration_ms,
        row.interviewer,
        row.text,
        turns,
        row.imported_at,
    )


def set_speaker_role(session: Session, transcript_id: int, speaker: str, role: SpeakerRole) -> str:
    speakers = tuple(
        session.scalars(
            select(TurnRow.speaker).where(TurnRow.transcript_id == transcript_id).distinct()
        )
    )
    name = find_speaker(speaker, speakers)
    if name is None:
        raise NotFoundError(
            f"no speaker {speaker!r} in transcript {transcript_id}; its speakers are "
            + ", ".join(repr(s) for s in speakers)
        )
    session.execute(
        update(TurnRow)
        .where(TurnRow.transcript_id == transcript_id, TurnRow.speaker == name)
        .values(role=role.value)
    )
    interviewer = session.scalar(
        select(TurnRow.speaker)
        .where(
            TurnRow.transcript_id == transcript_id, TurnRow.role == SpeakerRole.INTERVIEWER.value
        )
        .order_by(TurnRow.position)
        .limit(1)
    )
    session.execute(
        update(TranscriptRow)
        .where(TranscriptRow.id == transcript_id)
        .values(interviewer=interviewer)
    )
    return name


def set_details(
    session: Session,
    transcript_id: int,
    *,
    participant: str | None = None,
    interview_date: dt.date | None = None,
) -> None:
    values: dict[str, object] = {}
    if participant is not None:
        values["participant_id"] = participant_id(session, participant)
    if interview_date is not None:
        values["interview_date"] = interview_date
    if values:
        session.execute(
            update(TranscriptRow).where(TranscriptRow.id == transcript_id).values(**values)
        )


def participant_labels(session: Session, ids: Collection[int] | None = None) -> dict[int, str]:
    """Transcript id -> its participant's label, for transcripts linked to a participant (all of
    them, or those in ``ids``)."""
    if ids is not None and len(ids) <= 500:  # beyond that, one pass over all is cheaper
        return dict(session.execute(_LABELS_OF, {"ids": sorted(ids)}).all())
    return dict(session.execute(_LABELS).all())


_LABELS = select(TranscriptRow.id, ParticipantRow.label).join(
    ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id
)
_LABELS_OF = _LABELS.where(TranscriptRow.id.in_(bindparam("ids", expanding=True)))
