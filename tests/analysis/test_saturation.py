"""Saturation against Guest, Namey & Chen (2020), Guest, Bunce & Johnson (2006) and Francis et
al. (2010); the worked examples are those of docs/methods.md#saturation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis.saturation import (
    GuestRun,
    cumulative,
    francis,
    guest,
    new_per_interview,
)


def dp4(x: float) -> object:
    return pytest.approx(x, abs=5e-5)


# A constructed vector that fits every run Guest et al. (2020) publish: the first four
# interviews give 37 codes (it is not the paper's data).
NEW = [20, 8, 5, 4, 4, 3, 1, 0, 1, 0, 0, 0]


# --------------------------------------------------------------------------------------------
# Counting new codes
# --------------------------------------------------------------------------------------------


def test_new_per_interview_counts_each_code_once() -> None:
    interviews = [{"a", "b", "c"}, {"b", "d"}, ["a", "a", "e", "e"], set(), {"f", "a"}]
    assert new_per_interview(interviews) == [3, 1, 1, 0, 1]
    assert cumulative(new_per_interview(interviews)) == [3, 4, 5, 5, 6]


def test_cumulative_of_nothing() -> None:
    assert new_per_interview([]) == []
    assert cumulative([]) == []


# --------------------------------------------------------------------------------------------
# Guest, Namey & Chen (2020)
# --------------------------------------------------------------------------------------------


def test_guest_base4_run2() -> None:
    """Paper's worked example: 7/37 = 18.9 %, 4/37 = 10.8 %, 1/37 = 2.7 % -> 6+2."""
    r = guest(NEW, base=4, run=2, threshold=0.05)
    assert r.base_codes == 37
    assert r.reached
    assert r.interviews == 6
    assert r.notation == "6+2"
    assert r.reason is None
    assert [(x.start, x.end, x.new) for x in r.runs] == [(5, 6, 7), (6, 7, 4), (7, 8, 1)]
    assert [x.ratio for x in r.runs] == [dp4(0.1892), dp4(0.1081), dp4(0.0270)]
    assert [x.at_or_below for x in r.runs] == [False, False, True]


def test_guest_base4_run3() -> None:
    r = guest(NEW, base=4, run=3)
    assert r.notation == "7+3"
    assert [x.new for x in r.runs] == [8, 4, 2, 1]
    assert [x.ratio for x in r.runs] == [dp4(0.2162), dp4(0.1081), dp4(0.0541), dp4(0.0270)]


@pytest.mark.parametrize(("base", "denominator"), [(5, 41), (6, 44)])
def test_guest_other_base_sizes_run2(base: int, denominator: int) -> None:
    r = guest(NEW, base=base, run=2)
    assert r.base_codes == denominator
    assert r.notation == "6+2"
    assert r.runs[-1].ratio == pytest.approx(1 / denominator)


def test_guest_zero_threshold() -> None:
    """T = 0: the first run with no new code is interviews 10-11 -> 9+2."""
    r = guest(NEW, base=4, run=2, threshold=0)
    assert r.notation == "9+2"
    assert r.runs[-1] == GuestRun(start=10, end=11, new=0, ratio=0.0, at_or_below=True)
    assert len(r.runs) == 6


def test_guest_base5_run3_boundary() -> None:
    """2/41 = 4.9 % is at most 5 % -> 6+3 (the paper's "7+3" is for its own data)."""
    r = guest(NEW, base=5, run=3)
    assert r.notation == "6+3"
    assert r.runs[-1].new == 2
    assert r.runs[-1].ratio == dp4(0.0488)


def test_guest_ratio_exactly_at_threshold_counts() -> None:
    """2/40 is exactly 5 %: compared exactly, it indicates saturation (no float rounding)."""
    r = guest([10, 10, 10, 10, 1, 1, 0], base=4, run=2, threshold=0.05)
    assert r.runs[0].new == 2
    assert r.runs[0].at_or_below
    assert r.notation == "4+2"


def test_guest_short_unfinished_study() -> None:
    r = guest(NEW[:5], base=4, run=2)
    assert not r.reached
    assert r.interviews is None
    assert r.notation == "not reached"
    assert r.runs == ()
    assert r.reason == "only 5 interviews: base 4 + run 2 needs 6"


def test_guest_not_reached_yet_lists_runs() -> None:
    r = guest(NEW[:8], base=4, run=3)  # runs 5-7 (8 new) and 6-8 (4 new): both above 5 %
    assert not r.reached
    assert [x.new for x in r.runs] == [8, 4]
    assert r.reason is not None
    assert "no run of 3 interviews" in r.reason
    assert "interview 8" in r.reason


