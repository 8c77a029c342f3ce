"""What a 422 says about a request that does not fit a route's parameters: the field and the
problem, never the value sent. FastAPI's default answer echoes each offending input back (a
150 MB body came back whole), and a field's value may be a participant's words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SOURCES = frozenset({"body", "query", "path", "header", "cookie"})
MAX_ERRORS = 5
MAX_NAME = 40
MAX_PROBLEM = 200


def field_name(loc: Sequence[object]) -> str:
    """``("body", "codes", 2)`` -> ``codes[2]``; the whole body -> ``body``. A name taken from
    the request (a key of a mapping) is cut short."""
    parts = list(loc[1:] if loc and loc[0] in SOURCES and len(loc) > 1 else loc)
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)[:MAX_NAME]
    return name or "body"


def problem(error: Mapping[str, Any]) -> str:
    """Pydantic's message, unless it quotes the value (a custom validator's message might)."""
    message = str(error.get("msg", ""))[:MAX_PROBLEM]
    value = error.get("input")
    quoted = isinstance(value, str) and len(value) >= 3 and value[:50] in message
    if not message or quoted:
        return f"is not valid ({error.get('type', 'invalid')})"
    return message


def problems(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """One ``{field, problem}`` per error, at most :data:`MAX_ERRORS`."""
    out: list[dict[str, str]] = []
    for error in errors:
        if len(out) == MAX_ERRORS:
            break
        out.append({"field": field_name(tuple(error.get("loc", ()))), "problem": problem(error)})
    return out


def summary(found: Sequence[Mapping[str, str]]) -> str:
    return "; ".join(f"{p['field']}: {p['problem']}" for p in found) or "the request is not valid"


__all__ = ["field_name", "problem", "problems", "summary"]
