"""Encodings, line ends and garbage: every transcript reader sees canonical text or a clear error."""

from __future__ import annotations

import codecs
import contextlib
import os
import random

import pytest

from thematica.errors import InputError
from thematica.importers import read_transcript
from thematica.importers.encoding import decode_text

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Zoë Nguyễn>Café, naïve – “quoted” £5</v>\n"


@pytest.mark.parametrize(
    "encoded",
    [
        VTT.encode("utf-8"),
        codecs.BOM_UTF8 + VTT.encode("utf-8"),
        VTT.encode("utf-16"),  # with BOM
        VTT.encode("utf-16-le"),  # no BOM
        VTT.encode("utf-16-be"),  # no BOM
        VTT.replace("Zoë Nguyễn", "Zoë Ng").encode("cp1252"),
        VTT.replace("\n", "\r\n").encode("utf-8"),
        VTT.replace("\n", "\r").encode("utf-8"),
    ],
)
def test_encodings_and_line_ends_give_the_same_text(encoded: bytes) -> None:
    t = read_transcript(encoded, "enc.vtt")
    assert t.turns[0].text == "Café, naïve – “quoted” £5"
    assert t.turns[0].speaker in ("Zoë Nguyễn", "Zoë Ng")


def test_decomposed_unicode_is_normalised_to_nfc() -> None:
    assert decode_text("Zoe\u0308".encode(), "x.txt") == "Zo\u00eb"


def test_unknown_encoding_is_refused_with_position() -> None:
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8
    with pytest.raises(InputError, match=r"x.txt: unknown text encoding.*0x81 at position 3"):
        decode_text(b"abc\x81def", "x.txt")


def test_invalid_utf8_after_bom_is_refused() -> None:
    with pytest.raises(InputError, match=r"x.vtt: not valid UTF-8 text"):
        decode_text(codecs.BOM_UTF8 + b"WEBVTT \xff\xfe", "x.vtt")


@pytest.mark.parametrize(
    "name", ["garbage.vtt", "garbage.srt", "garbage.txt", "garbage.md", "garbage.docx"]
)
def test_binary_garbage_is_refused(name: str) -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(InputError) as err:
        read_transcript(data, name)
    assert str(err.value).startswith(f"{name}: ")


def test_control_characters_are_binary() -> None:
    with pytest.raises(InputError, match="binary file"):
        decode_text(b"WEBVTT\n" + b"\x01\x02\x03\x04" * 20, "x.vtt")


@pytest.mark.parametrize("name", ["e.vtt", "e.srt", "e.txt", "e.md"])
@pytest.mark.parametrize("data", [b"", b"   \n\n  ", codecs.BOM_UTF8])
def test_empty_files(name: str, data: bytes) -> None:
    with pytest.raises(InputError, match=f"^{name}: the file is empty"):
        read_transcript(data, name)


def test_random_bytes_never_crash_the_readers() -> None:
    rng = random.Random(42)
    for i in range(300):
        blob = rng.randbytes(rng.randint(0, 300))
        for suffix in (".vtt", ".srt", ".txt", ".md", ".docx"):
            with contextlib.suppress(InputError):
                read_transcript(b"WEBVTT\n\n" + blob if i % 2 else blob, f"r{suffix}")


def test_os_urandom_docx_is_refused() -> None:
    with pytest.raises(InputError, match="not a readable .docx"):
        read_transcript(b"PK\x03\x04" + os.urandom(200), "r.docx")


def test_stray_control_characters_are_dropped() -> None:
    assert decode_text(b"Hello\x1b there\x07, fine\tok\n", "x.txt") == "Hello there, fine\tok\n"
