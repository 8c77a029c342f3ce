"""The service layer: one :class:`StudyService` per opened study."""

from thematica.service.coding_edits import CodingChange
from thematica.service.core import StudyService
from thematica.service.transcripts import ImportFailure, ImportReport, TranscriptSource

__all__ = ["CodingChange", "ImportFailure", "ImportReport", "StudyService", "TranscriptSource"]
