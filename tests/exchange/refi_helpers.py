"""Shared helpers for the REFI-QDA tests: build small archives, validate against the XSD."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from lxml import etree

from tests.conftest import shared
from thematica.exchange.model import XProject
from thematica.exchange.refi import write_qdpx

NS = "urn:QDA-XML:project:1.0"
XP = {"q": NS}


def qde(body: str, *, origin: str = "Test tool 1.0", ns: str = NS, name: str = "t") -> bytes:
    """A project.qde around ``body`` (the Project's children)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{ns}" name="{name}" origin="{origin}">{body}</Project>'
    ).encode()


def qdpx(files: dict[str, bytes]) -> bytes:
    """A ZIP archive holding ``files`` (member name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


@cache
def project_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared("refi-qda-schemas/Project-mrt2019.xsd"))))


@cache
def codebook_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared("refi-qda-schemas/Codebook-mrt2019.xsd"))))


def export(project: XProject) -> bytes:
    """Write ``project`` and check the result against Project-mrt2019.xsd."""
    buffer = io.BytesIO()
    write_qdpx(project, buffer)
    data = buffer.getvalue()
    assert_valid(data)
    return data


def assert_valid(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("project.qde")
    assert not xml.startswith(b"\xef\xbb\xbf"), "project.qde must not start with a BOM"
    schema = project_schema()
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
