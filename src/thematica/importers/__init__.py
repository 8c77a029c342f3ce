"""Importers: pure functions from the bytes of a file to domain objects. No study, no SQL."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from thematica.domain import ParsedTranscript, ParsedTurn
from thematica.errors import InputError
from thematica.importers.encoding import decode_text
from thematica.importers.guard import guarded
from thematica.importers.plaintext import parse_plaintext
from thematica.importers.srt import parse_srt
from thematica.importers.vtt import parse_vtt

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".docx", ".txt", ".md", ".markdown")


def _dispatch(data: bytes, source: str) -> tuple[tuple[ParsedTurn, ...], str]:
    suffix = PurePath(source).suffix.lower()
    if suffix == ".docx" or (suffix not in TRANSCRIPT_SUFFIXES and data[:4] == b"PK\x03\x04"):
        from thematica.importers.docx import parse_docx  # python-docx loads only for .docx

        return parse_docx(data, source)
    if suffix == ".doc":
        raise InputError(source, "old Word .doc files are not supported; save it as .docx")
    text = decode_text(data, source)
    if suffix == ".vtt" or text.startswith("WEBVTT"):
        return parse_vtt(text, source)
    if suffix == ".srt":
        return parse_srt(text, source)
    if suffix in (".md", ".markdown"):
        return parse_plaintext(text, source, markdown=True), "markdown"
    if suffix == ".txt":
        return parse_plaintext(text, source), "text"
    raise InputError(
        source,
        f"unsupported file type {suffix or '(no extension)'!r}; "
        f"Thematica reads {', '.join(TRANSCRIPT_SUFFIXES)}",
    )


@guarded
def read_transcript(data: bytes, source: str) -> ParsedTranscript:
    """Parse one transcript file. ``source`` is its name, used for the format and in errors."""
    turns, fmt = _dispatch(data, source)
    if not turns:
        raise InputError(source, "the file has no speech in it")
    return ParsedTranscript(
        source_name=PurePath(source).name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_format=fmt,
        turns=turns,
    )


__all__ = ["TRANSCRIPT_SUFFIXES", "read_transcript"]
