"""A claim against the true count: exact n/N for numbers, the study's quantifier rules for
word phrases (``analysis/quantifiers.py``).

Every claim allows a set of counts (:func:`readings`): "seven" allows 7, "all but one" N - 1,
"half" N/2 (either side when N is odd), "70%" the counts that round to it, "most" and "the
majority" more than half, "some" at least one. A claim whose readings miss the true count
*contradicts*. A word quantifier whose readings include it but which is not the phrase the
study's rules give for it ("most" for 6 of 10, where the rules say "the majority") is an
*ambiguous quantifier*: true in English, not in the words the methods section discloses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from thematica.analysis.quantifiers import QuantifierRule, quantify
from thematica.manuscript.claims import Claim
from thematica.manuscript.results import AMBIGUOUS, CONSISTENT, CONTRADICTS

_NOUNS = ("participants", "participant")


def core(phrase: str) -> str:
    """A rule's phrase without its noun: "the majority of participants" -> "the majority"."""
    words = " ".join(phrase.lower().split())
    for noun in _NOUNS:
        for joint in (" of the ", " of ", " "):
            if words.endswith(joint + noun):
                return words[: -len(joint + noun)]
    return words


_VAGUE_READINGS: dict[str, Callable[[int, int], bool]] = {
    "most": lambda k, n: 2 * k > n,
    "the majority": lambda k, n: 2 * k > n,
    "a minority": lambda k, n: k > 0 and 2 * k < n,
    "few": lambda k, n: k > 0 and 2 * k < n,
    "a few": lambda k, n: k >= 2 and 2 * k <= n,
    "a handful": lambda k, n: 2 <= k <= 5 and k < n,
    "several": lambda k, n: k >= 3,
    "many": lambda k, n: k >= 3,
    "a number": lambda k, n: k >= 2,
    "some": lambda k, n: k >= 1,
}


def readings(claim: Claim, total: int) -> frozenset[int]:
    """The counts (0..total) the claim allows."""
    every = range(total + 1)
    if claim.n is not None:
        n = total - claim.n if claim.complement else claim.n
        allowed = frozenset({n}) if 0 <= n <= total else frozenset()
        if claim.phrase in _VAGUE_READINGS:  # "most (7/10)": both must hold
            test = _VAGUE_READINGS[claim.phrase]
            allowed = frozenset(k for k in allowed if test(k, total))
        return allowed
    if claim.but is not None:
        return frozenset({total - claim.but}) if claim.but <= total else frozenset()
    if claim.percent is not None:
        exact = total * claim.percent / 100
        return frozenset(k for k in {math.floor(exact), math.ceil(exact)} if 0 <= k <= total)
    if claim.fraction is not None:
        p, q = claim.fraction
        return frozenset({math.floor(total * p / q), math.ceil(total * p / q)})
    if claim.phrase == "all":
        return frozenset({total})
    if claim.phrase in _VAGUE_READINGS:
        test = _VAGUE_READINGS[claim.phrase]
        return frozenset(k for k in every if test(k, total))
    return frozenset(every)  # "N = 10" alone says nothing of k


@dataclass(frozen=True)
class Verdict:
    status: str
    rule_phrase: str
    note: str


def check(claim: Claim, k: int, total: int, rules: Sequence[QuantifierRule]) -> Verdict:
    """``claim`` against the true ``k`` of ``total`` participants."""
    try:
        phrase = quantify(k, total, rules)
    except ValueError:
        phrase = ""
    told = f"the study has {k}/{total}" + (f" ({phrase})" if phrase else "")
    if claim.total is not None and claim.total != total:
        return Verdict(CONTRADICTS, phrase, f"the draft says of {claim.total}; {told}")
    if k not in readings(claim, total):
        return Verdict(CONTRADICTS, phrase, told)
    vague = claim.phrase in _VAGUE_READINGS
    if vague and phrase and core(phrase) != claim.phrase:
        return Verdict(
            AMBIGUOUS,
            phrase,
            f"true in words, but the quantifier rules say “{core(phrase)}”; {told}",
        )
    return Verdict(CONSISTENT, phrase, told)
