"""Recording methods of :class:`~thematica.service.StudyService` (part of the class): attach or
re-link a transcript's recording, list and check them, the media folder's size, and the file the
workbench streams (``service/media.py`` does the work). Who may is
:class:`~thematica.service.acting.MemberStudy`'s rule (``service/acting_media.py``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from thematica.errors import ConflictError, NotFoundError, ThematicaError
from thematica.service import media
from thematica.service import transcripts as tx
from thematica.service.sessions import Sessions
from thematica.storage.models import RecordingRow


class MediaMethods(Sessions):
    location: str
    media_dir: str | Path | None = None  # the configured folder (--media-dir); else the default

    def media_folder(self) -> Path:
        """Where this study's recordings are kept."""
        return media.media_folder(self.location, self.media_dir)

    def media_usage(self) -> media.MediaUsage | None:
        """The media folder and its size; None when none is configured (a server study)."""
        try:
            folder = self.media_folder()
        except ThematicaError:  # no folder configured: nothing to measure
            return None
        return media.usage(folder)

    def attach_recording(
        self, ref: str, file: Path, *, by: str, relink: bool = False
    ) -> media.Recording:
        """Link the recording ``file`` to transcript ``ref`` (a copy goes into the media
        folder); every refusal leaves the study and the folder as they were."""
        folder = self.media_folder()
        copied: Path | None = None
        try:
            with self._transaction() as session:
                tid = tx.resolve(session, ref)
                found, copied, replaced = media.attach(
                    session, tid, file, folder, by, relink=relink
                )
        except BaseException as exc:
            if copied is not None:
                copied.unlink(missing_ok=True)
            if isinstance(exc, IntegrityError):  # another member attached one at the same time
                raise ConflictError(
                    f"transcript {ref} was given a recording meanwhile; attach again with --relink"
                ) from None
            raise
        if replaced is not None:
            with self._session() as session:
                if not media.still_used(session, replaced):
                    replaced.unlink(missing_ok=True)
        return found

    def recordings(self, *, verify: bool = True) -> tuple[media.Recording, ...]:
        """Every recording with its file's status: ok, missing, or changed."""
        folder = self.media_folder()
        with self._session() as session:
            rows = session.scalars(select(RecordingRow).order_by(RecordingRow.transcript_id))
            return tuple(
                media.to_recording(r, media.status_of(folder, r, verify=verify)) for r in rows
            )

    def recording_of(self, ref: str, *, check: bool = False) -> media.Recording | None:
        """Transcript ``ref``'s recording as the study records it, or None; with ``check``, its
        status says whether the file is there (``missing``) and of the size recorded
        (``changed``), without reading it through."""
        with self._session() as session:
            row = media.find(session, tx.resolve(session, ref))
            if row is None:
                return None
            if not check:
                return media.to_recording(row)
            try:
                folder = self.media_folder()
            except ThematicaError:  # a server study with no folder configured: cannot be played
                return media.to_recording(row, "missing")
            return media.to_recording(row, media.status_of(folder, row, verify=False))

    def recording_file(self, ref: str) -> media.MediaFile:
        """The file of transcript ``ref``'s recording, its path built from the stored SHA-256."""
        with self._session() as session:
            tid = tx.resolve(session, ref)
            row = media.find(session, tid)
            if row is None:
                raise NotFoundError(f"transcript {tid} has no recording")
            folder = self.media_folder()
            path = media.stored_path(folder, row)
        if not path.is_file():
            raise NotFoundError(
                f"transcript {tid}: its recording is missing from {folder}; re-link it with "
                "thematica transcripts attach --relink"
            )
        return media.MediaFile(path, media.MIME[row.format], path.stat().st_size)


__all__ = ["MediaMethods"]
