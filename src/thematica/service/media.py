"""Recordings linked to transcripts: where the media folder is, reading a recording (``mutagen``,
no ffmpeg), the checks before anything is copied, and the copy named by its SHA-256.

The media stays outside the database. A SQLite study ``msk.thematica`` keeps it in
``msk.thematica-media/`` beside it; a team server (PostgreSQL) needs a folder given with
``--media-dir`` or ``THEMATICA_MEDIA_DIR``. Files are named ``<sha256>.<extension>`` and made
private like the study (0600 in a 0700 folder). Every refusal is one line naming the file and
comes before the folder or the study is touched."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from thematica import private_files
from thematica.errors import ConflictError, InputError, ThematicaError
from thematica.service import audit
from thematica.storage.database import sqlite_path
from thematica.storage.models import RecordingRow, TranscriptRow, TurnRow

MEDIA_ENV = "THEMATICA_MEDIA_DIR"
# extension -> (format name, MIME type)
FORMATS: dict[str, tuple[str, str]] = {
    ".wav": ("wav", "audio/wav"),
    ".mp3": ("mp3", "audio/mpeg"),
    ".m4a": ("m4a", "audio/mp4"),
    ".aac": ("aac", "audio/aac"),
    ".ogg": ("ogg", "audio/ogg"),
    ".oga": ("ogg", "audio/ogg"),
    ".opus": ("opus", "audio/ogg"),
    ".webm": ("webm", "video/webm"),
    ".mp4": ("mp4", "video/mp4"),
}
MIME = dict(FORMATS.values())
# what mutagen must find inside a file of each type (its class names), and what to call it
_OGG = frozenset({"OggVorbis", "OggOpus", "OggFLAC", "OggSpeex"})
CONTENT: dict[str, frozenset[str]] = {
    ".wav": frozenset({"WAVE"}),
    ".mp3": frozenset({"MP3", "EasyMP3"}),
    ".m4a": frozenset({"MP4", "EasyMP4"}),
    ".mp4": frozenset({"MP4", "EasyMP4"}),
    ".aac": frozenset({"AAC"}),
    ".ogg": _OGG,
    ".oga": _OGG,
    ".opus": frozenset({"OggOpus"}),
}
_KINDS = {"WAVE": "WAV", "MP3": "MP3", "EasyMP3": "MP3", "MP4": "MP4/M4A", "EasyMP4": "MP4/M4A"}
SHORTER_SLACK_MS = 60_000  # a recording more than 60 s ...
SHORTER_SLACK_SHARE = 0.10  # ... or 10 % shorter than the transcript is refused
MAX_DURATION_MS = 500 * 3600 * 1000  # within a 32-bit column; far beyond any interview
SHA = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Recording:
    """A transcript's recording as the study records it, and whether its file is there."""

    transcript_id: int
    sha256: str
    format: str
    duration_ms: int
    size_bytes: int
    original_name: str
    attached_by: str
    attached_at: dt.datetime
    status: str = "ok"  # ok | missing | changed (size or content differs)


@dataclass(frozen=True)
class MediaFile:
    """What the workbench streams: the file (its path comes from the stored SHA-256), its type
    and size."""

    path: Path
    mime: str
    size: int


@dataclass(frozen=True)
class MediaUsage:
    folder: str
    files: int
    bytes: int


def media_folder(location: str, override: str | Path | None = None) -> Path:
    """The study's media folder: ``override``, else ``THEMATICA_MEDIA_DIR``, else beside a
    SQLite study file (``STUDY.thematica-media``)."""
    chosen = override or os.environ.get(MEDIA_ENV)
    if chosen:
        return Path(chosen)
    path = sqlite_path(location)
    if path is None:
        raise ThematicaError(
            "a study on a database server keeps its recordings in a folder given with "
            f"--media-dir or {MEDIA_ENV}"
        )
    name = path.name + ("-media" if path.name.endswith(".thematica") else ".thematica-media")
    return path.with_name(name)


def usage(folder: Path) -> MediaUsage:
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return MediaUsage(str(folder), len(files), sum(p.stat().st_size for p in files))


