"""Writing REFI-QDA codebooks (.qdc): the code tree and its sets, nothing else.

Valid against ``Codebook-mrt2019.xsd`` (namespace ``urn:QDA-XML:codebook:1.0``). Theme nodes travel
as non-codable codes and Thematica's level and theme marks in the code description, exactly as
in a .qdpx project, so :func:`thematica.exchange.refi.read_qdc` reads them back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import BinaryIO

from lxml import etree

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
