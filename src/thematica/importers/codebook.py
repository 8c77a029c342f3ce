"""Codebooks from CSV/XLSX (codes only) or YAML (codes, theme framework and interlinks).

CSV/XLSX columns: ``path`` (required; levels separated by ``>``, e.g.
``Challenges > The clinical environment > Unclear referral pathways``), and optionally
``description``, ``colour`` (``#RRGGBB``, ``#RGB``; an alpha channel is dropped) and ``level``
(1 or 2; default from the command line).

YAML::

    codes:
      - path: "Pain and mood > A vicious cycle"
        description: "..."
        colour: "#1f77b4"
        from: ["Pain and mood > Pain lowers mood"]    # level-one codes it was formed from
    themes:
      - name: "Overarching theme"
        description: "..."
        children:
          - name: "Theme"
            children:
              - name: "Sub-theme"
                codes: ["Pain and mood > A vicious cycle"]
                divergent: ["Role > Stick to the body"]
    links:
      - {from: "Overarching theme > Theme > Sub-theme", to: "...", label: "shapes"}

Codes in a YAML file are level two (agreed) unless the file says ``level: 1`` at the top.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

import yaml

from thematica.domain import (
    Codebook,
    CodePath,
    CodeSpec,
    Level,
    LinkSpec,
    ThemeSpec,
    format_path,
    parse_path,
)
from thematica.errors import InputError
from thematica.importers.encoding import decode_text
from thematica.importers.guard import YAML_ERRORS, describe, guarded
from thematica.importers.limits import MAX_NAME, check_depth, shorten
from thematica.importers.table import read_records

_COLOUR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: a codebook never needs one, and ten nested
    ``*alias`` lists ("billion laughs") would make a small file walk billions of themes."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a codebook", event.start_mark
            )
        return super().compose_node(parent, index)


def parse_colour(raw: str, source: str, location: str) -> str | None:
    """``#RRGGBB`` in lower case from ``#RGB``, ``#RRGGBB`` or ``#RRGGBBAA`` (alpha dropped)."""
    raw = raw.strip()
    if not raw:
        return None
    match = _COLOUR.match(raw)
    if match is None:
        raise InputError(source, f"{shorten(raw)} is not a colour (use #RRGGBB)", location)
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits[:6].lower()


def _path(raw: object, source: str, location: str) -> CodePath:
    if not isinstance(raw, str) or not parse_path(raw):
        shown = shorten(raw) if isinstance(raw, str) else shorten(repr(raw))
        raise InputError(source, f"{shown} is not a code path like 'Theme > Code'", location)
    path = parse_path(raw)
    check_depth(len(path), source, location)
    if any(len(part) > MAX_NAME for part in path):
        raise InputError(
            source, f"a name in {shorten(raw)} is longer than {MAX_NAME} characters", location
        )
    return path


def _level(raw: object, default: Level, source: str, location: str) -> Level:
    if raw in (None, ""):
        return default
    try:
        return Level(int(str(raw)))
    except ValueError:
        raise InputError(source, f"level {shorten(str(raw))} must be 1 or 2", location) from None


def _check_unique(specs: list[CodeSpec], source: str) -> None:
    seen: set[tuple[CodePath, Level]] = set()
    for spec in specs:
        key = (tuple(p.casefold() for p in spec.path), spec.level)
        if key in seen:
            raise InputError(source, f"the code {format_path(spec.path)!r} is listed twice")
        seen.add(key)


def _from_table(data: bytes, source: str, default: Level) -> Codebook:
    specs: list[CodeSpec] = []
    for number, rec in read_records(data, source, required={"path"}, kind="codebook"):
        where = f"row {number}"
        specs.append(
            CodeSpec(
                path=_path(rec["path"], source, where),
                level=_level(rec.get("level"), default, source, where),
                description=rec.get("description", ""),
                colour=parse_colour(rec.get("colour", rec.get("color", "")), source, where),
                owner=rec.get("owner") or None,
            )
        )
    if not specs:
        raise InputError(source, "the codebook has a header but no codes")
    _check_unique(specs, source)
    return Codebook(tuple(specs))


