"""New codes per interview over arrays against ``saturation.new_per_interview``, the reference
(Guest, Namey & Chen 2020): the same counts for any interviews' codes (Hypothesis), with
repeats, interviews without codes and codes applied once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import saturation, saturation_arrays


def arrays(interviews: list[list[int]]) -> list[int]:
    pairs = [(code, i) for i, codes in enumerate(interviews) for code in codes]
    codes = np.array([c for c, _i in pairs], dtype=np.int64)
    at = np.array([i for _c, i in pairs], dtype=np.int64)
    return saturation_arrays.new_per_interview(codes, at, len(interviews))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=10), max_size=15))
def test_new_codes_match_the_reference(interviews: list[list[int]]) -> None:
    assert arrays(interviews) == saturation.new_per_interview(interviews)


def test_the_published_example() -> None:
    """tests/analysis/test_saturation.py's interviews (a..f as 1..6): 3, 1, 1, 0, 1 new codes."""
    interviews = [[1, 2, 3], [2, 4], [1, 1, 5, 5], [], [6, 1]]
    assert arrays(interviews) == [3, 1, 1, 0, 1]
    assert arrays([]) == [] and arrays([[], []]) == [0, 0]