def _wav_truncated(path: Path) -> bool:
    """Whether a RIFF/WAVE file ends before the chunks it declares (mutagen reads the header
    only, so a cut-off file would pass with the full duration)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return True
        pos = 12
        while pos + 8 <= size:
            fh.seek(pos)
            chunk_id, length = struct.unpack("<4sI", fh.read(8))
            end = pos + 8 + length
            if end > size:
                return True
            if chunk_id == b"data":
                return False
            pos = end + (length & 1)
    return True  # no data chunk


def probe(path: Path) -> tuple[str, int]:
    """``path``'s format and duration (ms), or one line saying why it cannot be attached."""
    fmt, found = _probe(path)
    if found > MAX_DURATION_MS:
        raise InputError(str(path), "the recording claims to last over 500 hours: damaged")
    return fmt, found


def _probe(path: Path) -> tuple[str, int]:
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if not path.is_file():
        raise InputError(name, "is not a file")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(sorted({s.lstrip(".").upper() for s in FORMATS}))
        raise InputError(name, f"unsupported type {suffix or '(none)'!r} (use {allowed})")
    if suffix == ".webm":  # mutagen does not read Matroska
        return FORMATS[suffix][0], _webm(path)
    import mutagen

    try:
        found = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError, struct.error, EOFError) as exc:
        raise InputError(
            name,
            f"not a readable {suffix} recording: not audio, damaged or truncated "
            f"({type(exc).__name__})",
        ) from None
    if found is None or getattr(found, "info", None) is None:
        raise InputError(name, f"not an audio or video recording, though named {suffix}")
    kind = type(found).__name__
    if kind not in CONTENT[suffix]:
        called = _KINDS.get(kind, kind.replace("Ogg", "Ogg ").replace("AAC", "raw AAC"))
        raise InputError(name, f"its content is {called}, though it is named {suffix}")
    length = float(getattr(found.info, "length", 0) or 0)
    if not math.isfinite(length) or length <= 0:
        raise InputError(name, "the recording has no duration (empty or damaged)")
    if suffix == ".wav" and _wav_truncated(path):
        raise InputError(name, "the recording is truncated (the file ends before its audio)")
    from thematica.service.media_truncation import truncated

    cut = truncated(path)
    if cut is not None:
        raise InputError(name, f"the recording is truncated ({cut})")
    return FORMATS[suffix][0], round(length * 1000)


def _webm(path: Path) -> int:
    from thematica.service import webm

    try:
        with path.open("rb") as fh:
            found = webm.duration_ms(fh, path.stat().st_size)
    except (webm.NotWebm, struct.error) as exc:
        reason = exc if isinstance(exc, webm.NotWebm) else "damaged"
        raise InputError(str(path), f"not a readable .webm recording: {reason}") from None
    if found <= 0:
        raise InputError(str(path), "the recording has no duration (empty or damaged)")
    return found


def last_timestamp_ms(session: Session, tid: int) -> int:
    """The transcript's last timestamp: its turns' latest time, or its recorded duration."""
    latest = session.scalar(
        select(func.max(func.coalesce(TurnRow.end_ms, TurnRow.start_ms))).where(
            TurnRow.transcript_id == tid
        )
    )
    row = session.get(TranscriptRow, tid)
    return max(latest or 0, (row.duration_ms if row else None) or 0)


def check_length(name: str, duration_ms: int, last_ms: int) -> None:
    """Refuse a recording much shorter than the transcript: more than 60 s or 10 % short."""
    slack = min(SHORTER_SLACK_MS, int(last_ms * SHORTER_SLACK_SHARE))
    if last_ms and duration_ms < last_ms - max(slack, 1000):
        raise InputError(
            name,
            f"the recording lasts {_clock(duration_ms)} but the transcript runs to "
            f"{_clock(last_ms)}; it is not this interview's recording, or it is cut short",
        )


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def copy_in(source: Path, folder: Path) -> tuple[str, Path, bool]:
    """Copy ``source`` into ``folder`` as ``<sha256><ext>`` (private); its hash, the stored path
    and whether the file is new (False: the same recording was there already)."""
    private_files.make_folder(folder)
    digest = hashlib.sha256()
    partial = folder / f".incoming-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        with source.open("rb") as src, private_files.open_private(partial) as out:
            while block := src.read(CHUNK):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = folder / f"{sha}{_suffix(FORMATS[source.suffix.lower()][0])}"
        if target.exists():
            partial.unlink()
            return sha, target, False
        partial.replace(target)
        return sha, target, True
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _suffix(fmt: str) -> str:
    """The one file extension a format is stored under (``.oga`` is stored as ``.ogg``)."""
    return next(s for s, (name, _) in FORMATS.items() if name == fmt)


