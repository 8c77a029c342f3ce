"""Each quote of the draft against the transcripts: verbatim in the attributed participant's,
else verbatim in someone else's (wrong participant), else close to a passage of theirs
(edited, with a word diff), else not found. Where an edited quote differs, a transcript
passage holding a replacement that anonymisation made is flagged: the draft may quote an
original identifier."""

from __future__ import annotations

from typing import Any

from thematica.manuscript.facts import StudyFacts, TranscriptText
from thematica.manuscript.matching import Haystack, Piece, closest, pattern, pieces, plain_words
from thematica.manuscript.quotes import DraftQuote
from thematica.manuscript.results import (
    EDITED,
    NOT_CHECKED,
    NOT_FOUND,
    VERBATIM,
    WRONG_PARTICIPANT,
    Location,
    QuoteResult,
)
from thematica.text import Span

EDITED_SIMILARITY = 0.6
"""An edited quote still has at least this share of its words, in order, in the passage."""
SURELY_EDITED = 0.8
"""A quote this close to a passage of the attributed participant is edited: other
participants' transcripts are not searched for it."""


class QuoteChecker:
    def __init__(self, facts: StudyFacts) -> None:
        self._facts = facts
        self._by_participant: dict[str, list[TranscriptText]] = {}
        for t in facts.transcripts:
            if t.participant is not None:
                self._by_participant.setdefault(t.participant, []).append(t)
        self._haystacks: dict[int, Haystack] = {}

    def _hay(self, t: TranscriptText) -> Haystack:
        found = self._haystacks.get(t.id)
        if found is None:
            found = self._haystacks[t.id] = Haystack(t.text)
        return found

    def check(
        self, quote: DraftQuote, where: Location, span: tuple[int, int]
    ) -> QuoteResult | None:
        wanted = pieces(quote.text)
        if not wanted:
            return None
        who = quote.participant
        own = self._by_participant.get(who, []) if quote.known else []

        def result(status: str, evidence: str, **more: Any) -> QuoteResult:
            return QuoteResult(
                where, quote.text, who, status, evidence, block=quote.block, span=span, **more
            )

        expression = pattern(wanted)
        for t in own:
            found = self._hay(t).find(expression)
            if found is not None:
                return result(
                    VERBATIM,
                    f"verbatim in {who}'s transcript {t.id}",
                    found_in=who,
                    transcript_id=t.id,
                    start=found.start,
                    end=found.end,
                )
        if quote.known and not own and who in self._facts.unreadable:
            return result(
                NOT_CHECKED, f"{who}'s transcripts are not anonymised yet, so not readable for you"
            )
        best, best_t = None, None
        for t in own:
            near = closest(t.text, quote.text)
            if near is not None and (best is None or near.similarity > best.similarity):
                best, best_t = near, t
        similarity = best.similarity if best is not None else 0.0
        if similarity < SURELY_EDITED:
            elsewhere = self._elsewhere(wanted, who if quote.known else None)
            if elsewhere is not None:
                t, found = elsewhere
                other = t.participant or f"transcript {t.id} (no participant)"
                attributed = f"attributed to {who}" + (
                    "" if quote.known else " (not a participant of the study)"
                )
                return result(
                    WRONG_PARTICIPANT,
                    f"{attributed}, but these are {other}'s words (transcript {t.id})",
                    found_in=t.participant,
                    transcript_id=t.id,
                    start=found.start,
                    end=found.end,
                )
        if best is not None and best_t is not None and similarity >= EDITED_SIMILARITY:
            passage = best_t.text[best.span.start : best.span.end].lower()
            flagged = [
                r
                for r in best_t.replacements
                if r.lower() in passage and r.lower() not in quote.text.lower()
            ]
            note = (
                f"; where it differs, the transcript has “{flagged[0]}”, put in by anonymisation: "
                "the quote may hold the original identifier"
                if flagged
                else ""
            )
            return result(
                EDITED,
                f"{round(similarity * 100)}% of its words, in order, in {who}'s transcript "
                f"{best_t.id}{note}",
                found_in=who,
                transcript_id=best_t.id,
                start=best.span.start,
                end=best.span.end,
                diff=best.diff,
                identifier=bool(flagged),
            )
        if not quote.known:
            return result(
                NOT_FOUND,
                f"the study has no participant {who}, and no transcript you may read has these words",
            )
        return result(NOT_FOUND, f"not in {who}'s transcripts, nor in any other you may read")

    def _elsewhere(
        self, wanted: list[Piece], who: str | None
    ) -> tuple[TranscriptText, Span] | None:
        """The first other transcript holding the quote: those holding its first words as
        typed are tried first, then every transcript holding all its words."""
        expression = pattern(wanted)
        others = [t for t in self._facts.transcripts if who is None or t.participant != who]
        typed = wanted[0].text
        for t in others:
            hay = self._hay(t)
            if hay.low is not None and typed in hay.low:
                found = hay.find(expression)
                if found is not None:
                    return t, found
        words = plain_words(wanted)
        for t in others:
            hay = self._hay(t)
            if hay.contains(words):
                found = hay.find(expression)
                if found is not None:
                    return t, found
        return None