def test_guest_no_codes_in_base() -> None:
    r = guest([0, 0, 0, 0, 3, 1], base=4, run=2)
    assert not r.reached
    assert r.reason is not None
    assert "no codes in the base" in r.reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": 0}, "base must be a whole number of interviews, at least 1"),
        ({"run": 0}, "run must be a whole number of interviews, at least 1"),
        ({"base": 2.5}, "base must be a whole number"),
        ({"threshold": 1.0}, "threshold"),
        ({"threshold": -0.01}, "threshold"),
        ({"threshold": float("nan")}, "threshold"),
    ],
)
def test_guest_arguments_validated(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        guest(NEW, **kwargs)  # type: ignore[arg-type]


def test_guest_counts_validated() -> None:
    with pytest.raises(ValueError, match="interview 2 has -1"):
        guest([3, -1, 0, 0, 0, 0])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10), min_size=0, max_size=25),
    st.integers(1, 6),
    st.integers(1, 3),
    st.sampled_from([0.0, 0.05, 0.1]),
)
def test_guest_properties(new: list[int], base: int, run: int, threshold: float) -> None:
    r = guest(new, base=base, run=run, threshold=threshold)
    assert r.reached == (r.reason is None)
    # runs overlap, shifting by one interview, all complete
    assert [x.start for x in r.runs] == list(range(base + 1, base + 1 + len(r.runs)))
    assert all(x.end - x.start + 1 == run and x.end <= len(new) for x in r.runs)
    # only the last run evaluated may be at or below the threshold
    assert not any(x.at_or_below for x in r.runs[:-1])
    if r.reached:
        assert r.runs[-1].at_or_below
        assert r.notation == f"{r.runs[-1].start - 1}+{run}"


# --------------------------------------------------------------------------------------------
# Guest, Bunce & Johnson (2006): the cumulative code curve
# --------------------------------------------------------------------------------------------


def test_guest_bunce_johnson_curve() -> None:
    """80 codes by interview 6, 100 by 12, 109 by 30 (Ghana), 114 by 60 (with Nigeria)."""
    new = [0] * 60
    new[0], new[6], new[12], new[30] = 80, 20, 9, 5  # batches of six; 5 new in Nigeria
    curve = cumulative(new)
    assert (curve[5], curve[11], curve[29], curve[59]) == (80, 100, 109, 114)
    assert curve[5] / curve[-1] == pytest.approx(0.702, abs=5e-4)
    assert curve[11] / curve[-1] == pytest.approx(0.877, abs=5e-4)
    # The published "92 %" is 100/109 (the 30-interview Ghana codebook), not 100/114.
    assert curve[11] / curve[29] == pytest.approx(0.917, abs=5e-4)
    assert round(100 * curve[11] / curve[-1]) != 92


# --------------------------------------------------------------------------------------------
# Francis et al. (2010)
# --------------------------------------------------------------------------------------------

FRANCIS_STUDY_2 = [5, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 3, 0, 0, 0]


def test_francis_study_2_saturates_at_17() -> None:
    assert sum(FRANCIS_STUDY_2) == 44  # 44 shared beliefs
    r = francis(FRANCIS_STUDY_2, initial=10, stop=3)
    assert r.reached
    assert r.interview == 17
    assert r.streak == 3
    assert r.reason is None


def test_francis_not_yet() -> None:
    r = francis(FRANCIS_STUDY_2[:16])
    assert not r.reached
    assert r.interview is None
    assert r.streak == 2
    assert r.reason is not None
    assert "current streak is 2" in r.reason


def test_francis_zeros_inside_initial_sample_do_not_count() -> None:
    r = francis([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0], initial=10, stop=3)
    assert not r.reached
    assert r.streak == 2


def test_francis_only_initial_sample() -> None:
    r = francis([5, 4, 3], initial=10)
    assert not r.reached
    assert r.streak == 0
    assert r.reason is not None
    assert "only 3 interviews" in r.reason


def test_francis_new_codes_after_saturation() -> None:
    """Saturation stays at the first interview the criterion was met; the streak is current."""
    r = francis([*FRANCIS_STUDY_2, 1, 0])
    assert r.interview == 17
    assert r.streak == 1


def test_francis_arguments_validated() -> None:
    with pytest.raises(ValueError, match="stop must be a whole number"):
        francis(FRANCIS_STUDY_2, stop=0)
    with pytest.raises(ValueError, match="initial must be a whole number"):
        francis(FRANCIS_STUDY_2, initial=-1)