def stored_path(folder: Path, row: RecordingRow) -> Path:
    """The file of ``row``: built from its SHA-256 and format only, never from a request."""
    if not SHA.fullmatch(row.sha256):
        raise ThematicaError(f"recording of transcript {row.transcript_id}: damaged reference")
    return folder / f"{row.sha256}{_suffix(row.format)}"


def _sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def status_of(folder: Path, row: RecordingRow, *, verify: bool = True) -> str:
    path = stored_path(folder, row)
    if not path.is_file():
        return "missing"
    if path.stat().st_size != row.size_bytes or (verify and _sha_of(path) != row.sha256):
        return "changed"
    return "ok"


def to_recording(row: RecordingRow, status: str = "ok") -> Recording:
    at = row.attached_at if row.attached_at.tzinfo else row.attached_at.replace(tzinfo=dt.UTC)
    return Recording(
        row.transcript_id,
        row.sha256,
        row.format,
        row.duration_ms,
        row.size_bytes,
        row.original_name,
        row.attached_by,
        at,
        status,
    )


_RECORDING = select(RecordingRow).where(
    RecordingRow.transcript_id == bindparam("transcript", type_=Integer)
)


def find(session: Session, tid: int) -> RecordingRow | None:
    return session.scalar(_RECORDING, {"transcript": tid})


def attach(
    session: Session,
    tid: int,
    source: Path,
    folder: Path,
    by: str,
    *,
    relink: bool = False,
) -> tuple[Recording, Path | None, Path | None]:
    """Link ``source`` to transcript ``tid`` in ``session``: every check first, then the copy.
    Returns the recording, the file copied in (to remove if the transaction fails) and the old
    file it replaced (to remove once committed, when nothing else uses it)."""
    fmt, duration_ms = probe(source)
    existing = find(session, tid)
    if existing is not None and not relink:
        raise ConflictError(
            f"transcript {tid} already has a recording ({existing.original_name}); "
            "attach again with --relink to replace it"
        )
    check_length(str(source), duration_ms, last_timestamp_ms(session, tid))
    sha, path, new = copy_in(source, folder)
    old = stored_path(folder, existing) if existing is not None else None
    row = existing or RecordingRow(transcript_id=tid)
    row.sha256, row.format, row.duration_ms = sha, fmt, duration_ms
    row.size_bytes, row.original_name = path.stat().st_size, source.name[:500]
    row.attached_by, row.attached_at = by, dt.datetime.now(dt.UTC)
    if existing is None:
        session.add(row)
    audit.record(
        session,
        actor=by,
        action="transcript.recording.relink" if existing is not None else "transcript.recording",
        target=f"transcript {tid}",
        details={
            "transcript_id": tid,
            "sha256": sha,
            "format": fmt,
            "duration_ms": duration_ms,
            "bytes": row.size_bytes,
        },
    )
    session.flush()
    replaced = old if old is not None and old != path else None
    return to_recording(row), path if new else None, replaced


def still_used(session: Session, path: Path) -> bool:
    sha = path.name.split(".", 1)[0]
    return bool(session.scalar(select(func.count()).where(RecordingRow.sha256 == sha)))


__all__ = [
    "FORMATS",
    "MEDIA_ENV",
    "MIME",
    "MediaFile",
    "MediaUsage",
    "Recording",
    "attach",
    "check_length",
    "media_folder",
    "probe",
    "usage",
]
