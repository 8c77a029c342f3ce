"""Code saturation counted as interviews go on (docs/methods.md#saturation).

Everything here starts from the number of *new* codes each interview contributed, in the order the
interviews were conducted (or analysed): :func:`new_per_interview` turns each interview's set of
codes into those counts, :func:`cumulative` gives the code curve (Guest, Bunce & Johnson 2006).

* :func:`guest`: Guest, Namey & Chen (2020), PLoS ONE 15(5): e0232076. A fixed base denominator
  (unique codes in the first ``base`` interviews), overlapping runs of ``run`` interviews shifting
  by one, saturation at the first run whose new codes are at most ``threshold`` of the base.
  Reported as ``"n+r"``.
* :func:`francis`: Francis et al. (2010), Psychology & Health 25(10):1229-1245. After an initial
  analysis sample, saturation when ``stop`` consecutive interviews add no new code.

Which code level feeds the counts (level-one codes of one coder, or reconciled codes) is the
caller's choice and must be reported with the result. Saturation belongs to the coding-reliability
and codebook families of thematic analysis, not to reflexive TA (Braun & Clarke 2021).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


def new_per_interview(code_sets: Sequence[Collection[Hashable]]) -> list[int]:
    """New codes in each interview, in order: ``new_i = |codes_i - (codes_1 | ... | codes_{i-1})|``.

    Source: Guest, Namey & Chen (2020). A code counts once, in the first
    interview where it appears; repeats within an interview count once.
    """
    seen: set[Hashable] = set()
    counts: list[int] = []
    for codes in code_sets:
        fresh = set(codes) - seen
        counts.append(len(fresh))
        seen |= fresh
    return counts


def cumulative(new: Sequence[int]) -> list[int]:
    """The cumulative code curve: unique codes found up to and including each interview.

    ``cumulative[i] = new_1 + ... + new_{i+1}`` (Guest, Bunce & Johnson 2006). See
    docs/methods.md#new-codes-per-interview-and-the-cumulative-curve.
    """
    _check_counts(new)
    return list(itertools.accumulate(new))


def _check_counts(new: Sequence[int]) -> None:
    for i, count in enumerate(new, start=1):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(
                f"new-code counts must be whole numbers of 0 or more; interview {i} has {count!r}"
            )


def _check_whole(name: str, value: int, meaning: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"{name} must be a whole number of interviews, at least 1 ({meaning}); got {value!r}"
        )


def _percent(value: Fraction) -> str:
    return f"{float(value * 100):.3g} %"


@dataclass(frozen=True)
class GuestRun:
    """One run of consecutive interviews after the base, and its saturation ratio."""

    start: int  # 1-based interview number where the run starts
    end: int  # 1-based last interview of the run
    new: int  # new codes in the run
    ratio: float  # new / base codes
    at_or_below: bool  # ratio <= threshold


@dataclass(frozen=True)
class GuestResult:
    """Guest, Namey & Chen (2020) saturation: the settings, the verdict and every run evaluated."""

    base: int
    run: int
    threshold: float
    base_codes: int  # unique codes in the first `base` interviews (the fixed denominator)
    reached: bool
    interviews: int | None  # n in "n+r" (the last interview before the saturating run)
    notation: str  # "6+2" or "not reached"
    runs: tuple[GuestRun, ...]  # every complete run evaluated, in order, up to the saturating one
    reason: str | None  # why not reached / undefined


def guest(new: Sequence[int], base: int = 4, run: int = 2, threshold: float = 0.05) -> GuestResult:
    """Saturation by Guest, Namey & Chen (2020), PLoS ONE 15(5): e0232076.

    See docs/methods.md#guest-namey-and-chen-2020-base-run-and-threshold.

    ``D = new_1 + ... + new_base`` is the fixed denominator (unique codes in the base). For each run
    start ``s = base+1, base+2, ...`` (runs overlap, shifting by one interview),
    ``ratio(s) = (new_s + ... + new_{s+run-1}) / D``. Saturation is at the first ``s`` with
    ``ratio(s) <= threshold`` and is reported as ``"(s-1)+run"``. The comparison is exact:
    the threshold is read as the decimal it is written as, so 2/40 <= 0.05 holds.
    Guest et al. tested base 4, 5 or 6, run 2 or 3, threshold 0.05 or 0.
    """
    _check_counts(new)
    _check_whole("base", base, "Guest et al. used 4, 5 or 6")
    _check_whole("run", run, "Guest et al. used 2 or 3")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ValueError(f"threshold must be a proportion such as 0.05 (5 %); got {threshold!r}")
    if not 0 <= threshold < 1:
        raise ValueError(
            f"threshold is the share of new codes at or below which saturation is indicated: "
            f"at least 0 and below 1, e.g. 0.05 for 5 % or 0 for no new codes; got {threshold!r}"
        )
    limit = Fraction(str(threshold))
    base_codes = sum(new[:base])
    runs: list[GuestRun] = []
    reason: str | None = None
    saturating: GuestRun | None = None
    if len(new) < base + run:
        reason = f"only {len(new)} interviews: base {base} + run {run} needs {base + run}"
    elif base_codes == 0:
        reason = f"no codes in the base: the first {base} interviews produced no codes to divide by"
    else:
        for start in range(base + 1, len(new) - run + 2):
            found = sum(new[start - 1 : start - 1 + run])
            ratio = Fraction(found, base_codes)
            current = GuestRun(start, start + run - 1, found, float(ratio), ratio <= limit)
            runs.append(current)
            if current.at_or_below:
                saturating = current
                break
        if saturating is None:
            lowest = min(runs, key=lambda r: r.new)
            reason = (
                f"no run of {run} interviews after the base added {_percent(limit)} or less of "
                f"the {base_codes} base codes (lowest: {lowest.new} new in interviews "
                f"{lowest.start}-{lowest.end}, {_percent(Fraction(lowest.new, base_codes))}); "
                f"the last complete run ends at interview {len(new)}"
            )
    interviews = None if saturating is None else saturating.start - 1
    return GuestResult(
        base=base,
        run=run,
        threshold=threshold,
        base_codes=base_codes,
        reached=saturating is not None,
        interviews=interviews,
        notation="not reached" if interviews is None else f"{interviews}+{run}",
        runs=tuple(runs),
        reason=reason,
    )


@dataclass(frozen=True)
class FrancisResult:
    """Francis et al. (2010) saturation: initial analysis sample plus a stopping criterion."""

    initial: int
    stop: int
    reached: bool
    interview: int | None  # the interview at which the stopping criterion was met
    streak: int  # current run of consecutive interviews with no new codes after the initial sample
    reason: str | None


def francis(new: Sequence[int], initial: int = 10, stop: int = 3) -> FrancisResult:
    """Saturation by Francis et al. (2010), Psychology & Health 25(10):1229-1245.

    See docs/methods.md#francis-et-al-2010-initial-sample-and-stopping-criterion.

    After the first ``initial`` interviews (the initial analysis sample), count consecutive
    interviews that add no new code; saturation is at the interview where that streak first
    reaches ``stop`` (the stopping criterion). Francis et al. demonstrated initial 10, stop 3.
    ``streak`` is the streak at the latest interview, so a value below ``stop`` together with
    ``reached`` means new codes appeared again after saturation was declared.
    """
    _check_counts(new)
    _check_whole("initial", initial, "the initial analysis sample; Francis et al. used 10")
    _check_whole("stop", stop, "the stopping criterion; Francis et al. used 3")
    streak = 0
    interview: int | None = None
    for number in range(initial + 1, len(new) + 1):
        streak = streak + 1 if new[number - 1] == 0 else 0
        if interview is None and streak >= stop:
            interview = number
    reason: str | None = None
    if interview is None:
        if len(new) <= initial:
            reason = (
                f"only {len(new)} interviews: the stopping criterion counts interviews after the "
                f"initial analysis sample of {initial}"
            )
        else:
            reason = (
                f"{stop} consecutive interviews without new codes are needed after interview "
                f"{initial}; the current streak is {streak}"
            )
    return FrancisResult(
        initial=initial,
        stop=stop,
        reached=interview is not None,
        interview=interview,
        streak=streak,
        reason=reason,
    )


def threshold_percent(threshold: float) -> str:
    """The Guest threshold as the percentage it was given as, never rounded: ``0.005`` is
    ``"0.5%"``, ``0.05`` is ``"5%"``. The threshold is read as the decimal it is written as (as
    :func:`guest` compares it), so ``0.07`` is ``"7%"``, not ``"7.000000000000001%"``."""
    percent = (Decimal(repr(float(threshold))) * 100).normalize()
    return f"{percent:f}%"
