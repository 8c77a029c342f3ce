"""Quantifier phrases against the default table (docs/methods.md#verbal-quantifiers), and the
YAML rule files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.quantifiers import (
    DEFAULT_RULES,
    QuantifierRule,
    describe,
    dump_rules,
    load_rules,
    quantify,
)
from thematica.errors import InputError

N10 = [
    "no participants",
    "one participant",
    "two participants",
    "a few participants",
    "some participants",
    "half of the participants",
    "the majority of participants",
    "the majority of participants",
    "most participants",
    "all but one participant",
    "all participants",
]


@pytest.mark.parametrize(("k", "phrase"), list(enumerate(N10)))
def test_table_for_ten_participants(k: int, phrase: str) -> None:
    """Every row of the default table, N = 10."""
    assert quantify(k, 10) == phrase


@pytest.mark.parametrize(
    ("k", "n", "phrase"),
    [
        (3, 12, "a few participants"),
        (4, 12, "some participants"),
        (5, 12, "some participants"),
        (9, 12, "most participants"),
        (4, 20, "a few participants"),
        (11, 20, "the majority of participants"),
        (4, 7, "the majority of participants"),
        (3, 4, "all but one participant"),
    ],
)
def test_further_cases(k: int, n: int, phrase: str) -> None:
    """The further worked examples of the default table (N = 12, 20, 7 and 4)."""
    assert quantify(k, n) == phrase


@pytest.mark.parametrize(
    ("k", "n", "phrase"),
    [
        (1, 1, "all participants"),
        (1, 2, "half of the participants"),
        (2, 3, "the majority of participants"),
        (1, 3, "one participant"),
        (5, 20, "a few participants"),  # k/N = 0.25 exactly
        (6, 20, "some participants"),
        (3, 6, "half of the participants"),
        (3, 5, "the majority of participants"),
        (6, 8, "most participants"),  # k/N = 0.75 exactly
    ],
)
def test_small_studies_and_boundaries(k: int, n: int, phrase: str) -> None:
    assert quantify(k, n) == phrase


def test_describe_always_prints_the_count() -> None:
    assert describe(7, 10) == "the majority of participants (7/10)"
    assert describe(9, 10) == "all but one participant (9/10)"
    assert describe(0, 12) == "no participants (0/12)"


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_count_up_to_60_has_a_phrase(pair: tuple[int, int]) -> None:
    k, n = pair
    phrase = quantify(k, n)
    assert phrase in {rule.phrase for rule in DEFAULT_RULES}
    assert describe(k, n) == f"{phrase} ({k}/{n})"


def test_every_count_up_to_60_exhaustively() -> None:
    for n in range(1, 61):
        phrases = [quantify(k, n) for k in range(n + 1)]
        assert phrases[0] == "no participants"
        assert phrases[n] == "all participants"


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (0, 0), (1, 0)])
def test_impossible_counts_rejected(k: int, n: int) -> None:
    with pytest.raises(ValueError):
        quantify(k, n)


def test_no_matching_rule_rejected() -> None:
    rules = (QuantifierRule("all participants", all_but=0),)
    with pytest.raises(ValueError, match="no quantifier rule covers 3 of 10"):
        quantify(3, 10, rules)


def test_first_matching_rule_wins_and_catch_all() -> None:
    rules = (QuantifierRule("every one", all_but=0), QuantifierRule("participants"))
    assert quantify(4, 4, rules) == "every one"
    assert quantify(2, 4, rules) == "participants"


def test_rule_fields_validated() -> None:
    with pytest.raises(ValueError, match="phrase"):
        QuantifierRule("  ")
    with pytest.raises(ValueError, match="at_least must be a proportion"):
        QuantifierRule("most", at_least=75)
    with pytest.raises(ValueError, match="k must be a whole number"):
        QuantifierRule("one", k=-1)


# --------------------------------------------------------------------------------------------
# YAML rule files
# --------------------------------------------------------------------------------------------

DEFAULTS_YAML = b"""\
- phrase: all participants
  all_but: 0
- phrase: all but one participant
  all_but: 1
  min_n: 4
- phrase: most participants
  at_least: 0.75
- phrase: the majority of participants
  above: 0.5
  below: 0.75
- phrase: half of the participants
  at_least: 0.5
  at_most: 0.5
- phrase: some participants
  above: 0.25
  below: 0.5
  min_k: 4
- phrase: a few participants
  k: 3
- phrase: a few participants
  at_most: 0.25
  min_k: 3
- phrase: two participants
  k: 2
- phrase: one participant
  k: 1
- phrase: no participants
  k: 0
"""


def test_yaml_equivalent_of_defaults_loads_to_defaults() -> None:
    assert load_rules(DEFAULTS_YAML, "quantifiers.yaml") == DEFAULT_RULES


def test_dump_and_load_round_trip() -> None:
    assert load_rules(dump_rules(DEFAULT_RULES).encode(), "x.yaml") == DEFAULT_RULES


def test_integer_proportions_accepted() -> None:
    rules = load_rules(b"- {phrase: all of them, at_least: 1}\n- {phrase: not all}\n", "q.yaml")
    assert rules[0].at_least == 1.0
    assert quantify(5, 5, rules) == "all of them"
    assert quantify(4, 5, rules) == "not all"


@pytest.mark.parametrize(
    ("text", "location", "reason"),
    [
        (b"- phrase: all\n  all_but: 0\n- phrase: most\n  atleast: 0.75\n", "rule 2", "atleast"),
        (b"- all_but: 0\n", "rule 1", "missing 'phrase'"),
        (b"- phrase: all\n- phrase: x\n  k: three\n", "rule 2", "k must be a whole number"),
        (b"- phrase: x\n  k: true\n", "rule 1", "k must be a whole number"),
        (b"- phrase: x\n  above: half\n", "rule 1", "above must be a proportion"),
        (b"- phrase: x\n  above: 1.5\n", "rule 1", "between 0 and 1"),
        (b"- phrase: 12\n", "rule 1", "phrase must be text"),
        (b"- phrase: ''\n", "rule 1", "phrase must be some words"),
        (b"- phrase: a\n- just a string\n", "rule 2", "must be a mapping"),
        (b"- phrase: a\n  min_n: -2\n", "rule 1", "min_n must be a whole number"),
    ],
)
def test_bad_rules_name_the_rule(text: bytes, location: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        load_rules(text, "quantifiers.yaml")
    assert caught.value.source == "quantifiers.yaml"
    assert caught.value.location == location
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"quantifiers.yaml: {location}: ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"", "holds no quantifier rules"),
        (b"[]\n", "empty"),
        (b"phrase: all\n", "expected a list of rules"),
    ],
)
def test_bad_files(text: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        load_rules(text, "quantifiers.yaml")
    assert caught.value.location is None


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(InputError, match="not valid YAML") as caught:
        load_rules(b"- phrase: all\n  k: [1\n", "quantifiers.yaml")
    assert caught.value.location is not None
    assert caught.value.location.startswith("line ")
