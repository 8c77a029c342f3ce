"""Small CSV files that say what the transcript files themselves do not.

* A manifest (``file,participant,date,interviewer``): per file, the participant label, the
  interview date (ISO or day/month/year) and the interviewer's speaker name. Rows naming files
  that are not being imported are ignored, so one manifest can serve a whole study.
* A speaker map (``file,speaker,role``): who is ``participant``, ``interviewer`` or ``other``;
  a blank ``file`` applies the row to every file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thematica.domain import SpeakerRole
from thematica.errors import InputError
from thematica.importers.guard import guarded
from thematica.importers.register import parse_date
from thematica.importers.table import read_records


@dataclass(frozen=True)
class ManifestEntry:
    participant: str | None
    interview_date: dt.date | None
    interviewer: str | None


@guarded
def read_manifest(data: bytes, source: str) -> dict[str, ManifestEntry]:
    entries: dict[str, ManifestEntry] = {}
    for number, rec in read_records(data, source, required={"file"}, kind="manifest"):
        name = rec["file"]
        if not name:
            raise InputError(source, "the 'file' value is empty", f"row {number}")
        if name in entries:
            raise InputError(source, f"the file {name!r} is listed twice", f"row {number}")
        when = None
        if rec.get("date"):
            try:
                when = parse_date(rec["date"])
            except ValueError:
                raise InputError(
                    source, f"{rec['date']!r} is not a date", f"row {number}"
                ) from None
        entries[name] = ManifestEntry(
            rec.get("participant") or None, when, rec.get("interviewer") or None
        )
    return entries


@guarded
def read_speaker_map(data: bytes, source: str) -> list[tuple[str | None, str, SpeakerRole]]:
    out: list[tuple[str | None, str, SpeakerRole]] = []
    for number, rec in read_records(data, source, required={"speaker", "role"}, kind="speaker map"):
        if not rec["speaker"]:
            raise InputError(source, "the 'speaker' value is empty", f"row {number}")
        try:
            role = SpeakerRole(rec["role"].lower())
        except ValueError:
            allowed = ", ".join(r.value for r in SpeakerRole)
            raise InputError(
                source, f"unknown role {rec['role']!r} (use {allowed})", f"row {number}"
            ) from None
        out.append((rec.get("file") or None, rec["speaker"], role))
    return out
