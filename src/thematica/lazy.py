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


@contextmanager
def imports_without_gc() -> Iterator[None]:
    """Import the heavy parts (SQLAlchemy, the service) with the cyclic garbage collector off.

    Importing makes many long-lived objects and almost no garbage, yet each allocation burst
    triggers a collection that walks every object made so far: about 15 % of a command's start
    (``bench/run.py cli``). Afterwards what was imported is frozen (``gc.freeze``), so later
    collections skip it too, and the collector is on again as before. When nothing new was
    imported (a long-running process, a test calling the CLI again) nothing is frozen, so
    objects that later become garbage are still collected."""
    enabled = gc.isenabled()
    loaded = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if len(sys.modules) > loaded:
                gc.freeze()
            gc.enable()
