"""Recordings in a REFI-QDA exchange (``qdpx export --media``, and import): the study's
recordings on the sources of an :class:`XProject`, and the recordings of an imported project
attached to its new transcripts through :func:`thematica.service.media.attach`, so every check
``transcripts attach`` makes applies (type, damage, truncation, length)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.errors import InputError, ThematicaError
from thematica.exchange.model import XMedia, XProject
from thematica.service import media
from thematica.service.exchange import _guid
from thematica.service.exchange_notes import ImportIds
from thematica.storage.models import RecordingRow, StudyRow, TeamMemberRow

# extension (no dot) of a recording member -> the extension the media folder accepts
_ALIASES = {"mpeg": "mp3"}


def with_recordings(session: Session, project: XProject, folder: Path) -> XProject:
    """``project`` (the study's, from :func:`thematica.service.exchange.to_project`) with each
    transcript's recording on its source; a missing or changed file is refused by name."""
    study = session.get(StudyRow, 1)
    assert study is not None
    seed = study.created_at.isoformat()
    found: dict[str, XMedia] = {}
    for row in session.scalars(select(RecordingRow).order_by(RecordingRow.transcript_id)):
        status = media.status_of(folder, row, verify=False)
        if status != "ok":
            raise ThematicaError(
                f"transcript {row.transcript_id}: its recording ({row.original_name}) is "
                f"{status} in {folder}; re-link it with thematica transcripts attach --relink, "
                "or export without --media"
            )
        path = media.stored_path(folder, row)
        found[_guid(seed, "source", row.transcript_id)] = XMedia(
            kind=media.MIME[row.format].split("/", 1)[0],
            path=str(path),
            format=path.suffix.lstrip("."),
            name=row.original_name,
            sha256=row.sha256,
        )
    return replace(
        project,
        sources=tuple(
            replace(s, media=found[s.guid]) if s.guid in found else s for s in project.sources
        ),
    )


@dataclass(frozen=True)
class MediaImport:
    """Where an imported project's recordings go, and how to unpack one: ``unpack(member,
    out)`` writes the archive member ``member`` to ``out`` in chunks."""

    folder: Path
    unpack: Callable[[str, BinaryIO], None]


def _importer(session: Session) -> str:
    lead = session.scalar(
        select(TeamMemberRow.name)
        .where(TeamMemberRow.role == MemberRole.LEAD.value)
        .order_by(TeamMemberRow.id)
        .limit(1)
    )
    return lead or "qdpx import"


def attach_imported(
    session: Session, project: XProject, ids: ImportIds, target: MediaImport, copied: list[Path]
) -> int:
    """Attach each source's recording to the transcript it became (the caller's transaction).
    Every file copied into the media folder is appended to ``copied``, for the caller to
    remove if the transaction fails. Returns how many were attached."""
    sources = [s for s in project.sources if s.media is not None]
    if not sources:
        return 0
    by = _importer(session)
    attached = 0
    with tempfile.TemporaryDirectory(prefix="thematica-qdpx-media-") as scratch:
        for number, src in enumerate(sources):
            assert src.media is not None
            ext = _ALIASES.get(src.media.format, src.media.format)
            stem = Path(src.media.name).stem if src.media.name else ""
            safe = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in stem)[:200]
            folder = Path(scratch) / str(number)
            folder.mkdir()
            path = folder / f"{safe.strip(' .') or 'recording'}.{ext}"
            with path.open("wb") as out:
                target.unpack(src.media.path, out)
            try:
                _found, new, _old = media.attach(
                    session, ids.transcripts[src.guid], path, target.folder, by
                )
            except InputError as exc:
                raise ThematicaError(
                    f"the recording of {src.name!r} ({src.media.path}) cannot be attached: "
                    f"{exc.reason}; import without recordings with --no-media"
                ) from None
            if new is not None:
                copied.append(new)
            attached += 1
            shutil.rmtree(folder, ignore_errors=True)
    return attached


__all__ = ["MediaImport", "attach_imported", "with_recordings"]
