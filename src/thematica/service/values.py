"""Attribute values as stored: one canonical text per value, typed by its attribute."""

from __future__ import annotations

import datetime as dt

from thematica.domain import AttributeType, AttributeValue


def encode(value: AttributeValue, kind: AttributeType) -> str:
    if kind is AttributeType.BOOLEAN:
        return "true" if value else "false"
    if kind is AttributeType.DATE and isinstance(value, dt.date):
        return value.isoformat()
    if kind is AttributeType.FLOAT:
        return repr(float(value))  # type: ignore[arg-type]
    return str(value)


def decode(raw: str, kind: AttributeType) -> AttributeValue:
    if kind is AttributeType.INTEGER:
        return int(raw)
    if kind is AttributeType.FLOAT:
        return float(raw)
    if kind is AttributeType.BOOLEAN:
        return raw == "true"
    if kind is AttributeType.DATE:
        return dt.date.fromisoformat(raw)
    return raw
