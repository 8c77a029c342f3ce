"""Recordings in REFI-QDA: a transcript with its recording as an ``AudioSource`` or
``VideoSource``, written and read.

Export (``qdpx export --media``)
    A source whose :attr:`XSource.media` is set is written as an ``AudioSource`` (a
    ``VideoSource`` for MP4 and WebM) instead of a ``TextSource``. Its recording is stored in
    the archive as ``sources/<source guid>.<ext>`` (``path="internal://<guid>.<ext>"``, as the
    standard's own example does), copied from disk in 1 MB chunks and stored uncompressed; its
    SHA-256 is checked while copying. The text is one ``<Transcript>``
    (``plainTextPath="internal://<transcript guid>.txt"``, UTF-8, the text exactly as Thematica
    holds it). The transcript carries:

    * a ``SyncPoint`` (``timeStamp`` in ms, ``position`` in code points, as every position
      Thematica writes) at each turn's start that has a time, and one at the last timed
      turn's end;
    * the codings as ``TranscriptSelection`` elements, one per distinct span (as in a text
      source) with one ``Coding`` per coder; a selection runs ``fromSyncPoint`` to
      ``toSyncPoint``. The schema has no other way to say where a transcript selection is, so a
      coding boundary where no turn starts gets its own ``SyncPoint`` with a ``position`` and
      no ``timeStamp`` (both are optional in the schema; no time is made up);
    * the turns and interview date as Thematica's ``thematica:{...}`` line in the Transcript's
      ``Description`` (as a TextSource has them); the recording's original file name in the
      AudioSource's ``Description`` as ``thematica:{"recording": NAME}``.

Import
    An ``AudioSource``/``VideoSource`` with a ``Transcript`` whose text is in the archive is
    read as a text source: its first transcript's text (any further transcripts and coded time
    spans, ``AudioSelection``, are listed as skipped), its ``TranscriptSelection`` codings (the
    positions of their sync points, counted in the unit detected for the project), and turns:
    Thematica's own from the ``Description``, else one turn from each timed sync point to the
    next (sync points inside a line, such as QualCoder's at coding boundaries, do not start
    turns). The recording is taken when ``path`` is ``internal://``; a path with a folder, ``..``
    or a drive is refused as a zip-slip; a recording outside the archive (``relative://``,
    ``absolute://``) is noted in :attr:`XProject.media_skipped` and the transcript imported
    without it. The recording is unpacked in chunks under the archive's limits
    (:func:`extract`) and attached by the service with every check ``transcripts attach``
    makes.
"""

from __future__ import annotations

import hashlib
import time
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from lxml import etree

from thematica.domain import SpeakerRole
from thematica.exchange.model import XCoding, XMedia, XSource, XTurn
from thematica.exchange.refi_safety import Archive, ExchangeError, local_name
from thematica.exchange.refi_write import _datetime, _gid, _json, _x, derived_guid, source_extras
from thematica.exchange.refi_xml import EXTRA_PREFIX, _child, _children, _local, _text_of, _where
from thematica.importers.limits import MAX_TIME_MS

if TYPE_CHECKING:
    from thematica.exchange.refi_read import _ProjectReader, _Selection, _Source
    from thematica.exchange.refi_write import _Writer

CHUNK = 1 << 20


def transcript_guid(src: XSource) -> str:
    return derived_guid("transcript", src.guid)


def media_member(src: XSource) -> str:
    assert src.media is not None
    return f"sources/{_gid(src.guid)}.{src.media.format}"


# --------------------------------------------------------------------------- export


def _sync_points(src: XSource) -> tuple[list[tuple[str, int, int | None]], dict[int, str]]:
    """(guid, position, ms) of each sync point in position order, and the guid to use for a
    selection boundary at each position."""
    timed: dict[int, int] = {}
    for turn in src.turns:
        if turn.start_ms is not None:
            timed.setdefault(turn.start, turn.start_ms)
    last = next((t for t in reversed(src.turns) if t.end_ms is not None), None)
    if last is not None:
        timed.setdefault(last.end, last.end_ms)  # type: ignore[arg-type]
    points: dict[int, tuple[str, int | None]] = {
        pos: (derived_guid("sync", src.guid, str(pos), str(ms)), ms) for pos, ms in timed.items()
    }
    for c in src.codings:
        for pos in (c.start, c.end):
            if pos not in points:
                points[pos] = (derived_guid("sync", src.guid, str(pos)), None)
    ordered = [(guid, pos, ms) for pos, (guid, ms) in sorted(points.items())]
    return ordered, {pos: guid for guid, pos, _ in ordered}


