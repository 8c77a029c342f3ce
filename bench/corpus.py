"""The same words for two tools: interview transcripts of about N words, rendered as plain text
(``Name: text`` turns, which Thematica imports) and as HTML (one ``<p>`` per turn, which
Taguette imports without Calibre). Both renderings hold the same characters of speech.

Deterministic (seeded); the vocabulary and sentence shapes are bench/synthetic.py's.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

from synthetic import _sentence

INTERVIEWER = "Interviewer"
PARTICIPANT = "Participant"


@dataclass(frozen=True)
class Interview:
    """One interview: its name and its turns (speaker, what they said)."""

    name: str
    turns: tuple[tuple[str, str], ...]

    @property
    def words(self) -> int:
        return sum(len(text.split()) for _, text in self.turns)

    def as_text(self) -> str:
        """Plain text, a blank line between turns: what ``thematica transcripts import`` reads."""
        return "".join(f"{speaker}: {text}\n\n" for speaker, text in self.turns)

    def as_html(self) -> str:
        """A small HTML page, one paragraph per turn: what Taguette's upload reads."""
        body = "".join(
            f"<p>{html.escape(speaker)}: {html.escape(text)}</p>\n" for speaker, text in self.turns
        )
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{html.escape(self.name)}</title></head>\n<body>\n{body}</body></html>\n"
        )


def interview(rng: random.Random, name: str, words: int) -> Interview:
    """Short questions and long answers, alternating, until about ``words`` words are said."""
    turns: list[tuple[str, str]] = []
    written = 0
    while written < words:
        asking = len(turns) % 2 == 0
        target = rng.randint(4, 15) if asking else rng.randint(40, 160)
        said: list[str] = []
        count = 0
        while count < target:
            sentence = _sentence(rng)
            said.append(sentence)
            count += len(sentence.split())
        turns.append((INTERVIEWER if asking else PARTICIPANT, " ".join(said)))
        written += count
    return Interview(name, tuple(turns))


def interviews(count: int, words: int, seed: int = 15) -> list[Interview]:
    rng = random.Random(seed)
    return [interview(rng, f"interview-{i:04d}", words) for i in range(1, count + 1)]


def write(items: list[Interview], folder: Path) -> tuple[Path, Path]:
    """Write ``text/<name>.txt`` and ``html/<name>.html`` under ``folder``; both folders."""
    text, pages = folder / "text", folder / "html"
    text.mkdir(parents=True, exist_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    for item in items:
        (text / f"{item.name}.txt").write_text(item.as_text(), encoding="utf-8")
        (pages / f"{item.name}.html").write_text(item.as_html(), encoding="utf-8")
    return text, pages