def _mapping(value: object, source: str, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(source, "expected a mapping (name: value pairs)", where)
    unknown = set(value) - allowed
    if unknown:
        raise InputError(
            source,
            f"unknown field(s) {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(sorted(allowed))}",
            where,
        )
    return value


def _str_list(value: object, source: str, where: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(source, "expected a list", where)
    return value


def _text(value: object, source: str, where: str, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise InputError(source, f"'{field}' must be text", where)
    return str(value).strip()


def _theme(value: object, source: str, where: str, depth: int = 1) -> ThemeSpec:
    check_depth(depth, source, where, "theme framework")
    node = _mapping(value, source, where, {"name", "description", "codes", "divergent", "children"})
    name = _text(node.get("name"), source, where, "name")
    if not name or len(name) > MAX_NAME:
        raise InputError(source, f"a theme needs a name of 1 to {MAX_NAME} characters", where)
    children = tuple(
        _theme(child, source, f"{where} > {shorten(name, 30)}", depth + 1)
        for child in _str_list(node.get("children"), source, f"{where} {name!r} children")
    )
    return ThemeSpec(
        name=" ".join(name.split()),
        description=_text(node.get("description"), source, where, "description"),
        codes=tuple(
            _path(p, source, f"{where} {name!r} codes")
            for p in _str_list(node.get("codes"), source, where)
        ),
        divergent=tuple(
            _path(p, source, f"{where} {name!r} divergent")
            for p in _str_list(node.get("divergent"), source, where)
        ),
        children=children,
    )


def _check_stances(themes: tuple[ThemeSpec, ...], source: str) -> None:
    """Refuse a code listed under one theme as both supporting and divergent (also across two
    entries of the same theme): which one was meant cannot be guessed."""
    stances: dict[tuple[CodePath, CodePath], str] = {}

    def walk(spec: ThemeSpec, parent: CodePath) -> None:
        path = (*parent, spec.name)
        for stance, codes in (("supporting", spec.codes), ("divergent", spec.divergent)):
            for code in codes:
                if stances.setdefault((path, code), stance) != stance:
                    raise InputError(
                        source,
                        f"theme {format_path(path)!r} lists code {format_path(code)!r} as both "
                        "supporting and divergent; keep it in one of the two lists",
                    )
        for child in spec.children:
            walk(child, path)

    for theme in themes:
        walk(theme, ())


def _from_yaml(data: bytes, source: str) -> Codebook:
    text = decode_text(data, source)
    try:
        doc = yaml.load(text, Loader=_Loader)
    except YAML_ERRORS as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or describe(exc)
        raise InputError(source, f"not valid YAML ({problem})", where) from None
    top = _mapping(doc, source, "top level", {"level", "codes", "themes", "links"})
    default = _level(top.get("level"), Level.TWO, source, "top level")
    specs: list[CodeSpec] = []
    for i, raw in enumerate(_str_list(top.get("codes"), source, "codes"), start=1):
        where = f"codes item {i}"
        item = _mapping(
            raw, source, where, {"path", "description", "colour", "color", "level", "from", "owner"}
        )
        specs.append(
            CodeSpec(
                path=_path(item.get("path"), source, where),
                level=_level(item.get("level"), default, source, where),
                description=_text(item.get("description"), source, where, "description"),
                colour=parse_colour(
                    _text(item.get("colour", item.get("color")), source, where, "colour"),
                    source,
                    where,
                ),
                origins=tuple(
                    _path(p, source, f"{where} from")
                    for p in _str_list(item.get("from"), source, where)
                ),
                owner=_text(item.get("owner"), source, where, "owner") or None,
            )
        )
    _check_unique(specs, source)
    themes = tuple(
        _theme(t, source, f"themes item {i}")
        for i, t in enumerate(_str_list(top.get("themes"), source, "themes"), start=1)
    )
    links = []
    for i, raw in enumerate(_str_list(top.get("links"), source, "links"), start=1):
        where = f"links item {i}"
        item = _mapping(raw, source, where, {"from", "to", "label"})
        label = _text(item.get("label"), source, where, "label")
        if not label:
            raise InputError(source, "an interlink needs a label", where)
        links.append(
            LinkSpec(
                _path(item.get("from"), source, where), _path(item.get("to"), source, where), label
            )
        )
    _check_stances(themes, source)
    if not specs and not themes:
        raise InputError(source, "the file has no codes and no themes")
    return Codebook(tuple(specs), themes, tuple(links))


@guarded
def read_codebook(data: bytes, source: str, *, level: Level = Level.ONE) -> Codebook:
    """Parse a codebook file; ``level`` is the default level for CSV/XLSX rows."""
    suffix = PurePath(source).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(data, source)
    return _from_table(data, source, level)
