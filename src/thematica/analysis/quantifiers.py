"""Words for "how many participants": a disclosed convention, always printed with n/N.

No published numeric threshold scheme for verbal quantifiers is known
(docs/methods.md#verbal-quantifiers). Thematica therefore treats the mapping as a project setting
that the methods section discloses, and it always prints the count beside the word, e.g. "the
majority of participants (7/10)" (Maxwell 2010's quasi-statistics; it avoids the "verbal
counting" pitfall of Sandelowski 2001). Count participants (single counting), never quotes or
segments.

Default mapping (k of N participants; the first row whose conditions all hold wins):

==================================  ====================================  =======
condition                           phrase                                N = 10
==================================  ====================================  =======
k = N                               all participants                      10
k = N - 1, and N >= 4               all but one participant               9
k/N >= 0.75                         most participants                     8
0.5 < k/N < 0.75                    the majority of participants          7, 6
k/N = 0.5                           half of the participants              5
0.25 < k/N < 0.5, and k >= 4        some participants                     4
k = 3                               a few participants                    3
k/N <= 0.25, and k >= 3             a few participants                    (3)
k = 2                               two participants                      2
k = 1                               one participant                       1
k = 0                               no participants                       0
==================================  ====================================  =======

More examples: N = 12 gives 3 "a few", 4 and 5 "some", 9 "most"; N = 20 gives 4 "a few",
11 "the majority"; N = 7, k = 4 "the majority"; N = 4, k = 3 "all but one participant".

The default table is designed for N >= 4. For smaller studies the same rules apply in the
same order, except that "all but one" needs N >= 4, so 1 of 2 is "half of the participants",
2 of 3 "the majority of participants" and 1 of 1 "all participants".

A project may replace the mapping with a YAML list of rules (:func:`load_rules`), each a mapping
with ``phrase`` and any of the conditions ``k``, ``all_but``, ``at_least``, ``above``,
``below``, ``at_most`` (proportions k/N, compared exactly as written), ``min_k`` and ``min_n``.
A rule with only a phrase matches everything, so it can serve as a final catch-all.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from functools import cached_property
from typing import Any

from thematica.errors import InputError

_COUNT_FIELDS = ("k", "all_but", "min_k", "min_n")
_PROPORTION_FIELDS = ("at_least", "above", "below", "at_most")


def _exact(proportion: float) -> Fraction:
    """A proportion as the decimal it is written as (0.75 -> 3/4), for exact comparison."""
    return Fraction(str(proportion))


@dataclass(frozen=True)
class QuantifierRule:
    """One row of the mapping: a phrase and the conditions on k of N under which it is used.

    A rule matches when ALL its given conditions hold; the first matching rule wins.
    """

    phrase: str
    k: int | None = None  # exactly k participants
    all_but: int | None = None  # exactly N - all_but participants
    at_least: float | None = None  # k/N >= at_least
    above: float | None = None  # k/N > above
    below: float | None = None  # k/N < below
    at_most: float | None = None  # k/N <= at_most
    min_k: int | None = None  # k >= min_k
    min_n: int | None = None  # N >= min_n

    def __post_init__(self) -> None:
        if not isinstance(self.phrase, str) or not self.phrase.strip():
            raise ValueError("phrase must be some words, such as 'some participants'")
        for name in _COUNT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"{name} must be a whole number of participants (0 or more); got {value!r}"
                )
        for name in _PROPORTION_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"{name} must be a proportion between 0 and 1, such as 0.25; got {value!r}"
                )
            if not (math.isfinite(value) and 0 <= value <= 1):
                raise ValueError(
                    f"{name} must be a proportion between 0 and 1, such as 0.25; got {value!r}"
                )

    @cached_property
    def _bounds(self) -> tuple[tuple[str, int, int], ...]:
        """The proportion conditions as exact fractions (numerator, denominator), made once."""
        out = []
        for op, value in (
            (">=", self.at_least),
            (">", self.above),
            ("<", self.below),
            ("<=", self.at_most),
        ):
            if value is not None:
                exact = _exact(value)
                out.append((op, exact.numerator, exact.denominator))
        return tuple(out)

    def matches(self, k: int, n: int) -> bool:
        """Whether every condition this rule gives holds for k of n participants. Proportions
        are compared exactly, in whole numbers: k/n >= a/b exactly when k*b >= a*n (n, b > 0)."""
        if self.k is not None and k != self.k:
            return False
        if self.all_but is not None and k != n - self.all_but:
            return False
        if self.min_k is not None and k < self.min_k:
            return False
        if self.min_n is not None and n < self.min_n:
            return False
        for op, a, b in self._bounds:
            left, right = k * b, a * n
            if not _COMPARE[op](left, right):
                return False
        return True


_COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
}


DEFAULT_RULES: tuple[QuantifierRule, ...] = (
    QuantifierRule("all participants", all_but=0),
    QuantifierRule("all but one participant", all_but=1, min_n=4),
    QuantifierRule("most participants", at_least=0.75),
    QuantifierRule("the majority of participants", above=0.5, below=0.75),
    QuantifierRule("half of the participants", at_least=0.5, at_most=0.5),
    QuantifierRule("some participants", above=0.25, below=0.5, min_k=4),
    QuantifierRule("a few participants", k=3),
    QuantifierRule("a few participants", at_most=0.25, min_k=3),
    QuantifierRule("two participants", k=2),
    QuantifierRule("one participant", k=1),
    QuantifierRule("no participants", k=0),
)


def _check_k_n(k: int, n: int) -> None:
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number of participants; got {value!r}")
    if n < 1:
        raise ValueError(f"a study needs at least one participant; got n = {n}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and the {n} participants; got k = {k}")


def quantify(k: int, n: int, rules: Sequence[QuantifierRule] = DEFAULT_RULES) -> str:
    """The phrase of the first rule that matches k of n participants (see the module table)."""
    _check_k_n(k, n)
    for rule in rules:
        if rule.matches(k, n):
            return rule.phrase
    raise ValueError(
        f"no quantifier rule covers {k} of {n} participants; add a rule for it "
        "(a rule with only a phrase matches everything)"
    )


def describe(k: int, n: int, rules: Sequence[QuantifierRule] = DEFAULT_RULES) -> str:
    """The phrase with the count beside it, always: ``f"{phrase} ({k}/{n})"`` (Maxwell 2010)."""
    return f"{quantify(k, n, rules)} ({k}/{n})"


def dump_rules(rules: Sequence[QuantifierRule]) -> str:
    """The rules as YAML text that :func:`load_rules` reads back (conditions left out if unset)."""
    import yaml  # here, not at the top: most commands never read or write rules

    items = [
        {name: value for name, value in asdict(rule).items() if value is not None} for rule in rules
    ]
    return yaml.safe_dump(items, sort_keys=False, allow_unicode=True)


_FIELD_NAMES = tuple(f.name for f in fields(QuantifierRule))


def _rule_from_mapping(item: dict[Any, Any], source: str, location: str) -> QuantifierRule:
    unknown = [str(key) for key in item if key not in _FIELD_NAMES]
    if unknown:
        raise InputError(
            source,
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"a rule may have: {', '.join(_FIELD_NAMES)}",
            location,
        )
    phrase = item.get("phrase")
    if phrase is None:
        raise InputError(source, "missing 'phrase' (the words to print)", location)
    if not isinstance(phrase, str):
        raise InputError(source, f"phrase must be text, not {phrase!r}", location)
    counts: dict[str, int | None] = {}
    for name in _COUNT_FIELDS:
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(
                source, f"{name} must be a whole number of participants, not {value!r}", location
            )
        counts[name] = value
    proportions: dict[str, float | None] = {}
    for name in _PROPORTION_FIELDS:
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InputError(
                source, f"{name} must be a proportion such as 0.25, not {value!r}", location
            )
        proportions[name] = None if value is None else float(value)
    try:
        return QuantifierRule(
            phrase,
            k=counts["k"],
            all_but=counts["all_but"],
            at_least=proportions["at_least"],
            above=proportions["above"],
            below=proportions["below"],
            at_most=proportions["at_most"],
            min_k=counts["min_k"],
            min_n=counts["min_n"],
        )
    except ValueError as exc:
        raise InputError(source, str(exc), location) from exc


def load_rules(data: bytes, source: str) -> tuple[QuantifierRule, ...]:
    """Read a project's quantifier mapping: a YAML list of rules (see the module docstring).

    Raises :class:`~thematica.errors.InputError` naming ``source`` and the rule (``"rule 3"``,
    counted from 1) for unknown fields, wrong types, a missing phrase or an empty list.
    """
    import yaml  # here, not at the top: most commands never read or write rules

    try:
        document = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise InputError(source, f"not valid YAML: {problem}", where) from exc
    if document is None:
        raise InputError(source, "the file holds no quantifier rules")
    if not isinstance(document, list):
        raise InputError(
            source, "expected a list of rules, each a mapping such as '- phrase: some participants'"
        )
    if not document:
        raise InputError(source, "the list of quantifier rules is empty")
    rules: list[QuantifierRule] = []
    for number, item in enumerate(document, start=1):
        location = f"rule {number}"
        if not isinstance(item, dict):
            raise InputError(
                source,
                f"a rule must be a mapping with a phrase and conditions, not {item!r}",
                location,
            )
        rules.append(_rule_from_mapping(item, source, location))
    return tuple(rules)
