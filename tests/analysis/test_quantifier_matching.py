"""The quantifier rules compare proportions in whole numbers (k*b against a*n) rather than with
Fractions (issue 15): the answer must be the exact one, checked against the Fraction reference
for every k of every n up to 120 and for awkward decimals (0.1, 1/3 written as 0.333...)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from thematica.analysis.quantifiers import DEFAULT_RULES, QuantifierRule


def reference(rule: QuantifierRule, k: int, n: int) -> bool:
    share = Fraction(k, n)
    exact = lambda p: Fraction(str(p))  # noqa: E731 - the written decimal, as documented
    return all(
        (
            rule.k is None or k == rule.k,
            rule.all_but is None or k == n - rule.all_but,
            rule.at_least is None or share >= exact(rule.at_least),
            rule.above is None or share > exact(rule.above),
            rule.below is None or share < exact(rule.below),
            rule.at_most is None or share <= exact(rule.at_most),
            rule.min_k is None or k >= rule.min_k,
            rule.min_n is None or n >= rule.min_n,
        )
    )


AWKWARD = (
    QuantifierRule("a tenth or more", at_least=0.1),
    QuantifierRule("over a third", above=0.3333333333333333),
    QuantifierRule("under two thirds", below=0.6666666666666666, min_k=2),
    QuantifierRule("at most 0.7", at_most=0.7, min_n=3),
    QuantifierRule("everything", at_least=0, at_most=1),
    QuantifierRule("none of it", above=1),
)


@pytest.mark.parametrize("rule", DEFAULT_RULES + AWKWARD, ids=lambda r: r.phrase)
def test_matching_is_exact(rule: QuantifierRule) -> None:
    for n in range(1, 121):
        for k in range(n + 1):
            assert rule.matches(k, n) == reference(rule, k, n), (k, n)


def test_a_tenth_is_exactly_a_tenth() -> None:
    """0.1 as a float is a little more than 1/10; the rule means the written 0.1."""
    rule = QuantifierRule("a tenth or more", at_least=0.1)
    assert rule.matches(1, 10)
    assert not rule.matches(9, 91)
