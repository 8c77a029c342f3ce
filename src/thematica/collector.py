"""Python's cyclic garbage collector paused while bulk work builds 100,000s of objects.

Building a large result (an agreement report, a REFI-QDA project of 250,000 codings) makes many
long-lived objects and almost no cyclic garbage, yet every few hundred allocations start a
collection, and the older generations rescan everything built so far: on the large study, 1.6 s
of a 6 s .qdpx read and 1.5 s of an export. The collector is back on afterwards, if it was on,
whatever happens.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (reference counting still frees
    everything that is not in a cycle)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


__all__ = ["collector_paused"]