def write_source(w: _Writer, src: XSource) -> None:
    """``src`` as an AudioSource or VideoSource holding its transcript (see the module)."""
    media = src.media
    assert media is not None
    guid = _gid(src.guid)
    spans: dict[tuple[int, int], list[XCoding]] = {}
    for c in src.codings:
        if not 0 <= c.start <= c.end <= len(src.text):
            raise w.error(
                f"coding {c.guid} ({c.start}-{c.end}) lies outside the text of {src.name!r}"
            )
        spans.setdefault((c.start, c.end), []).append(c)
    points, at = _sync_points(src)
    tag = "VideoSource" if media.kind == "video" else "AudioSource"
    with w.el(tag, guid=guid, name=_x(src.name), path=f"internal://{guid}.{media.format}"):
        if media.name:
            w.leaf("Description", EXTRA_PREFIX + _json({"recording": _x(media.name)}))
        tguid = transcript_guid(src)
        with w.el(
            "Transcript", guid=tguid, name=_x(src.name), plainTextPath=f"internal://{tguid}.txt"
        ):
            extras = source_extras(src)
            if extras:
                w.leaf("Description", extras)
            for sync, pos, ms in points:
                w.leaf(
                    "SyncPoint",
                    guid=sync,
                    timeStamp=str(ms) if ms is not None else None,
                    position=str(pos),
                )
            for (start, end), codings in sorted(spans.items()):
                users = {c.user for c in codings}
                user = users.pop() if len(users) == 1 else None
                with w.el(
                    "TranscriptSelection",
                    guid=derived_guid("selection", src.guid, str(start), str(end)),
                    fromSyncPoint=at[start],
                    toSyncPoint=at[end],
                    creatingUser=_gid(user) if user else None,
                ):
                    for c in codings:
                        with w.el(
                            "Coding",
                            guid=_gid(c.guid),
                            creatingUser=_gid(c.user) if c.user else None,
                            creationDateTime=_datetime(c.created) if c.created else None,
                        ):
                            w.leaf("CodeRef", targetGUID=_gid(c.code))
                            w.refs(c.guid)
        w.refs(src.guid)


