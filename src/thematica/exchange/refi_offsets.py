"""Offsets in REFI-QDA files: which unit a file's positions count (code points or UTF-16
units, CRLF as one or two) and the canonical text Thematica stores (LF, NFC), with every
position carried across the normalisation."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CODE_POINTS = "code points"

CODE_POINTS_CRLF1 = "code points, CRLF as one"

UTF16 = "UTF-16 code units"
UTF16_CRLF1 = "UTF-16 code units, CRLF as one"

OFFSET_UNITS = (CODE_POINTS, CODE_POINTS_CRLF1, UTF16, UTF16_CRLF1)

_UTF16_UNITS = {UTF16, UTF16_CRLF1}

_CRLF1_UNITS = {CODE_POINTS_CRLF1, UTF16_CRLF1}

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_NOT_LATIN = re.compile("[^\x00-\u02ff]+")


# --------------------------------------------------------------------------- canonical text


class CanonicalText:
    """A raw text made canonical (CRLF and CR become LF, then Unicode NFC), with a map from
    code-point offsets in the raw text to offsets in the canonical one.

    A position inside a CRLF pair maps to the LF. A position inside a run of characters that
    NFC changes (a letter and its combining marks, say) snaps outwards: :meth:`start` moves it
    back to the run's start, :meth:`end` forward to its end, so a selection keeps whole
    characters.
    """

    def __init__(self, raw: str) -> None:
        self._removed = [m.start() for m in re.finditer("\r\n", raw)]  # each CRLF loses its CR
        lf = raw.replace("\r\n", "\n").replace("\r", "\n")
        self._lf = ""
        self._starts: list[int] = []
        self._segments: list[tuple[int, int, str, int]] = []  # start, end, NFC form, delta before
        if unicodedata.is_normalized("NFC", lf):
            self.text = lf
            return
        # NFC never joins across a character below U+0300 (none combines with what precedes
        # it), so each run of other characters, with the one before it, normalises on its own.
        self._lf = lf
        pieces: list[str] = []
        at = delta = 0
        for match in _NOT_LATIN.finditer(lf):
            start = max(match.start() - 1, at)
            segment = lf[start : match.end()]
            normal = unicodedata.normalize("NFC", segment)
            if normal != segment:
                pieces.append(lf[at:start])
                pieces.append(normal)
                self._starts.append(start)
                self._segments.append((start, match.end(), normal, delta))
                delta += len(normal) - len(segment)
                at = match.end()
        pieces.append(lf[at:])
        self.text = "".join(pieces)

    def _after_lf(self, i: int) -> int:
        return i - bisect_left(self._removed, i)

    def _after_nfc(self, i: int, forward: bool) -> int:
        k = bisect_right(self._starts, i) - 1
        if k < 0:
            return i
        start, end, normal, delta = self._segments[k]
        if i >= end:
            return i + delta + len(normal) - (end - start)
        if i == start:
            return i + delta
        segment = self._lf[start:end]
        cut = i - start
        step = 1 if forward else -1
        while 0 < cut < len(segment):
            head = unicodedata.normalize("NFC", segment[:cut])
            if head + unicodedata.normalize("NFC", segment[cut:]) == normal:
                return start + delta + len(head)
            cut += step
        return start + delta + (len(normal) if cut else 0)

    def start(self, i: int) -> int:
        """Where raw position ``i`` is in the canonical text, as the start of a span."""
        if not self._removed and not self._starts:
            return i  # no CRLF, and NFC changed nothing: every position stays where it is
        return self._after_nfc(self._after_lf(i), forward=False)

    def end(self, i: int) -> int:
        """Where raw position ``i`` is in the canonical text, as the end of a span."""
        if not self._removed and not self._starts:
            return i
        return self._after_nfc(self._after_lf(i), forward=True)


# --------------------------------------------------------------------------- offset units


@dataclass(frozen=True)
class _Events:
    """Where a raw text's units differ from code points: astral characters (two UTF-16
    units each) and CRLF pairs (one unit each, for tools that count them so)."""

    length: int
    astral: tuple[int, ...]
    crlf: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> _Events:
        return cls(
            len(raw),
            () if raw.isascii() else tuple(m.start() for m in _ASTRAL.finditer(raw)),
            tuple(m.start() for m in re.finditer("\r\n", raw)) if "\r" in raw else (),
        )

    def plain(self) -> bool:
        return not self.astral and not self.crlf


def to_code_points(positions: Sequence[int], events: _Events, unit: str) -> dict[int, int | None]:
    """Map ``positions`` counted in ``unit`` to code points of the raw text; None for a
    position outside the text or inside a character (between the halves of a surrogate pair).
    """
    merged: list[tuple[int, bool]] = []  # raw index, is an astral character (else a CRLF)
    if unit in _UTF16_UNITS:
        merged.extend((i, True) for i in events.astral)
    if unit in _CRLF1_UNITS:
        merged.extend((i, False) for i in events.crlf)
    merged.sort()
    out: dict[int, int | None] = {}
    shift = k = 0  # units minus code points before the current event
    for unit_pos in sorted(set(positions)):
        found: int | None = None
        while True:
            if k == len(merged):
                found = unit_pos - shift
                break
            index, astral = merged[k]
            if unit_pos <= index + shift:
                found = unit_pos - shift
                break
            if astral and unit_pos == index + shift + 1:
                break  # the low half of a surrogate pair: not a character boundary
            shift += 1 if astral else -1
            k += 1
        out[unit_pos] = found if found is not None and 0 <= found <= events.length else None
    return out


def _kind(ch: str) -> int:
    if ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M":
        return 1
    return 2 if ch.isspace() else 3


def _on_boundary(raw: str, i: int) -> bool:
    return i <= 0 or i >= len(raw) or _kind(raw[i - 1]) != _kind(raw[i])


def unit_hint(origin: str) -> tuple[str, bool]:
    """The unit a producer is known to count, and whether that is certain."""
    low = origin.lower()
    if low.startswith("thematica"):
        return CODE_POINTS, True
    if "nvivo" in low:
        return UTF16, False  # measured on NVivo 12 (Windows and Mac) files
    if "atlas.ti" in low or "atlasti" in low:
        return CODE_POINTS_CRLF1, False  # QualCoder's notes on ATLAS.ti
    return CODE_POINTS, False  # what the standard says


def detect_unit(texts: Iterable[tuple[str, Sequence[int]]], origin: str) -> str:
    """Which unit a project's selection positions count.

    Every text where the candidates differ (it has astral characters or CRLFs) votes: a
    candidate scores one point per position that falls on a word boundary, and is ruled out if
    a position falls outside the text or inside a character. The producer's known unit
    (``origin``) wins ties and close calls; a file written by Thematica is taken at its word.
    """
    hint, certain = unit_hint(origin)
    if certain:
        return hint
    score = dict.fromkeys(OFFSET_UNITS, 0)
    invalid = dict.fromkeys(OFFSET_UNITS, 0)
    voters = 0
    for raw, positions in texts:
        events = _Events.of(raw)
        if events.plain() or not positions:
            continue
        voters += len(positions)
        for unit in OFFSET_UNITS:
            for cp in to_code_points(positions, events, unit).values():
                if cp is None:
                    invalid[unit] += 1
                elif _on_boundary(raw, cp):
                    score[unit] += 1
    preference = [hint] + [u for u in OFFSET_UNITS if u != hint]
    valid = [u for u in preference if not invalid[u]]
    if not valid:
        return min(preference, key=lambda u: invalid[u])
    best = max(valid, key=lambda u: score[u])  # max keeps the first of equals: the preference
    margin = max(3, voters // 20)
    if hint in valid and score[best] - score[hint] <= margin:
        return hint
    return best


# --------------------------------------------------------------------------- source units


def source_units(
    raw: str, unit: str, canonical: CanonicalText
) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """How many of the source's units (``unit``) each character of the canonical text stood
    for, where that is not one: the source's length in its units and the sorted
    ``(canonical offset, units)`` pairs. None when every character is one unit.

    An astral character is two UTF-16 units; a CRLF, which becomes one LF, is two units unless
    the unit counts it as one; characters NFC joins count every unit they came from (a
    canonical character NFC made from nothing counts zero).
    """
    utf16 = unit in _UTF16_UNITS
    crlf_one = unit in _CRLF1_UNITS
    events = _Events.of(raw)
    length = len(raw) + (len(events.astral) if utf16 else 0) - (len(events.crlf) if crlf_one else 0)
    weights: dict[int, int] = {}
    if canonical._segments:  # NFC changed something: account for every raw character
        counts = [0] * len(canonical.text)
        crs = set(events.crlf)
        for i, ch in enumerate(raw):
            counts[canonical.start(i)] += (
                (0 if crlf_one else 1) if i in crs else (2 if utf16 and ch > "\uffff" else 1)
            )
        weights = {i: n for i, n in enumerate(counts) if n != 1}
    else:
        if utf16:
            weights.update((canonical.start(i), 2) for i in events.astral)
        if not crlf_one:
            weights.update((canonical.start(i), 2) for i in events.crlf)
    if not weights:
        return None
    return length, tuple(sorted(weights.items()))
