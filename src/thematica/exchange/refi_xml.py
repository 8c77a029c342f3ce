"""The small parsers behind reading REFI-QDA XML: colours, times, Thematica's own data in a
Description, element lookups and GUIDs, and a source text's encoding."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from thematica.exchange.refi_safety import ExchangeError, local_name, norm_guid

EXTRA_PREFIX = "thematica:"
"""Marks Thematica's own data in a Description (see :mod:`thematica.exchange.refi`)."""
GROUP_VARIABLE = "group"
"""The Text variable that carries a case's (participant's) group."""

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_TRIPLET = re.compile(r"(?:rgba?\()?\s*(\d{1,3})\s*[,; ]\s*(\d{1,3})\s*[,; ]\s*(\d{1,3})\s*\)?")
_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_colour(raw: str | None) -> str | None:
    """``#rrggbb`` from ``#RGB``, ``#RRGGBB``, ``#RRGGBBAA`` (alpha dropped), ``RRGGBB`` or an
    ``r,g,b`` triplet; None when empty or unreadable (a colour is never worth refusing a file)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if (match := _HEX.fullmatch(raw)) is not None:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits[:6].lower()
    if (match := _TRIPLET.fullmatch(raw)) is not None:
        rgb = [int(g) for g in match.groups()]
        if all(v <= 255 for v in rgb):
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return None


def parse_datetime(raw: str | None) -> dt.datetime | None:
    """An xsd:dateTime (``Z``, offsets, up to 7 fractional digits as .NET writes); None if
    absent or unreadable."""
    if not raw:
        return None
    try:
        # the usual case, as is (Python 3.11 truncates more than 6 fractional digits too)
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(_FRACTION.sub(r"\1", raw.strip()))
    except ValueError:
        return None


def split_extras(description: str) -> tuple[str, dict[str, Any]]:
    """Split a trailing ``thematica:{...}`` line off a description."""
    head, sep, last = description.rpartition("\n")
    if not last.startswith(EXTRA_PREFIX):
        return description, {}
    try:
        extras = json.loads(last[len(EXTRA_PREFIX) :])
    except (ValueError, RecursionError):
        return description, {}
    if not isinstance(extras, dict):
        return description, {}
    return (head if sep else ""), extras


def _text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext())


_LOCAL_NAMES: dict[object, str] = {}


def _local(tag: object) -> str:
    """:func:`local_name`, remembered: the hot loops ask for the same few tags."""
    try:
        return _LOCAL_NAMES[tag]
    except KeyError:
        name = _LOCAL_NAMES[tag] = local_name(tag)
        return name


def _child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child called ``name`` in any namespace."""
    return next(element.iterchildren(f"{{*}}{name}"), None)


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """The children called ``name`` in any namespace."""
    return element.iterchildren(f"{{*}}{name}")


def _refs(element: etree._Element, name: str, attribute: str = "targetGUID") -> list[str]:
    out = []
    for child in _children(element, name):
        guid = norm_guid(child.get(attribute) or child.get("guid"))
        if guid:
            out.append(guid)
    return out


def _where(element: etree._Element, what: str) -> str:
    line = element.sourceline
    return f"{what}, line {line}" if line else what


def _guid(element: etree._Element, source: str, what: str) -> str:
    guid = norm_guid(element.get("guid"))
    if not guid:
        raise ExchangeError(source, f"a {what} has no guid", _where(element, what))
    return guid


def decode_source(data: bytes, source: str, where: str) -> str:
    """A source file's text: UTF-8 (or UTF-16 with a BOM), BOM removed, nothing else changed."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ExchangeError(
            source, f"not UTF-8 text (byte {exc.start} cannot be decoded)", where
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
