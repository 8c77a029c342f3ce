"""Turn the bytes of a text file into canonical Python text.

Accepts UTF-8 with or without a BOM, UTF-16 (with a BOM, or without one when the NUL pattern is
unambiguous) and Windows-1252. Line ends (CRLF, CR) become LF and the text is put in Unicode NFC,
so that "Zoë" typed two ways is one name and offsets are stable. Anything else is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from thematica.errors import InputError

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# The characters of Unicode category Cc (C0, DEL and C1: a fixed set, stable across Unicode
# versions) other than the allowed white space, i.e. those counted as signs of a binary file.
# One C-level scan instead of a category lookup per character;
# tests/importers/test_control_scan.py checks it against unicodedata over every code point.
_COUNTED_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# The same for ASCII text, as the bytes to delete so that only the counted ones are left.
_NOT_COUNTED_BYTES = bytes(b for b in range(256) if _COUNTED_CONTROLS.match(chr(b)) is None)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_bomless_utf16(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data: bytes, source: str) -> str:
    """Decode ``data`` read from the file called ``source``; raise :class:`InputError` if it is
    empty, binary or in an encoding Thematica does not read."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    elif b"\x00" in data:
        guessed = _guess_bomless_utf16(data)
        if guessed is None:
            raise InputError(source, "this is a binary file, not text (it contains NUL bytes)")
        encoding, body = guessed, data
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8" or data.startswith(codecs.BOM_UTF8):
            raise InputError(
                source, f"not valid {encoding.upper()} text (byte {exc.start} cannot be decoded)"
            ) from None
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError as exc2:
            raise InputError(
                source,
                "unknown text encoding: not UTF-8, UTF-16 or Windows-1252 "
                f"(byte 0x{body[exc2.start]:02x} at position {exc2.start}); "
                "save the file as UTF-8 and import it again",
            ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(source, "the file is empty")
    controls = count_controls(text)
    if controls > max(2, len(text) // 1000):
        raise InputError(source, "this is a binary file, not text (it contains control characters)")
    # Stray control characters (an escape, a bell: never speech) are dropped, so the canonical
    # text holds nothing that XML (REFI-QDA, DOCX, XLSX) cannot carry.
    if "\r" in text:
        text = normalise_newlines(text)
    # Of the characters _CONTROLS removes, all but these four are counted in ``controls``.
    if controls or "\x0b" in text or "\x0c" in text or "\ufffe" in text or "\uffff" in text:
        text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def count_controls(text: str) -> int:
    """How many control characters (category Cc) ``text`` has, other than tab, line feed,
    carriage return, form feed and vertical tab."""
    if text.isascii():  # most transcripts: one pass over a byte copy, in C
        return len(text.encode("ascii").translate(None, _NOT_COUNTED_BYTES))
    if _COUNTED_CONTROLS.search(text) is None:
        return 0
    return len(_COUNTED_CONTROLS.findall(text))
