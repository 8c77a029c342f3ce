"""Corrections of a transcript's turns, as pure text work: no I/O, no SQL.

A correction becomes a list of :class:`~thematica.anonymise.edits.Edit` on the whole canonical
text (the offset map anonymisation uses carries every coding across it) and the turns' new
texts (re-assembled with :func:`thematica.text.assemble`, so the stored text is always exactly
the turns joined by :data:`~thematica.text.TURN_SEPARATOR`).

- A text edit is the smallest word-level difference between the old and the new turn text
  (``difflib`` on words, spaces and punctuation marks), so the words that did not change keep
  their codings exactly; a coding that an edit touches is kept, adjusted and flagged.
- A split replaces the white space at the split point with the turn separator; a merge replaces
  the separator with one space. Neither changes a word, so no coding is flagged by them: a
  coding across the point keeps its words, with the separator inside it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from thematica.anonymise.edits import Edit
from thematica.domain import Coding
from thematica.errors import ThematicaError
from thematica.importers.encoding import normalise_newlines
from thematica.importers.turns import clean
from thematica.text import TURN_SEPARATOR

KINDS = ("text", "speaker", "split", "merge")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
# what the importers drop or refuse: controls other than line breaks, non-characters
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
TEXT_LIMIT = 100_000  # code points in one turn


class CorrectionError(ThematicaError):
    """A correction that cannot be made (the study is unchanged)."""


@dataclass(frozen=True)
class CorrectionReport:
    """What one correction did. Counts only: in a blind transcript the acting member learns
    nothing of other coders' codings."""

    id: int
    transcript_id: int
    turn: int  # as users see it: 1 is the first turn
    kind: str
    codings_moved: int
    codings_flagged: int
    checking: str  # the transcript's checking state afterwards
    in_key: bool  # the before/after went to the anonymisation key file


@dataclass(frozen=True)
class CorrectionEntry:
    """One line of the corrections log."""

    id: int
    transcript_id: int
    turn: int
    kind: str
    actor: str
    at: dt.datetime
    before: str | None  # None when it is in the key file
    after: str | None
    in_key: bool


@dataclass(frozen=True)
class FlaggedCoding:
    """A coding whose words a correction changed, for its coder to look at."""

    coding: Coding
    reason: str
    correction_id: int | None
    flagged_at: dt.datetime


@dataclass(frozen=True)
class TurnText:
    """A turn as a correction sees it: who, what role, what text, when."""

    speaker: str
    role: str
    text: str
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True)
class Plan:
    """One correction worked out: the edits on the whole text, every turn afterwards, and the
    before/after of the log. ``flags``: the edits change words (a text edit), so a coding they
    touch is flagged."""

    kind: str
    position: int
    edits: tuple[Edit, ...]
    turns: tuple[TurnText, ...]
    before: str
    after: str
    flags: bool


def _starts(turns: Sequence[TurnText]) -> list[int]:
    """Each turn's start offset in the canonical text."""
    out, pos = [], 0
    for turn in turns:
        out.append(pos)
        pos += len(turn.text) + len(TURN_SEPARATOR)
    return out


def _check_position(turns: Sequence[TurnText], position: int, where: str) -> None:
    if not 0 <= position < len(turns):
        raise CorrectionError(f"{where}: no such turn (the turns are 1 to {len(turns)})")


def text_plan(turns: Sequence[TurnText], position: int, new: str, where: str) -> Plan:
    """Turn ``position``'s text becomes ``new`` (checked as an importer would)."""
    _check_position(turns, position, where)
    new = checked_text(new, where)
    old = turns[position]
    if new == old.text:
        raise CorrectionError(f"{where}: the new text is the same as the turn's")
    base = _starts(turns)[position]
    changed = list(turns)
    changed[position] = replace(old, text=new)
    return Plan(
        "text",
        position,
        tuple(word_edits(old.text, new, base)),
        tuple(changed),
        old.text,
        new,
        flags=True,
    )


def speaker_plan(
    turns: Sequence[TurnText], position: int, speaker: str, role: str, where: str
) -> Plan:
    """Turn ``position`` is ``speaker``'s, in ``role`` (the caller resolved both)."""
    _check_position(turns, position, where)
    old = turns[position]
    if (old.speaker, old.role) == (speaker, role):
        raise CorrectionError(f"{where}: the turn is already that speaker's")
    changed = list(turns)
    changed[position] = replace(old, speaker=speaker, role=role)
    return Plan("speaker", position, (), tuple(changed), old.speaker, speaker, flags=False)


def split_plan(
    turns: Sequence[TurnText], position: int, at: int, at_ms: int | None, where: str
) -> Plan:
    """Turn ``position`` split at ``at`` (code points into the turn): the new turn is the
    same speaker's and starts at ``at_ms`` when given (else its start time is unknown)."""
    _check_position(turns, position, where)
    old = turns[position]
    first, second, gap_start, gap_end = split_texts(old.text, at, where)
    if at_ms is not None and not (
        at_ms >= 0
        and (old.start_ms is None or old.start_ms <= at_ms)
        and (old.end_ms is None or at_ms <= old.end_ms)
    ):
        raise CorrectionError(f"{where}: the time {at_ms} ms is not within the turn's times")
    base = _starts(turns)[position]
    edit = Edit(base + gap_start, base + gap_end, TURN_SEPARATOR)
    changed = list(turns)
    changed[position : position + 1] = [
        replace(old, text=first, end_ms=at_ms),
        replace(old, text=second, start_ms=at_ms),
    ]
    after = first + TURN_SEPARATOR + second
    return Plan("split", position, (edit,), tuple(changed), old.text, after, flags=False)


