"""Shared steps for every transcript importer: speaker prefixes, cleaning and merging turns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from thematica.domain import ParsedTurn

_SPACES = re.compile(r"[ \t\u00a0]+")
# "Name: text" as Zoom, MTS-Dialog and many hand-typed transcripts write it. The name is short,
# has no sentence punctuation and may carry a title or a bracketed role: "Dr. Chen (SL)".
_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?(?P<name>[^\s:*\[\]][^:*\n]{0,48}?)\s*(?:\*\*|__)?\s*:(?:\*\*|__)?[ \t]*"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
_BRACKET_PREFIX = re.compile(r"^\s*\[(?P<name>[^\[\]\n]{1,40})\]\s*(?P<rest>.*)$", re.DOTALL)
_SENTENCE_MARK = re.compile(r"[.!?,;\"“”]\s|[!?;\"“”]$")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sr|Jr|St|Revd?|[A-Z])\.")


class Segment(NamedTuple):
    """One timed piece of speech before consecutive pieces by one speaker are merged (a named
    tuple: a transcript has tens of thousands of them)."""

    speaker: str | None
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


def _collapse(line: str) -> str:
    """One line with its runs of spaces and tabs made one space, trimmed."""
    if "  " in line or "\t" in line or "\u00a0" in line:
        line = _SPACES.sub(" ", line)
    # otherwise every run is one space already, which the substitution would leave as it is
    return line.strip()


def clean(text: str) -> str:
    """Collapse runs of spaces and tabs and trim each line."""
    if "\n" not in text:
        return _collapse(text)
    lines = (_collapse(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def join_lines(text: str) -> str:
    """Caption line breaks are display breaks, not speech: join the lines with a space."""
    if "\n" not in text:
        return _collapse(text)
    lines = (_collapse(line) for line in text.split("\n"))
    return " ".join(line for line in lines if line)


def _candidate(text: str) -> tuple[str, str] | None:
    for pattern in (_BRACKET_PREFIX, _PREFIX):
        match = pattern.match(text)
        if match is None:
            continue
        name = match.group("name").strip()
        words = name.split()
        if not words or len(words) > 5 or not name[0].isalpha():
            continue
        if _SENTENCE_MARK.search(_ABBREVIATION.sub("", name)):
            continue
        if "://" in text[: match.end("name") + 3]:
            continue
        return name, match.group("rest")
    return None


def split_prefixes(texts: Sequence[str]) -> list[tuple[str | None, str]]:
    """Split "Name: text" prefixes off each text where the file really uses that style.

    A prefix counts as a speaker name only when that same name opens at least two texts (or the
    file is tiny): "Note: ..." once in a long answer is speech, not a speaker. Texts whose prefix
    is not accepted are returned whole with speaker ``None``.
    """
    candidates = [_candidate(t) for t in texts]
    counts = Counter(c[0] for c in candidates if c is not None)
    tiny = len(texts) < 4
    out: list[tuple[str | None, str]] = []
    for text, cand in zip(texts, candidates, strict=True):
        if cand is not None and (counts[cand[0]] >= 2 or tiny):
            out.append((cand[0], cand[1].strip()))
        else:
            out.append((None, text))
    return out


UNNAMED_PAUSE_MS = 2000


def merge(segments: Iterable[Segment], *, joiner: str = " ") -> tuple[ParsedTurn, ...]:
    """Merge consecutive segments by the same speaker into turns.

    A segment whose speaker is ``None`` continues the previous speaker's turn (Zoom writes
    continuation cues without a name); before any named speaker it belongs to ``""``, the
    unnamed speaker, whose turns break at pauses of two seconds or more. Timestamps are kept:
    a turn runs from its first start to its last end. A turn's pieces are joined once, at the
    end, so a speaker with many cues costs linear time.
    """
    speakers: list[str] = []
    starts: list[int | None] = []
    ends: list[int | None] = []
    pieces: list[list[str]] = []
    for speaker, text, start_ms, end_ms in segments:
        text = text.strip()
        if not text:
            continue
        if speaker is None:
            speaker = speakers[-1] if speakers else ""
        if speakers and speakers[-1] == speaker:
            last_end = ends[-1]
            # an unnamed speaker's turn breaks at a pause (see UNNAMED_PAUSE_MS)
            if (
                speaker
                or last_end is None
                or start_ms is None
                or start_ms - last_end < UNNAMED_PAUSE_MS
            ):
                if starts[-1] is None:
                    starts[-1] = start_ms
                if end_ms is not None:
                    ends[-1] = end_ms
                pieces[-1].append(text)
                continue
        speakers.append(speaker)
        starts.append(start_ms)
        ends.append(end_ms)
        pieces.append([text])
    return tuple(
        ParsedTurn(speaker, joiner.join(said), start, end)
        for speaker, said, start, end in zip(speakers, pieces, starts, ends, strict=True)
    )
