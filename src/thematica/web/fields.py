"""Reading the fields of an HTML form or a JSON body the same way, with clear messages: the
codebook and theme editors accept both, so a page's form and its API twin share one action."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from thematica.errors import ThematicaError

Fields = Mapping[str, Any]


def from_form(form: FormData) -> dict[str, Any]:
    """A form as a mapping; a field given several times (checkboxes) becomes a list."""
    out: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 else (values[0] if values else "")
    return out


def text(fields: Fields, name: str, *, default: str | None = None) -> str:
    value = fields.get(name, default)
    if value is None:
        raise ThematicaError(f"the field {name!r} is missing")
    if not isinstance(value, str):
        raise ThematicaError(f"the field {name!r} must be text")
    return value


def optional_text(fields: Fields, name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    return text(fields, name)


WHOLE = re.compile(r"-?[0-9]{1,15}")  # ASCII digits only: "²".isdigit() is True
LIMIT = 2**31 - 1  # ids and positions fit an int4 column on PostgreSQL


def whole(value: str | None) -> int | None:
    """``value`` as a whole number within the storable range, or None if it is not one."""
    if value is None or not WHOLE.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if -LIMIT <= number <= LIMIT else None


def integer(fields: Fields, name: str) -> int:
    value = fields.get(name)
    if isinstance(value, bool):
        raise ThematicaError(f"the field {name!r} must be a whole number")
    if isinstance(value, int):
        if not -LIMIT <= value <= LIMIT:
            raise ThematicaError(f"the field {name!r} is out of range")
        return value
    if isinstance(value, str) and whole(value) is not None:
        return int(value)
    if value is None or value == "":
        raise ThematicaError(f"the field {name!r} is missing")
    raise ThematicaError(f"the field {name!r} must be a whole number")  # never echo the value


def optional_integer(fields: Fields, name: str) -> int | None:
    """A whole number, or None when the field is absent, empty, null or 'top'."""
    value = fields.get(name)
    if value is None or value in ("", "top"):
        return None
    return integer(fields, name)


def integers(fields: Fields, name: str) -> list[int]:
    value = fields.get(name, [])
    items = value if isinstance(value, list) else [value]
    return [integer({name: item}, name) for item in items if item != ""]
