"""Natural sort: "aspect 2" before "aspect 10", as people read numbers in names.

One rule, written twice: here for the pages the server renders, and in
``web/static/code_tree.js`` (``naturalCompare``) for codes the browser adds or filters. Both
split a name into runs of ASCII digits and the text between them, compare text runs by their
lower-cased code points and digit runs by value, and break ties by the name as written, so
that every name has one place. ``tests/web/test_code_tree.py`` checks the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_RUNS = re.compile(r"([0-9]+)")

NaturalKey = tuple[tuple[str | int, ...], str]


@lru_cache(maxsize=16_384)
def natural_key(name: str) -> NaturalKey:
    """The sort key of one name: text runs lower-cased, digit runs as numbers (the runs
    alternate text, number, text, ..., so like is always compared with like). Remembered: a
    page sorts the same few hundred code names on every request."""
    runs = _RUNS.split(name)
    return (tuple(int(r) if i % 2 else r.lower() for i, r in enumerate(runs)), name)


def path_key(path: Iterable[str]) -> tuple[NaturalKey, ...]:
    """The sort key of a code path: parents before their children, siblings in natural
    order."""
    return tuple(natural_key(part) for part in path)