def merge_plan(turns: Sequence[TurnText], position: int, where: str) -> Plan:
    """Turn ``position`` and the next become one turn (joined by a space), the first's
    speaker's, from the first's start to the second's end."""
    _check_position(turns, position, where)
    if position == len(turns) - 1:
        raise CorrectionError(f"{where}: it is the last turn; there is no next turn to merge")
    first, second = turns[position], turns[position + 1]
    base = _starts(turns)[position] + len(first.text)
    edit = Edit(base, base + len(TURN_SEPARATOR), " ")
    merged = replace(
        first,
        text=first.text + " " + second.text,
        end_ms=second.end_ms if second.end_ms is not None else first.end_ms,
    )
    changed = list(turns)
    changed[position : position + 2] = [merged]
    before = first.text + TURN_SEPARATOR + second.text
    return Plan("merge", position, (edit,), tuple(changed), before, merged.text, flags=False)


def checked_text(text: str, where: str) -> str:
    """``text`` as an importer would store a turn (NFC, line ends, spaces collapsed, lines
    trimmed, no blank lines), or a refusal."""
    if FORBIDDEN.search(text):
        raise CorrectionError(f"{where}: the new text holds control characters; type plain text")
    if len(text) > TEXT_LIMIT:
        raise CorrectionError(f"{where}: the new text is over {TEXT_LIMIT:,} characters")
    cleaned = clean(unicodedata.normalize("NFC", normalise_newlines(text)))
    if not cleaned:
        raise CorrectionError(f"{where}: the new text is empty (merge the turn instead)")
    return cleaned


def replaced(turn_text: str, old: str, new: str, where: str) -> str:
    """``turn_text`` with the first occurrence of the words ``old`` (white space between them
    may differ) replaced by ``new``."""
    wanted = old.split()
    if not wanted:
        raise CorrectionError(f"{where}: give the words to replace")
    match = re.search(r"\s+".join(re.escape(w) for w in wanted), turn_text)
    if match is None:
        raise CorrectionError(f"{where}: those words are not in the turn")
    return turn_text[: match.start()] + new + turn_text[match.end() :]


def word_edits(old: str, new: str, base: int) -> list[Edit]:
    """The smallest word-level edits turning ``old`` into ``new``, at offset ``base``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    starts = [0]
    for token in a:
        starts.append(starts[-1] + len(token))
    edits: list[Edit] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            edits.append(Edit(base + starts[i1], base + starts[i2], "".join(b[j1:j2])))
    return edits


def touches(edit: Edit, start: int, end: int) -> bool:
    """Whether ``edit`` changes words of the span ``start``-``end``: it overlaps the span, or
    inserts strictly inside it (an insertion at its edge lands outside it)."""
    if edit.start == edit.end:
        return start < edit.start < end
    return edit.start < end and edit.end > start


def split_point(turn_text: str, words: str, where: str) -> int:
    """The code point at which ``words`` first starts in ``turn_text`` (at a word start)."""
    wanted = " ".join(words.split())
    if not wanted:
        raise CorrectionError(f"{where}: give the words the new turn starts with")
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in wanted.split())
    match = re.search(pattern, turn_text)
    if match is None:
        raise CorrectionError(f"{where}: those words are not in the turn")
    return match.start()


def split_texts(turn_text: str, at: int, where: str) -> tuple[str, str, int, int]:
    """The two texts of a split at ``at`` (code points into the turn) and the white space run
    between them (start, end, relative to the turn), which becomes the turn separator."""
    if not 0 < at < len(turn_text):
        raise CorrectionError(
            f"{where}: the split point {at} is not inside the turn (1 to {len(turn_text) - 1})"
        )
    first, second = turn_text[:at].rstrip(), turn_text[at:].lstrip()
    if not first or not second:
        raise CorrectionError(f"{where}: the split point is at the turn's edge; nothing to split")
    gap_start, gap_end = len(first), len(turn_text) - len(second)
    if gap_start == gap_end:  # no white space there: the split would cut a word in two
        raise CorrectionError(
            f"{where}: the split point {at} falls inside a word; split at a space between words"
        )
    return first, second, gap_start, gap_end


def collapsed_span(text: str, turn: tuple[int, int], at: int) -> tuple[int, int]:
    """A span for a coding whose every word was removed: the word at or after ``at`` in its
    turn, else the last word before it."""
    start, end = turn
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    after = [w for w in words if w[1] > at]
    return after[0] if after else words[-1]


def turn_of(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The span of the turn holding ``offset`` (or the next one, from a separator)."""
    for span in spans:
        if offset <= span[1]:
            return span
    return spans[-1]


__all__ = [
    "KINDS",
    "CorrectionEntry",
    "CorrectionError",
    "CorrectionReport",
    "FlaggedCoding",
    "Plan",
    "TurnText",
    "checked_text",
    "collapsed_span",
    "merge_plan",
    "replaced",
    "speaker_plan",
    "split_plan",
    "split_point",
    "split_texts",
    "text_plan",
    "touches",
    "word_edits",
]
