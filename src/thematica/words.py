"""Words for full-text search: the one tokeniser and folder that indexes turns (on SQLite and
PostgreSQL alike), reads what a user types and locates matches in a turn's text.

A *raw word* is a run of letters and digits, with any combining marks inside or after it
(``nai\u0308ve`` in decomposed form is one word); everything else (spaces, punctuation,
``_``, symbols, emoji) separates words, so ``3.5``, ``10/12``, ``www.nhs.uk`` and
``help@clinic.org`` are several words each. A raw word is *folded* (compatibility forms,
case and diacritics: ``Straße`` -> ``strasse``, ``ﬁnal`` -> ``final``, ``Café`` -> ``cafe``)
and split again where folding made a separator (``½`` -> ``1``, ``2``). A folded word longer
than :data:`MAX_WORD` code points is no word at all (neither indexed nor searchable).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

MAX_WORD = 200


@cache
def _pattern() -> re.Pattern[str]:
    """Letters and digits (``[^\\W_]``), then marks and more letters and digits. Python's
    ``\\w`` has no combining marks, so their ranges are gathered once (about 0.1 s)."""
    ranges: list[str] = []
    start = previous = -2
    for point in range(sys.maxunicode + 1):
        if unicodedata.category(chr(point)).startswith("M"):
            if point != previous + 1:
                if start >= 0:
                    ranges.append(_range(start, previous))
                start = point
            previous = point
    ranges.append(_range(start, previous))
    return re.compile(r"[^\W_]+(?:[" + "".join(ranges) + r"]+[^\W_]*)*")


def _range(first: int, last: int) -> str:
    return f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}"


def fold(text: str) -> str:
    """Compatibility forms, case and diacritics folded: ``Straße`` -> ``strasse``."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


class Word(NamedTuple):
    """A folded word and where its raw word is in the text (code points, end exclusive)."""

    start: int
    end: int
    folded: str


class _Folded(dict[str, tuple[str, ...]]):
    """Raw word -> its folded words, computed once per distinct raw word."""

    def __missing__(self, raw: str) -> tuple[str, ...]:
        value = tuple(w for w in _pattern().findall(fold(raw)) if len(w) <= MAX_WORD)
        self[raw] = value
        return value


def words(text: str) -> Iterator[Word]:
    """Every folded word of ``text`` with its place, in order."""
    folded = _Folded()
    for match in _pattern().finditer(text):
        for word in folded[match.group()]:
            yield Word(match.start(), match.end(), word)


class Folder:
    """Folded words of many texts, for indexing: ``folder(text)`` is the list of
    ``w.folded for w in words(text)``, faster (each distinct raw word is folded once). Keep a
    folder for one batch of work only: it remembers the words it saw."""

    def __init__(self) -> None:
        self._folded = _Folded()
        self._findall = _pattern().findall

    def __call__(self, text: str) -> list[str]:
        folded = self._folded
        return [w for raw in self._findall(text) for w in folded[raw]]


__all__ = ["MAX_WORD", "Folder", "Word", "fold", "words"]
