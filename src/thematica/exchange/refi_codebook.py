"""Writing REFI-QDA codebooks (.qdc): the code tree and its sets, nothing else.

Valid against ``Codebook-mrt2019.xsd`` (namespace ``urn:QDA-XML:codebook:1.0``). Theme nodes travel
as non-codable codes and Thematica's level and theme marks in the code description, exactly as
in a .qdpx project, so :func:`thematica.exchange.refi.read_qdc` reads them back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from thematica.domain import Codebook, CodeSpec, Level
from thematica.exchange.model import XCode, XProject
from thematica.exchange.refi_write import _gid, _x, code_description

NS = "urn:QDA-XML:codebook:1.0"


def write_qdc(project: XProject, fileobj: BinaryIO) -> None:
    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS})
    root.set("origin", project.origin or "Thematica")
    codes_el = etree.SubElement(root, f"{{{NS}}}Codes")
    children: dict[str | None, list[XCode]] = defaultdict(list)
    known = {c.guid for c in project.codes}
    for code in project.codes:
        children[code.parent if code.parent in known else None].append(code)

    def add(parent: etree._Element, code: XCode) -> None:
        el = etree.SubElement(parent, f"{{{NS}}}Code")
        el.set("guid", _gid(code.guid))
        el.set("name", _x(code.name))
        el.set("isCodable", "true" if code.codable else "false")
        if code.colour:
            el.set("color", code.colour.upper())
        description = code_description(code)
        if description:
            etree.SubElement(el, f"{{{NS}}}Description").text = _x(description)
        for child in children.get(code.guid, []):
            add(el, child)

    for code in children[None]:
        add(codes_el, code)
    sets = [s for s in project.sets if s.codes]
    if sets:  # never an empty <Sets/>: the schema needs at least one Set
        sets_el = etree.SubElement(root, f"{{{NS}}}Sets")
        for s in sets:
            set_el = etree.SubElement(sets_el, f"{{{NS}}}Set")
            set_el.set("guid", _gid(s.guid))
            set_el.set("name", _x(s.name))
            for member in s.codes:
                etree.SubElement(set_el, f"{{{NS}}}MemberCode").set("guid", _gid(member))
    fileobj.write(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def codebook_texts(project: XProject) -> Iterator[tuple[str, str]]:
    """(where, text) of every piece of free text :func:`write_qdc` writes: the codes' names and
    descriptions and the sets' names (for the residual check before a codebook leaves)."""
    by_guid = {c.guid: c for c in project.codes}

    def path(code: XCode) -> str:
        names = [code.name]
        current = by_guid.get(code.parent) if code.parent else None
        while current is not None and len(names) <= len(by_guid):  # no cycles
            names.append(current.name)
            current = by_guid.get(current.parent) if current.parent else None
        return " > ".join(reversed(names))

    for code in project.codes:
        yield f"code {path(code)!r} name", code.name
        description = code_description(code)
        if description:
            yield f"code {path(code)!r} description", description
    for s in project.sets:
        if s.codes:
            yield f"set {s.name!r} name", s.name


def codebook_from_project(project: XProject) -> Codebook:
    """A REFI-QDA codebook's codes as a Thematica :class:`Codebook`: each code by its path of
    names; other tools' codes at level one, a Thematica codebook's at their own level; codes
    that stand for themes are left to the theme framework."""
    by_guid = {c.guid: c for c in project.codes}

    def path(guid: str) -> tuple[str, ...]:
        chain: list[str] = []
        current: str | None = guid
        while current and current in by_guid and len(chain) <= len(by_guid):  # no cycles
            chain.append(by_guid[current].name)
            current = by_guid[current].parent
        return tuple(reversed(chain))

    return Codebook(
        tuple(
            CodeSpec(
                path(c.guid), Level(c.level if c.level in (1, 2) else 1), c.description, c.colour
            )
            for c in project.codes
            if not c.theme
        )
    )
