"""The claim parser: numbers in words and digits, fractions, quantifiers, group nouns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.quantifiers import DEFAULT_RULES
from thematica.manuscript.checking import check
from thematica.manuscript.claims import Vocabulary, find_claims
from thematica.manuscript.numbers import spell, value
from thematica.manuscript.results import AMBIGUOUS, CONSISTENT, CONTRADICTS

GROUPS = {
    "Physiotherapist": ("physiotherapists", "physios"),
    "Occupational therapist": ("occupational therapists", "OTs"),
}
VOCABULARY = Vocabulary.build(GROUPS, {"Physio": "Physiotherapist", "OT": "Occupational therapist"})
NOUNS = [(noun, group) for group, nouns in GROUPS.items() for noun in nouns] + [
    ("participants", None),
    ("interviewees", None),
    ("clinicians", None),
]


def _written(n: int, style: str) -> str:
    if style == "digits":
        return str(n)
    words = spell(n)
    if style == "spaced":
        words = words.replace("-", " ")
    return words.capitalize() if style == "capital" else words


@settings(max_examples=400, deadline=None)
@given(
    n=st.integers(0, 100),
    extra=st.integers(0, 100),
    n_style=st.sampled_from(["digits", "words", "spaced", "capital"]),
    total_style=st.sampled_from(["digits", "words", "spaced"]),
    noun=st.sampled_from(NOUNS),
    theme=st.sampled_from(["Lobbing referrals into a void", "No slack in it", "Time"]),
)
def test_the_parser_reads_n_total_and_group(
    n: int, extra: int, n_style: str, total_style: str, noun: tuple[str, str | None], theme: str
) -> None:
    total = min(100, n + extra) or 1
    n = min(n, total)
    sentence = (
        f"{_written(n, n_style)} of the {_written(total, total_style)} {noun[0]} described {theme}."
    )
    (claim,) = find_claims(sentence, VOCABULARY)
    assert (claim.n, claim.total, claim.group) == (n, total, noun[1]), sentence


@pytest.mark.parametrize("n", range(101))
def test_every_number_in_words_reads_back(n: int) -> None:
    assert value(spell(n)) == n
    assert value(spell(n).replace("-", " ").upper()) == n


def _one(sentence: str) -> object:
    (claim,) = find_claims(sentence, VOCABULARY)
    return claim


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Seven participants described it.", "7"),
        ("seven participants (n = 7) described it.", "7"),
        ("It was described by n = 4 of them.", "4"),
        ("It was described (6/10).", "6 of 10"),
        ("The majority (6/10) described it.", "the majority (6 of 10)"),
        ("All but one participant described it.", "all but 1"),
        ("All participants except one described it.", "all but 1"),
        ("All the OTs described it.", "all (Occupational therapist)"),
        ("Every participant described it.", "all"),
        ("None of the participants described it.", "0"),
        ("No participant described it.", "0"),
        ("Only one participant described it.", "1"),
        ("Both physios described it.", "2 of 2 (Physiotherapist)"),
        ("Half of the participants described it.", "half"),
        ("A third of the interviewees described it.", "a third"),
        ("Most clinicians described it.", "most"),
        ("A few participants described it.", "a few"),
        ("Several OTs described it.", "several (Occupational therapist)"),
        ("70% of participants described it.", "70%"),
        ("Four of the seven physiotherapists described it.", "4 of 7 (Physiotherapist)"),
    ],
)
def test_claims_in_words_and_digits(sentence: str, said: str) -> None:
    assert _one(sentence).describe() == said


@pytest.mark.parametrize(
    "sentence",
    [
        "Most importantly, the theme was clear.",
        "One of the themes was Time.",
        "All the time in the world.",
        "Physio 4 said so in 2021.",
        "Interviews lasted 45 minutes.",
    ],
)
def test_words_that_are_not_claims(sentence: str) -> None:
    assert find_claims(sentence, VOCABULARY) == []


def test_quoted_words_are_not_claims() -> None:
    sentence = "She said “all of us participants felt lost” (OT 1)."
    start = sentence.index("“")
    assert find_claims(sentence, VOCABULARY, [(start, sentence.index("”") + 1)]) == []


@pytest.mark.parametrize(
    ("sentence", "k", "total", "status"),
    [
        ("Seven participants described it.", 7, 10, CONSISTENT),
        ("Six participants described it.", 7, 10, CONTRADICTS),
        ("All participants described it.", 9, 10, CONTRADICTS),
        ("All but one participant described it.", 9, 10, CONSISTENT),
        ("Most participants described it.", 8, 10, CONSISTENT),
        ("Most participants described it.", 6, 10, AMBIGUOUS),  # the rules say "the majority"
        ("Most participants described it.", 5, 10, CONTRADICTS),
        ("Some participants described it.", 4, 10, CONSISTENT),
        ("Some participants described it.", 3, 10, AMBIGUOUS),  # the rules say "a few"
        ("Some participants described it.", 0, 10, CONTRADICTS),
        ("Half of the participants described it.", 5, 10, CONSISTENT),
        ("Four of the seven participants described it.", 4, 10, CONTRADICTS),  # N is 10
        ("70% of participants described it.", 7, 10, CONSISTENT),
        ("Most participants (3/10) described it.", 3, 10, CONTRADICTS),
        ("The other three participants described it.", 7, 10, CONSISTENT),  # 10 - 3
        ("The remaining two participants described it.", 7, 10, CONTRADICTS),
        ("The other three participants (n = 3) described it.", 7, 10, CONSISTENT),
    ],
)
def test_checking_against_the_count(sentence: str, k: int, total: int, status: str) -> None:
    assert check(_one(sentence), k, total, DEFAULT_RULES).status == status
