"""New codes per interview over arrays: :func:`thematica.analysis.saturation.new_per_interview`
for a whole study's (code, interview) pairs at once, without a set per interview (issue 15:
at 3,000 interviews the sets grew faster than the study). A code is new in the first interview
where it appears, so the count of interview ``i`` is the number of codes whose earliest
interview is ``i``. ``tests/analysis/test_saturation_arrays.py`` checks it against
``new_per_interview``, the reference."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def new_per_interview(codes: Ints, interviews: Ints, count: int) -> list[int]:
    """New codes in each of ``count`` interviews, in order. ``codes[k]`` was applied in interview
    ``interviews[k]`` (0 to ``count`` - 1, the order they are counted in); pairs may repeat."""
    if not len(codes):
        return [0] * count
    first = np.full(int(codes.max()) + 1, count, dtype=np.int64)  # count: never applied
    np.minimum.at(first, codes, interviews)
    first = first[first < count]
    return [int(n) for n in np.bincount(first, minlength=count)]


__all__ = ["new_per_interview"]
