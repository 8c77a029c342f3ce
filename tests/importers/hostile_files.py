"""Small hostile files built in code: the shapes that once crashed an importer."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import openpyxl


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The archive with some members replaced (or dropped, for None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            body = change.get(name, zin.read(name))
            if body is not None:
                zout.writestr(name, body)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


REGISTER = xlsx([["label", "group"], ["P1", "Physio"]])


def sheetless(workbook: bytes = REGISTER) -> bytes:
    """The workbook with its list of sheets emptied."""
    xml = member(workbook, "xl/workbook.xml")
    return rezip(workbook, {"xl/workbook.xml": re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml)})


def damaged_sheet(workbook: bytes = REGISTER) -> bytes:
    """The workbook with its first sheet's XML cut in half."""
    sheet = member(workbook, "xl/worksheets/sheet1.xml")
    return rezip(workbook, {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]})


def bad_offset(archive: bytes) -> bytes:
    """Move the end record's central-directory offset forward, so that zipfile computes a
    negative offset for the first member's header ("negative seek value")."""
    at = archive.rindex(b"PK\x05\x06")
    (offset,) = struct.unpack_from("<I", archive, at + 16)
    return archive[: at + 16] + struct.pack("<I", offset + 64) + archive[at + 20 :]


def minimal_qdpx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "project.qde",
            '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
            'name="p"><Sources/></Project>',
        )
    return out.getvalue()


UNKNOWN_ENCODING_QDC = (
    b'<?xml version="1.0" encoding="utf-1e308"?>'
    b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
)


def docx(paragraphs: list[str]) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def needs_zip_version(archive: bytes, version: int) -> bytes:
    """Every central-directory entry claims to need a newer ZIP version to extract."""
    out = bytearray(archive)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<B", out, at + 6, version)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)
