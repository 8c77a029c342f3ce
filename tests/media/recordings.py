"""Recordings the media tests make for themselves (never downloaded): a WAV synthesised with
numpy, a truncated one, random bytes named .mp3; and a study whose transcripts have timestamps."""

from __future__ import annotations

import wave
from functools import partial
from pathlib import Path

import numpy as np

from thematica.domain import MemberRole
from thematica.importers.register import read_register
from thematica.service import StudyService, TranscriptSource

LEAD, CODER, READER, ANON = "Rachel Ames", "Tom Okafor", "Helen Marsh", "Ann Only"


def wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A mono 16-bit WAV of a 440 Hz tone lasting ``seconds``."""
    t = np.arange(int(seconds * rate)) / rate
    samples = (np.sin(2 * np.pi * 440 * t) * 12000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def truncated(path: Path, seconds: float = 4.0) -> Path:
    """A WAV cut off half way through its audio (its header still declares all of it)."""
    whole = wav(path, seconds).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def not_audio(path: Path) -> Path:
    path.write_bytes(np.random.default_rng(16).bytes(20_000))
    return path


def vtt(last_seconds: int) -> bytes:
    """A two-turn WebVTT transcript whose last timestamp is ``last_seconds``."""
    end = f"00:{last_seconds // 60:02d}:{last_seconds % 60:02d}.000"
    return (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Interviewer>How is your back?</v>\n\n"
        f"00:00:01.500 --> {end}\n<v Pat>It keeps me awake at night.</v>\n"
    ).encode()


def build(study: StudyService) -> StudyService:
    """P1 runs to 4 s, P2 to 30 s; a lead, a coder, a reader and an anonymised-only coder."""
    register = b"label,group\nP1,Physio\nP2,Physio\n"
    study.import_register(read_register(register, "r.csv"), source="r.csv")
    study.add_team_member(LEAD, MemberRole.LEAD)
    study.add_team_member(CODER, MemberRole.CODER)
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(ANON, MemberRole.CODER, anonymised_only=True)
    study.import_transcripts(
        [
            TranscriptSource("p1.vtt", partial(vtt, 4), participant="P1"),
            TranscriptSource("p2.vtt", partial(vtt, 30), participant="P2"),
        ]
    )
    return study


def _element(ident: bytes, body: bytes) -> bytes:
    """An EBML element with an 8-byte size."""
    return ident + ((0x01 << 56) | len(body)).to_bytes(8, "big") + body


def webm(path: Path, seconds: float, *, cut: bool = False) -> Path:
    """A minimal WebM: EBML header (DocType webm), a Segment with Info (TimecodeScale 1 ms,
    Duration) and a Cluster of filler bytes; ``cut`` drops the file's second half."""
    import struct

    header = _element(b"\x1a\x45\xdf\xa3", _element(b"\x42\x82", b"webm"))
    info = _element(
        b"\x15\x49\xa9\x66",
        _element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
        + _element(b"\x44\x89", struct.pack(">d", seconds * 1000)),
    )
    cluster = _element(b"\x1f\x43\xb6\x75", bytes(4000))
    data = header + _element(b"\x18\x53\x80\x67", info + cluster)
    path.write_bytes(data[: len(data) // 2] if cut else data)
    return path
