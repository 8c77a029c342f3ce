"""Reading a REFI-QDA codebook: a .qdc file (:func:`read_qdc`), and the ``<Codes>`` and
``<Sets>`` of a project, which :mod:`thematica.exchange.refi_read` reads with the same
functions. Any ``urn:QDA-XML:...`` namespace is accepted; elements are matched by local name."""

from __future__ import annotations

from pathlib import PurePath

from lxml import etree

from thematica.exchange.model import XCode, XProject, XSet
from thematica.exchange.refi_safety import (
    ExchangeError,
    iter_elements,
    local_name,
    norm_guid,
    peek_root,
    release,
)
from thematica.exchange.refi_xml import (
    _child,
    _children,
    _guid,
    _refs,
    _text_of,
    _where,
    parse_colour,
    split_extras,
)
from thematica.importers.guard import guarded
from thematica.importers.limits import MAX_NAME, MAX_PATH_DEPTH


def read_codes(
    codes: etree._Element, source: str, note_refs: dict[str, list[tuple[str, str]]] | None
) -> list[XCode]:
    """The codes under a ``<Codes>`` element, parents before children, in document order."""
    out: list[XCode] = []
    seen: set[str] = set()
    stack: list[tuple[etree._Element, str | None, int]] = [
        (el, None, 1) for el in reversed(list(_children(codes, "Code")))
    ]
    while stack:
        element, parent, depth = stack.pop()
        guid = _guid(element, source, "code")
        if depth > MAX_PATH_DEPTH:
            raise ExchangeError(
                source,
                f"codes are nested more than {MAX_PATH_DEPTH} levels deep",
                _where(element, "code"),
            )
        if guid in seen:
            raise ExchangeError(source, f"two codes have the guid {guid}", _where(element, "code"))
        seen.add(guid)
        name = element.get("name") or ""
        if len(name) > MAX_NAME:
            raise ExchangeError(
                source,
                f"a code's name has {len(name):,} characters; at most {MAX_NAME}",
                _where(element, "code"),
            )
        description, extras = split_extras(_text_of(_child(element, "Description")))
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        level = extras.get("level", 1)
        out.append(
            XCode(
                guid=guid,
                name=name,
                parent=parent,
                description=description,
                colour=parse_colour(element.get("color")),
                codable=codable,
                level=level if level in (1, 2) else 1,
                theme=extras.get("theme") is True,
                origins=tuple(norm_guid(o) for o in extras.get("origins", []) if isinstance(o, str))
                if isinstance(extras.get("origins"), list)
                else (),
            )
        )
        if note_refs is not None:
            for note in _refs(element, "NoteRef"):
                note_refs.setdefault(note, []).append(("code", guid))
        stack.extend((el, guid, depth + 1) for el in reversed(list(_children(element, "Code"))))
    return out


def read_sets(sets: etree._Element, source: str) -> list[XSet]:
    out = []
    for element in _children(sets, "Set"):
        out.append(
            XSet(
                guid=_guid(element, source, "set"),
                name=element.get("name") or "",
                codes=tuple(_refs(element, "MemberCode")),
                sources=tuple(_refs(element, "MemberSource")),
            )
        )
    return out


@guarded
def read_qdc(data: bytes, source: str) -> XProject:
    """A REFI-QDA codebook (.qdc): codes and sets.

    Any ``urn:QDA-XML:...`` namespace is accepted (``codebook:1.0``, ``1:0``, ``0:4``), elements
    are matched by local name, an empty ``<Sets/>`` is fine and colours are read leniently.
    """
    part = None
    root = peek_root(data, source, part)
    if root.local == "Project":
        raise ExchangeError(
            source, "this is a REFI-QDA project, not a codebook: import it as a .qdpx project"
        )
    if root.local != "CodeBook" or not root.namespace.lower().startswith("urn:qda-xml:"):
        raise ExchangeError(
            source,
            f"not a REFI-QDA codebook: the root element is {root.tag!r}, not CodeBook in the "
            "urn:QDA-XML:codebook:1.0 namespace",
        )
    codes: list[XCode] = []
    sets: list[XSet] = []
    for element in iter_elements(data, source, part, ("Codes", "Sets")):
        parent = element.getparent()
        if parent is None or parent.getparent() is not None:
            continue
        if local_name(element.tag) == "Codes":
            codes.extend(read_codes(element, source, None))
        else:
            sets.extend(read_sets(element, source))
        release(element)
    return XProject(
        name=PurePath(source).stem,
        origin=root.attributes.get("origin", ""),
        codes=tuple(codes),
        sets=tuple(sets),
    )


__all__ = ["read_codes", "read_qdc", "read_sets"]
