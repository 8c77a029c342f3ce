"""Name-based (version 5) UUIDs as strings, computed without the ``uuid`` module's overhead.

``str(uuid.uuid5(namespace, name))`` is the SHA-1 of the namespace's 16 bytes and the name's
UTF-8, cut to 16 bytes, with the version (5) and the RFC 4122 variant bits set. Exporting a
large study derives hundreds of thousands of GUIDs from names that share a long prefix
(``thematica:<seed>:coding:``): :class:`Uuid5` hashes the namespace and that prefix once and
copies the hash for each name, and formats the hex digest directly. The values are exactly
``uuid.uuid5``'s (a test compares them).
"""

from __future__ import annotations

import hashlib
import uuid


def _format(hexdigest: str) -> str:
    x = hexdigest
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:32]}"


class Uuid5:
    """``str(uuid.uuid5(namespace, prefix + name))`` for any ``name``, fast."""

    __slots__ = ("_base",)

    def __init__(self, namespace: uuid.UUID, prefix: str = "") -> None:
        self._base = hashlib.sha1(namespace.bytes + prefix.encode(), usedforsecurity=False)

    def __call__(self, name: str) -> str:
        h = self._base.copy()
        h.update(name.encode())
        return _format(h.hexdigest())


def uuid5(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))``."""
    return _format(hashlib.sha1(namespace.bytes + name.encode(), usedforsecurity=False).hexdigest())


__all__ = ["Uuid5", "uuid5"]
