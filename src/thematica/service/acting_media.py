"""A bound member's recordings (part of :class:`~thematica.service.acting.MemberStudy`). Voices
identify people: only members who see original text (not readers, not anonymised-only members)
attach, list or receive recordings."""

from __future__ import annotations

from pathlib import Path

from thematica.errors import AccessDenied
from thematica.exchange.model import XProject
from thematica.service import media
from thematica.service.acting_rules import Rules


class MediaActing(Rules):
    def _require_recordings(self, what: str) -> None:
        if not self.can_code:
            raise AccessDenied(f"{self.name} is a reader and cannot {what}")
        self.require_originals(what)

    def attach_recording(self, ref: str, file: Path, *, relink: bool = False) -> media.Recording:
        """Link a recording to transcript ``ref`` in this member's name."""
        self._require_recordings("attach a recording")
        return self._service.attach_recording(
            str(self.resolve(ref)), file, by=self.name, relink=relink
        )

    def export_with_recordings(self, *, journal: bool = False) -> XProject:
        """The study for a REFI-QDA export with each transcript's recording (``qdpx export
        --media``): voices identify people, so not for readers or anonymised-only members."""
        self._require_recordings("export recordings")
        return self._service.export_project(journal=journal, media=True)

    @property
    def may_attach_recordings(self) -> bool:
        """Whether :meth:`attach_recording` would let this member (the workbench's upload form
        shows only then)."""
        return self.can_code and self.sees_originals

    def require_may_attach(self) -> None:
        """Refuse at once a member :meth:`attach_recording` would refuse (the workbench asks
        before it reads an upload of hundreds of MB)."""
        self._require_recordings("attach a recording")

    def playable_recording(self, ref: str, *, check: bool = False) -> media.Recording | None:
        """Transcript ``ref``'s recording if this member may hear it and there is one (for the
        transcript page's player); None otherwise, without a refusal. With ``check``, its
        status says whether the file is still in the media folder."""
        if not self.may_attach_recordings:
            return None
        return self._service.recording_of(str(self.resolve(ref)), check=check)

    def recording(self, ref: str) -> media.MediaFile:
        """The file of transcript ``ref``'s recording, for a member who may hear it."""
        self._require_recordings("receive a recording")
        return self._service.recording_file(str(self.resolve(ref)))


__all__ = ["MediaActing"]
