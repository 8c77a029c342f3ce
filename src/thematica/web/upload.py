"""A multipart form's one file, written to disk as it arrives (issue 16: a recording can be
hundreds of MB). The body is never held in memory, nor spooled to the system's temporary
folder (often a RAM disk) as Starlette's ``request.form()`` would: each chunk is written to a
private file in the folder the caller gives, under the browser's file name reduced to a safe
base name, so the format check (by extension) and the name recorded both see the original's.
The other fields are short text (at most :data:`FIELD_LIMIT` bytes, :data:`MAX_FIELDS` of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from thematica import private_files
from thematica.errors import ThematicaError

FIELD_LIMIT = 1000
MAX_FIELDS = 8
NAME_LIMIT = 200
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


def safe_name(sent: str) -> str:
    """The browser's file name as a plain base name: no folders, no control or reserved
    characters, not hidden, at most :data:`NAME_LIMIT` characters, extension kept."""
    base = _UNSAFE.sub("_", sent.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if not base:
        return "recording"
    if len(base) > NAME_LIMIT:
        suffix = Path(base).suffix[:16]
        base = base[: NAME_LIMIT - len(suffix)] + suffix
    return base


@dataclass
class Upload:
    """What the form carried: its text fields, and the file (None when no file was chosen)."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None  # the safe base name
    path: Path | None = None
    size: int = 0


class _Parts:
    """The parser's callbacks: text fields into memory (bounded), the file's bytes queued for
    the caller to write between chunks (the callbacks run inside the event loop)."""

    def __init__(self, file_field: str, folder: Path, found: Upload) -> None:
        self.file_field, self.folder, self.found = file_field, folder, found
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.name = ""
        self.text: bytearray | None = None
        self.out: IO[bytes] | None = None
        self.pending: list[bytes] = []

    def on_part_begin(self) -> None:
        self.disposition, self.name, self.text = b"", "", None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.found.fields) >= MAX_FIELDS:
                raise ThematicaError("the form has too many fields")
            self.text = bytearray()
            return
        if self.name != self.file_field or self.found.path is not None:
            raise ThematicaError(f"the form must carry one file, as {self.file_field!r}")
        sent = options[b"filename"].decode("utf-8", "replace")
        if not sent:  # the file input was left empty
            self.text = bytearray()
            return
        self.found.filename = safe_name(sent)
        self.found.path = self.folder / self.found.filename
        private_files.create_empty(self.found.path)  # private from the moment it exists
        self.out = self.found.path.open("wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.text is not None:
            if len(self.text) + end - start > FIELD_LIMIT:
                raise ThematicaError(f"the form field {self.name!r} is too long")
            self.text += data[start:end]
        elif self.out is not None:
            self.pending.append(data[start:end])
            self.found.size += end - start

    def on_part_end(self) -> None:
        if self.text is not None and self.name != self.file_field:
            self.found.fields[self.name] = self.text.decode("utf-8", "replace")
        self.text = None

    def on_end(self) -> None:
        pass

    def flush(self) -> None:
        if self.out is not None and self.pending:
            self.out.writelines(self.pending)
        self.pending.clear()

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


async def receive_file(request: Request, file_field: str, folder: Path) -> Upload:
    """Read ``request``'s multipart body: the file sent as ``file_field`` goes into ``folder``
    (which the caller removes afterwards, whatever happens), the rest into ``fields``."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ThematicaError("send the recording as a file from the form (multipart/form-data)")
    found = Upload()
    parts = _Parts(file_field, folder, found)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": parts.on_part_begin,
            "on_part_data": parts.on_part_data,
            "on_part_end": parts.on_part_end,
            "on_header_field": parts.on_header_field,
            "on_header_value": parts.on_header_value,
            "on_header_end": parts.on_header_end,
            "on_headers_finished": parts.on_headers_finished,
            "on_end": parts.on_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if parts.pending:
                await run_in_threadpool(parts.flush)
        parser.finalize()
        await run_in_threadpool(parts.flush)
    except MultipartParseError:
        raise ThematicaError("the upload was cut off or is not a well-formed form") from None
    except ClientDisconnect:  # gone, or past the body limit (middleware.RECORDING_LIMIT)
        raise ThematicaError("the upload was cut off, or is larger than 4 GB") from None
    finally:
        parts.close()
    return found


__all__ = ["FIELD_LIMIT", "MAX_FIELDS", "Upload", "receive_file", "safe_name"]
