"""A JSON twin's answer written by the standard library's C encoder.

For an endpoint that returns a dict, FastAPI walks every value with ``jsonable_encoder`` (in
Python) before it encodes the result: about 45 % of the time of a 5,000-word transcript's twin
(``bench/run.py taguette``). :class:`TwinJSON` encodes the same dict directly, turning the few
types the serialiser leaves (dates and times, enums, sets, dataclasses, decimals, paths) into
what ``jsonable_encoder`` makes of them, so the bytes are the same
(``tests/web/test_twin_json.py``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from fastapi.responses import JSONResponse


def plain(value: Any) -> Any:
    """``value`` as ``jsonable_encoder`` makes it, for the types ``json`` cannot encode."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return list(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"a JSON twin holds a {type(value).__name__}, which JSON cannot carry")


class TwinJSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(
            content,
            ensure_ascii=False,
            allow_nan=False,
            indent=None,
            separators=(",", ":"),
            default=plain,
        ).encode("utf-8")


__all__ = ["TwinJSON", "plain"]
