"""Words for full-text search: the one tokeniser and folder that indexes turns (on SQLite and
PostgreSQL alike), reads what a user types and locates matches in a turn's text.

A *raw word* is a run of letters and digits, with any combining marks inside or after it
(``nai\u0308ve`` in decomposed form, or a word of an Indic script, is one word); everything
else (spaces, punctuation, ``_``, symbols, emoji) separates words, so ``3.5``, ``10/12``,
``www.nhs.uk`` and ``help@clinic.org`` are several words each. A raw word is *folded*
(compatibility forms, case and diacritics: ``Straße`` -> ``strasse``, ``ﬁnal`` -> ``final``,
``Café`` -> ``cafe``) and split again where folding made a separator (``½`` -> ``1``, ``2``).
A folded word longer than :data:`MAX_WORD` code points is no word at all (neither indexed
nor searchable).
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from functools import cache
from typing import NamedTuple

MAX_WORD = 200
_ASCII_FOLD = bytes(
    c | 0x20 if chr(c) in string.ascii_letters else c if chr(c) in string.digits else 0x20
    for c in range(256)
)  # ASCII letters lower-cased, digits kept, every other byte a space


@cache
def _pattern() -> re.Pattern[str]:
    """Letters and digits (``[^\\W_]``), then combining marks and more letters and digits.
    Python's ``\\w`` has no marks, so their ranges are gathered once (about 0.1 s); the marks
    beyond the BMP are only tried at such characters (a class of them is slow to test)."""
    bmp, astral = _ranges(0, 0x10000), _ranges(0x10000, sys.maxunicode + 1)
    marks = f"(?:[{bmp}]|(?=[\\U00010000-\\U0010ffff])[{astral}])"
    return re.compile(rf"[^\W_]+(?:{marks}+[^\W_]*)*")


def _ranges(low: int, high: int) -> str:
    """The combining marks from ``low`` to ``high`` as a regular expression class body."""
    spans: list[tuple[int, int]] = []
    for point in range(low, high):
        if unicodedata.category(chr(point)).startswith("M"):
            if spans and spans[-1][1] == point - 1:
                spans[-1] = (spans[-1][0], point)
            else:
                spans.append((point, point))
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in spans)


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
    """Raw word -> its folded words."""

    def __missing__(self, raw: str) -> tuple[str, ...]:
        value = tuple(w for w in _pattern().findall(fold(raw)) if len(w) <= MAX_WORD)
        self[raw] = value
        return value


class _Joined(dict[str, str]):
    """Raw word -> its folded words joined by spaces."""

    def __init__(self, folded: _Folded) -> None:
        super().__init__()
        self._folded = folded

    def __missing__(self, raw: str) -> str:
        value = self[raw] = " ".join(self._folded[raw])
        return value


class Words:
    """Splits and folds texts, folding each distinct raw word once. It remembers the words it
    saw: keep one for one piece of work (a search, an index build) only."""

    def __init__(self) -> None:
        self._folded = _Folded()
        self._joined = _Joined(self._folded)

    @property
    def _pattern(self) -> re.Pattern[str]:
        return _pattern()  # built on first use (about 0.3 s): an ASCII index build needs none

    def __call__(self, text: str) -> list[Word]:
        """Every folded word of ``text`` with its place, in order."""
        folded = self._folded
        return [
            Word(m.start(), m.end(), w)
            for m in self._pattern.finditer(text)
            for w in folded[m.group()]
        ]

    def joined(self, text: str) -> str:
        """The folded words of ``text`` joined by spaces (sometimes two), for indexing:
        ``joined(text).split()`` is ``[w.folded for w in self(text)]``."""
        if text.isascii():
            # ASCII has no combining marks and folds to lower case: its words are the runs of
            # letters and digits, found by one byte translation (index builds are mostly this)
            found = text.encode().translate(_ASCII_FOLD).split()
            if len(text) <= MAX_WORD or max(map(len, found), default=0) <= MAX_WORD:
                return b" ".join(found).decode()
        return self._joined_any(text)

    def _joined_any(self, text: str) -> str:
        """:meth:`joined` for any text."""
        return " ".join(map(self._joined.__getitem__, self._pattern.findall(text)))


def words(text: str) -> list[Word]:
    """Every folded word of ``text`` with its place, in order."""
    return Words()(text)


__all__ = ["MAX_WORD", "Word", "Words", "fold", "words"]
