"""When recruitment may stop: the study's stopping rule applied to the new codes per interview
so far, and how many more interviews without new codes it would take (docs/recruitment.md).

Pure: the counts come from :mod:`thematica.analysis.saturation`'s ``new_per_interview``, the
verdicts from its :func:`~thematica.analysis.saturation.guest` and
:func:`~thematica.analysis.saturation.francis`. "How many more" is found by asking the same
function: the fewest interviews with no new code that, added now, would meet the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from thematica.analysis import saturation

GUEST = "guest"
FRANCIS = "francis"
RULES = (GUEST, FRANCIS)


@dataclass(frozen=True)
class StoppingRule:
    """Guest, Namey & Chen (2020) base/run/threshold, or Francis et al. (2010) initial/stop."""

    rule: str = GUEST
    base: int = 4
    run: int = 2
    threshold: float = 0.05
    initial: int = 10
    stop: int = 3

    def describe(self) -> str:
        if self.rule == FRANCIS:
            return (
                f"Francis et al. (2010): initial analysis sample {self.initial}, stopping "
                f"criterion {self.stop} interviews without new codes"
            )
        return (
            f"Guest, Namey & Chen (2020): base {self.base}, run {self.run}, new-information "
            f"threshold {self.threshold:.0%}"
        )


@dataclass(frozen=True)
class StoppingView:
    """What the overview shows as each interview is coded."""

    interviews: int  # interviews coded so far
    maximum: int | None  # the planned maximum sample, if recorded
    rule: StoppingRule
    reached: bool
    at: str  # "7+2" (Guest) or "interview 13" (Francis); "" when not reached
    more: int | None  # interviews without new codes still needed; None: the rule cannot be met
    message: str
    new: tuple[int, ...]  # new codes per interview, in order
    cumulative: tuple[int, ...]

    @property
    def at_maximum(self) -> bool:
        return self.maximum is not None and self.interviews >= self.maximum


def _reached(new: Sequence[int], rule: StoppingRule) -> tuple[bool, str]:
    if rule.rule == FRANCIS:
        found = saturation.francis(new, rule.initial, rule.stop)
        return found.reached, f"interview {found.interview}" if found.reached else ""
    guest = saturation.guest(new, rule.base, rule.run, rule.threshold)
    return guest.reached, guest.notation if guest.reached else ""


def _first_needed(rule: StoppingRule) -> int:
    return rule.initial if rule.rule == FRANCIS else rule.base


def more_needed(new: Sequence[int], rule: StoppingRule) -> int | None:
    """The fewest further interviews that would meet the rule: interviews that complete the
    base (Guest) or the initial sample (Francis), assumed to bring codes, then interviews that
    add none. None when no number of them would (a Guest base with no codes)."""
    first = _first_needed(rule)
    filler = [1] * max(0, first - len(new))
    limit = first + rule.run + rule.stop + len(new) + 1
    for zeros in range(0, limit):
        if _reached([*new, *filler, *([0] * zeros)], rule)[0]:
            return len(filler) + zeros
    return None


def stopping_view(new: Sequence[int], rule: StoppingRule, maximum: int | None) -> StoppingView:
    """The verdict and message for the interviews coded so far (``new``: new codes in each)."""
    reached, at = _reached(new, rule)
    more = 0 if reached else more_needed(new, rule)
    first = _first_needed(rule)
    if reached:
        message = f"saturation reached at {at}: recruitment may stop"
    elif more is None:
        message = (
            f"not yet: the first {rule.base} interviews produced no codes, so no run of "
            "interviews can be compared with them"
        )
    elif len(new) < first:
        sample = "initial analysis sample" if rule.rule == FRANCIS else "base"
        rest = more - (first - len(new))
        message = (
            f"not yet: {more} more interviews needed ({first - len(new)} to complete the "
            f"{sample} of {first}, then {rest} without new codes)"
        )
    else:
        word = "interview" if more == 1 else "interviews"
        message = f"not yet: {more} more {word} without new codes needed"
    if not reached and maximum is not None and len(new) >= maximum:
        message += f"; the planned maximum of {maximum} interviews is reached"
    return StoppingView(
        interviews=len(new),
        maximum=maximum,
        rule=rule,
        reached=reached,
        at=at,
        more=more,
        message=message,
        new=tuple(new),
        cumulative=tuple(saturation.cumulative(new)),
    )
