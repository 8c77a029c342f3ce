"""A large synthetic study for benchmarks: Teams-style VTT interviews and a typed register.

Deterministic (seeded). Speech is drawn from a small clinical vocabulary in sentences of
varying length, split into cues the way Teams splits them, so the parser does real work.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

WORDS = [
    "the",
    "patient",
    "pain",
    "back",
    "knee",
    "shoulder",
    "mood",
    "low",
    "anxious",
    "sleep",
    "walking",
    "exercise",
    "referral",
    "appointment",
    "time",
    "waiting",
    "list",
    "confidence",
    "therapy",
    "goals",
    "graded",
    "activity",
    "home",
    "family",
    "work",
    "um",
    "er",
    "you",
    "know",
    "sort",
    "of",
    "really",
    "quite",
    "just",
    "I",
    "we",
    "they",
    "she",
    "he",
    "it",
    "was",
    "is",
    "were",
    "have",
    "had",
    "think",
    "feel",
    "felt",
    "said",
    "told",
    "asked",
    "because",
    "but",
    "and",
    "so",
    "then",
    "when",
    "what",
    "how",
    "why",
    "maybe",
    "perhaps",
    "often",
    "sometimes",
    "always",
    "never",
    "clinic",
    "service",
    "team",
    "GP",
    "physio",
    "OT",
    "mental",
    "health",
    "worry",
    "stress",
    "tired",
]
GROUPS = ("Physiotherapist", "Occupational therapist")
SETTINGS = ("Community MSK service", "Acute hospital", "Primary care", "Private practice")


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 22))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", ","))


def _clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def transcript(rng: random.Random, words: int) -> str:
    """One interview of about ``words`` words in Microsoft Teams WebVTT layout."""
    guid = uuid.UUID(int=rng.getrandbits(128))
    lines = ["WEBVTT", ""]
    written, utterance, ms = 0, 0, 3000
    speakers = ("Rachel Ames", "Participant Speaker")
    while written < words:
        speaker = speakers[utterance % 2]
        target = rng.randint(4, 15) if speaker == speakers[0] else rng.randint(40, 160)
        said: list[str] = []
        while sum(len(s.split()) for s in said) < target:
            said.append(_sentence(rng))
        chunk = " ".join(said).split()
        for k in range(0, len(chunk), 30):
            piece = chunk[k : k + 30]
            duration = int(len(piece) / 2.5 * 1000)
            lines += [
                f"{guid}/{utterance}-{k // 30}",
                f"{_clock(ms)} --> {_clock(ms + duration)}",
                f"<v {speaker}>{' '.join(piece)}</v>",
                "",
            ]
            ms += duration
        written += len(chunk)
        utterance += 1
        ms += rng.randint(300, 2000)
    return "\n".join(lines)


def register(n: int, rng: random.Random) -> str:
    header = (
        "label,group,age:integer,gender,years_qualified:integer,setting,nhs_band:integer,"
        "mh_training:boolean,fte:float,caseload:integer,region,interviewed:date"
    )
    rows = [header]
    for i in range(1, n + 1):
        age = rng.randint(24, 62)
        rows.append(
            f"P {i},{rng.choice(GROUPS)},{age},{rng.choice(('Female', 'Male', 'Non-binary'))},"
            f"{rng.randint(1, age - 22)},{rng.choice(SETTINGS)},{rng.randint(5, 8)},"
            f"{rng.choice(('yes', 'no'))},{rng.choice((0.6, 0.8, 1.0))},{rng.randint(10, 60)},"
            f"Region {rng.randint(1, 9)},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    return "\n".join(rows) + "\n"


def generate(folder: Path, transcripts: int, words: int, seed: int = 2026) -> Path:
    """Write the study's files into ``folder`` (once; a marker file records the parameters)."""
    marker = folder / f".complete-{transcripts}x{words}-{seed}"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    (folder / "register.csv").write_text(register(transcripts, rng), encoding="utf-8")
    interviews = folder / "interviews"
    interviews.mkdir(exist_ok=True)
    for i in range(1, transcripts + 1):
        (interviews / f"p-{i:04d}.vtt").write_text(transcript(rng, words), encoding="utf-8")
    marker.write_text("ok\n")
    return folder