def copy_into(archive: zipfile.ZipFile, src: XSource) -> None:
    """Store ``src``'s transcript text and its recording in ``archive``: the recording read
    from disk in chunks (never whole in memory), stored as it is, its SHA-256 checked."""
    media = src.media
    assert media is not None
    archive.writestr(
        f"sources/{transcript_guid(src)}.txt", src.text.encode("utf-8", errors="replace")
    )
    path = Path(media.path)
    try:
        size = path.stat().st_size
        info = zipfile.ZipInfo(media_member(src), date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        digest = hashlib.sha256()
        with path.open("rb") as fh, archive.open(info, "w", force_zip64=size > 1 << 31) as out:
            while block := fh.read(CHUNK):
                digest.update(block)
                out.write(block)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExchangeError(
            str(path), f"the recording cannot be copied into the project ({reason})"
        ) from None
    if media.sha256 and digest.hexdigest() != media.sha256:
        raise ExchangeError(
            str(path),
            "the recording has changed since it was attached (its SHA-256 differs); re-link it "
            "with thematica transcripts attach --relink",
        )


# --------------------------------------------------------------------------- import


def read_source(reader: _ProjectReader, element: etree._Element) -> _Source | None:
    """An AudioSource/VideoSource as a text source with its recording, or None (the caller
    lists it as skipped) when it has no transcript with plain text."""
    from thematica.exchange.refi_read import _Source

    kind = local_name(element.tag)
    guid = _guid_of(reader, element, kind)
    name = element.get("name") or guid
    found: _Source | None = None
    for transcript in _children(element, "Transcript"):
        raw = reader.source_text(transcript, name)
        if raw is None:
            continue
        if found is not None:
            reader.skipped.append(f"{name}: {transcript.get('name') or 'another transcript'}")
            continue
        found = _Source(guid, name, raw, {}, element.sourceline)
        _transcript(reader, transcript, found)
    if found is None:
        return None
    description = _text_of(_child(element, "Description"))
    recording = reader.source_extras(description, element, name).get("recording")
    spans = 0
    for child in element:
        local = _local(child.tag)
        if local == "Coding":
            found.whole.append(reader.coding(child, None))
        elif local == "NoteRef":
            reader._note_ref(child, "source", guid)
        elif local in ("AudioSelection", "VideoSelection"):
            spans += 1
    if spans:
        reader.skipped.append(f"{name}: {spans} coded time spans ({kind[:5]}Selection)")
    found.media = _media(reader, element, name, "video" if kind == "VideoSource" else "audio")
    if found.media is not None and isinstance(recording, str) and recording.strip():
        found.media = replace(found.media, name=recording.strip())
    return found


def _guid_of(reader: _ProjectReader, element: etree._Element, kind: str) -> str:
    from thematica.exchange.refi_xml import _guid

    return _guid(element, reader.source, kind)


def _transcript(reader: _ProjectReader, transcript: etree._Element, found: _Source) -> None:
    from thematica.exchange.refi_read import _integer, _Selection

    name = found.name
    syncs: dict[str, int] = {}
    for child in transcript:
        local = _local(child.tag)
        if local == "Description":
            found.extras = reader.source_extras(_text_of(child), transcript, name)
        elif local == "NoteRef":
            reader._note_ref(child, "source", found.guid)
        elif local == "SyncPoint" and child.get("position") is not None:  # both optional
            what = f"a sync point in {name!r}"
            sync = _guid_of(reader, child, "sync point")
            syncs[sync] = _integer(child, "position", reader.source, what)
            if child.get("timeStamp") is not None:
                ms = _integer(child, "timeStamp", reader.source, what)
                if not 0 <= ms < MAX_TIME_MS:
                    raise ExchangeError(
                        reader.source, f"timeStamp {ms} is out of range", _where(child, what)
                    )
                found.syncs.append((syncs[sync], ms))
        elif local == "TranscriptSelection":
            found.selections.append(_selection(reader, child, syncs, name, _Selection))


def _selection(
    reader: _ProjectReader,
    element: etree._Element,
    syncs: dict[str, int],
    name: str,
    make: type[_Selection],
) -> _Selection:
    from thematica.exchange.refi_safety import norm_guid

    what = f"a selection in {name!r}"
    ends = []
    for attribute in ("fromSyncPoint", "toSyncPoint"):
        ref = norm_guid(element.get(attribute))
        if ref not in syncs:
            problem = f"names the sync point {ref}, which" if ref else "has no"
            raise ExchangeError(
                reader.source,
                f"a transcript selection {problem} {attribute} in this transcript",
                _where(element, what),
            )
        ends.append(syncs[ref])
    selection = make(
        guid=_guid_of(reader, element, "selection"),
        start=ends[0],
        end=ends[1],
        name=element.get("name") or "",
        description="",
        line=element.sourceline,
    )
    reader.fill_selection(element, selection)
    return selection


def _media(reader: _ProjectReader, element: etree._Element, name: str, kind: str) -> XMedia | None:
    path = (element.get("path") or "").strip()
    scheme, sep, rest = path.partition("://")
    if not path or (sep and scheme.lower() != "internal"):
        where = f"stored outside the project ({path})" if path else "no recording file named"
        reader.media_skipped.append(f"{name}: {where}")
        return None
    file_name = rest if sep else path
    pure = PurePosixPath(file_name.replace("\\", "/"))
    if len(pure.parts) != 1 or pure.name.startswith(".") or ":" in file_name:
        raise ExchangeError(
            reader.source,
            f"refused: the recording path {path!r} of {name!r} points outside the project's "
            "sources (a folder, '..' or a drive; a zip-slip attack)",
            _where(element, f"source {name!r}"),
        )
    member = reader.archive.find_source(pure.name) if reader.archive is not None else None
    if member is None:
        raise ExchangeError(
            reader.source,
            f"{name!r} refers to the recording {path}, which is not in the project archive",
            _where(element, f"source {name!r}"),
        )
    return XMedia(kind, member, pure.suffix.lower().lstrip("."), pure.name)


def turns_from_syncs(text: str, syncs: list[tuple[int, int]]) -> tuple[XTurn, ...]:
    """One turn from each timed sync point (canonical code points) at the start of a line to
    the next, its white space at the end left out; any text before the first is an untimed
    turn. Sync points inside a line do not start turns: QualCoder, for one, puts them at its
    codings' boundaries with the time of the timestamp before. Fewer than two at line starts:
    no turns (the caller splits the text into paragraphs)."""
    points: dict[int, int] = {}
    for pos, ms in sorted(syncs):
        if pos == 0 or (0 < pos <= len(text) and text[pos - 1] == "\n"):
            points.setdefault(pos, ms)
    ordered = sorted(points.items())
    if len(ordered) < 2:
        return ()
    role = SpeakerRole.PARTICIPANT.value
    turns: list[XTurn] = []

    def end_of(start: int, end: int) -> int:
        while end > start and text[end - 1].isspace():
            end -= 1
        return end

    if ordered[0][0] > 0 and text[: ordered[0][0]].strip():
        turns.append(XTurn("", role, 0, end_of(0, ordered[0][0])))
    for i, (pos, ms) in enumerate(ordered):
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        end = end_of(pos, following[0] if following else len(text))
        if end > pos:
            turns.append(XTurn("", role, pos, end, ms, following[1] if following else None))
    return tuple(turns)


def extract(data: bytes, source: str, member: str, out: BinaryIO) -> None:
    """Unpack the archive member ``member`` of the .qdpx ``data`` into ``out`` in chunks,
    under the archive's limits (a decompression bomb is refused part way)."""
    Archive(data, source).copy_to(member, out)


__all__ = [
    "copy_into",
    "extract",
    "read_source",
    "transcript_guid",
    "turns_from_syncs",
    "write_source",
]
