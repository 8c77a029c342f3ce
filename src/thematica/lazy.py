"""Modules loaded when first used, not when imported: most commands touch a few of the service's
parts, and importing them all cost a command a third of its start-up (``bench/run.py cli``).

Use it with a ``TYPE_CHECKING`` import of the same module, so the type checker sees the real
one::

    if TYPE_CHECKING:
        from thematica.service import reconcile as rc
    else:
        rc = lazy_module("thematica.service.reconcile")
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_REGISTERED: list[str] = []


def lazy_module(name: str) -> ModuleType:
    """``name``, imported for real at its first attribute access (or now, if already loaded)."""
    _REGISTERED.append(name)
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def load_all() -> None:
    """Load every module registered so far. A server calls this before it serves: before Python
    3.12.3 the first use of a lazy module from two threads at once could see it half loaded
    (CPython gh-114763), and a server's threads are many."""
    for name in _REGISTERED:
        _ = sys.modules[name].__doc__  # any attribute loads it


_FREEZE = False


def freeze_after_imports() -> None:
    """Make :func:`imports_without_gc` freeze what it imports. Only a process's entry point
    (the ``thematica`` command) calls this: in a test or a library user's process, objects
    alive at a freeze would never be collected once they became garbage."""
    global _FREEZE
    _FREEZE = True


@contextmanager
def imports_without_gc() -> Iterator[None]:
    """Import the heavy parts (SQLAlchemy, the service) with the cyclic garbage collector off.

    Importing makes many long-lived objects and almost no garbage, yet the collector walks them
    again and again: about a third of a command's start-up CPU (``bench/run.py cli``). Turning
    it off is not enough, since the first collection afterwards walks them all; in the
    ``thematica`` command what was imported is also frozen (``gc.freeze``), so no later
    collection walks it. The collector is on again afterwards, as it was. When nothing new was
    imported, nothing is frozen."""
    enabled = gc.isenabled()
    loaded = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _FREEZE and len(sys.modules) > loaded:
                gc.freeze()
            gc.enable()
