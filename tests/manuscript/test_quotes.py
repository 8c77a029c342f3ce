"""Quotes: finding them with their attribution, matching them verbatim up to typography and
editorial marks, and what is reported when they are not."""

from __future__ import annotations

import pytest

from thematica.manuscript.audit import audit
from thematica.manuscript.draft import read_draft
from thematica.manuscript.facts import StudyFacts, TranscriptText
from thematica.manuscript.results import EDITED, NOT_CHECKED, NOT_FOUND, VERBATIM, WRONG_PARTICIPANT

P4 = "I\u2019m not a psychologist \u2013 I fix knees. And the AHPs in the team, they don\u2019t get that, honestly."
P3 = "We just talked, and that was probably the most useful thing I did for her."
FACTS = StudyFacts(
    level=2,
    total=3,
    participants=(
        ("Physio 4", "Physiotherapist"),
        ("Physio 3", "Physiotherapist"),
        ("P 12", "Other"),
    ),
    nodes=(),
    transcripts=(
        TranscriptText(1, "Physio 4", P4),
        TranscriptText(
            2, "Physio 3", P3 + " She came from [Hospital 1] on a Tuesday.", ("[Hospital 1]",)
        ),
    ),
    groups=(("Physiotherapist", 2), ("Other", 1)),
)


def _quotes(markdown: str, facts: StudyFacts = FACTS) -> list[object]:
    return list(audit(read_draft(markdown.encode(), "draft.md"), facts).quotes)


@pytest.mark.parametrize(
    "paragraph",
    [
        "He was clear: \u201cI'm not a psychologist - I fix knees\u201d (Physio 4).",
        'He was clear: "I\'m not a psychologist \u2014 I fix knees" \u2014 Physio 4.',
        "Physio 4: \u201cI\u2019m not a  psychologist\u201d, he said.",
        "As Physio 4 put it, \u201cnot a psychologist\u201d.",
        "\u201cI\u2019m not a psychologist\u201d [Physio 4].",
        "\u2018I\u2019m not a psychologist\u2019 (physio 4, private practice).",
    ],
)
def test_attribution_and_typography(paragraph: str) -> None:
    (quote,) = _quotes(paragraph)
    assert (quote.attributed, quote.status, quote.transcript_id) == ("Physio 4", VERBATIM, 1)
    assert P4[quote.start : quote.end].startswith(("I\u2019m", "not"))


def test_ellipses_and_bracketed_insertions() -> None:
    (quote,) = _quotes(
        "\u201cI'm not a psychologist [\u2026] the [allied health professionals] in the team, "
        "they don't get that...\u201d (Physio 4)"
    )
    assert quote.status == VERBATIM


def test_an_insertion_only_bridges_a_short_gap() -> None:
    (quote,) = _quotes("\u201cI'm not a psychologist [and] honestly\u201d (Physio 4)")
    assert quote.status != VERBATIM


def test_block_quote_with_attribution_in_the_next_paragraph() -> None:
    (quote,) = _quotes(
        "> We just talked, and that was probably the most useful thing.\n\n\u2014 Physio 3\n"
    )
    assert (quote.status, quote.attributed) == (VERBATIM, "Physio 3")


def test_a_citation_in_brackets_is_not_an_attribution() -> None:
    assert (
        _quotes("Themes are \u201cpatterns of shared meaning\u201d (Braun and Clarke, 2019).") == []
    )


def test_wrong_participant_names_who() -> None:
    (quote,) = _quotes("\u201cWe just talked\u201d (Physio 4).")
    assert (quote.status, quote.found_in) == (WRONG_PARTICIPANT, "Physio 3")


def test_an_unknown_participant() -> None:
    (quote,) = _quotes("\u201cWe talked about the weather at length\u201d (P 99).")
    assert quote.status == NOT_FOUND
    assert "no participant P 99" in quote.evidence


def test_an_edited_quote_has_a_word_diff() -> None:
    (quote,) = _quotes(
        "\u201cWe just chatted, and that was probably the most useful thing I did for her.\u201d (Physio 3)"
    )
    assert quote.status == EDITED
    assert "[-chatted-] {+talked+}" in quote.diff
    assert not quote.identifier


def test_an_original_identifier_that_anonymisation_replaced_is_flagged() -> None:
    (quote,) = _quotes("\u201cShe came from St Mary's on a Tuesday.\u201d (Physio 3)")
    assert quote.status == EDITED and quote.identifier
    assert "[Hospital 1]" in quote.evidence and "original identifier" in quote.evidence


def test_a_participant_whose_transcripts_are_not_readable_is_not_checked() -> None:
    hidden = StudyFacts(
        2, 3, FACTS.participants, (), FACTS.transcripts[1:], FACTS.groups, frozenset({"Physio 4"})
    )
    (quote,) = _quotes("\u201cI'm not a psychologist\u201d (Physio 4)", hidden)
    assert quote.status == NOT_CHECKED
    assert "not readable" in quote.evidence
