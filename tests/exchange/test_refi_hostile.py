"""Hostile and broken REFI-QDA files: each is refused with an InputError that names the file
and says what is wrong, before anything dangerous happens."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import shared
from tests.exchange.refi_helpers import qde, qdpx
from thematica.errors import InputError
from thematica.exchange import refi_safety
from thematica.exchange.refi import ExchangeError, read_qdc, read_qdpx

G = "00000000-0000-4000-8000-00000000000"
SOURCE = (
    f'<CodeBook><Codes><Code guid="{G}1" name="c" isCodable="true"/></Codes></CodeBook>'
    f'<Sources><TextSource guid="{G}2" name="interview" plainTextPath="internal://{G}2.txt">'
    f'<PlainTextSelection guid="{G}3" startPosition="0" endPosition="5">'
    f'<Coding guid="{G}4"><CodeRef targetGUID="{G}1"/></Coding></PlainTextSelection>'
    "</TextSource></Sources>"
)
GOOD = {"project.qde": qde(SOURCE), f"sources/{G}2.txt": b"hello world"}


def refused(data: bytes, match: str, name: str = "evil.qdpx") -> InputError:
    with pytest.raises(InputError, match=match) as caught:
        read_qdpx(data, name)
    assert isinstance(caught.value, ExchangeError)
    assert str(caught.value).startswith(f"{name}: ")
    return caught.value


def test_the_good_archive_reads() -> None:
    (source,) = read_qdpx(qdpx(GOOD), "good.qdpx").sources
    assert source.text[source.codings[0].start : source.codings[0].end] == "hello"


XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>'
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>'
).encode()
PARAMETER = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY % remote SYSTEM '
    b'"http://127.0.0.1:9/evil.dtd"> %remote;]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
)


@pytest.mark.parametrize(
    "xml", [XXE, LAUGHS, PARAMETER], ids=["xxe", "billion-laughs", "parameter"]
)
def test_xml_entities_are_refused(xml: bytes) -> None:
    error = refused(qdpx({"project.qde": xml}), "declares XML entities, which Thematica refuses")
    assert error.location == "project.qde"
    assert "root:" not in str(error)  # nothing from /etc/passwd
    with pytest.raises(InputError, match="declares XML entities"):
        read_qdc(xml.replace(b"Project", b"CodeBook"), "evil.qdc")
    refused(xml, "declares XML entities", name="evil.qde")  # a bare .qde too


def test_an_external_dtd_is_refused() -> None:
    xml = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/x.dtd">\n'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
    )
    refused(qdpx({"project.qde": xml}), "external DTD")


def test_a_plain_doctype_without_entities_is_fine() -> None:
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE Project>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
    assert read_qdpx(qdpx({"project.qde": xml}), "ok.qdpx").name == "x"


@pytest.mark.parametrize(
    "member", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/Windows/evil.txt"]
)
def test_zip_slip_names_are_refused(member: str) -> None:
    refused(qdpx({**GOOD, member: b"x"}), "points outside the archive.*zip-slip")


def _write_bomb(path: Path, size: int) -> None:
    """A ZIP with one member of ``size`` zero bytes, written in 1 MiB chunks (never in memory)."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde(SOURCE))
        with archive.open(f"sources/{G}2.txt", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)


def test_a_one_gigabyte_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.qdpx"
    _write_bomb(bomb, 1024**3)
    assert bomb.stat().st_size < 2 * 1024**2  # 1 GiB of zeros in about 1 MB
    started = time.perf_counter()
    refused(bomb.read_bytes(), r"sources/.*\.txt would unpack to 1,024 MB \(more than the 500 MB")
    assert time.perf_counter() - started < 5  # refused from the headers, nothing unpacked


def test_the_total_unpacked_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refi_safety, "MAX_TOTAL_BYTES", 3000)
    files = {**GOOD, "sources/a.txt": bytes(1500), "sources/b.txt": bytes(1500)}
    refused(
        qdpx(files),
        r"the archive would unpack to 3,\d{3} bytes \(more than the 3,000 bytes allowed\)",
    )


def test_a_header_that_understates_the_size_unpacks_no_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The size fields say 1 KB, the data is 2 MB of zeros: reading stops at the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde(SOURCE))
        archive.writestr(f"sources/{G}2.txt", bytes(2 * 1024**2))
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(signature)  # the text file's headers are the last of each kind
        data[at + offset : at + offset + 4] = struct.pack("<I", 1024)
    monkeypatch.setattr(refi_safety, "MAX_MEMBER_BYTES", 1024 * 1024)
    refused(bytes(data), r"sources/.*\.txt cannot be unpacked \(the archive is damaged")


def test_reading_is_capped_even_if_the_declared_sizes_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = refi_safety.Archive(qdpx(GOOD), "capped.qdpx")
    monkeypatch.setattr(refi_safety, "MAX_MEMBER_BYTES", 5)
    with pytest.raises(ExchangeError, match="unpacks to more than"):
        archive.read(f"sources/{G}2.txt")


def test_a_truncated_zip_is_refused() -> None:
    whole = shared("nvivo-mac-qdpx-qualitative-coding/demo.qc-1.3.2.qdpx").read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30, 100):
        refused(whole[:cut], "damaged or truncated", name="demo.qdpx")


def test_random_bytes_are_refused() -> None:
    refused(bytes(range(256)) * 10, "not a valid ZIP archive", name="random.qdpx")


def test_an_archive_without_a_project_is_refused() -> None:
    refused(qdpx({"sources/a.txt": b"x"}), "the archive has no project.qde")
    two = {"a.qde": qde(""), "b.qde": qde("")}
    refused(qdpx(two), "2 .qde files and none is called project.qde")


@pytest.mark.parametrize(
    "namespace", ["urn:QDA-XML:codebook:1.0", "http://example.com/project", ""]
)
def test_a_wrong_root_namespace_is_refused(namespace: str) -> None:
    xml = (
        f'<Project xmlns="{namespace}" name="x"/>'.encode() if namespace else b'<Project name="x"/>'
    )
    error = refused(qdpx({"project.qde": xml}), "not a REFI-QDA project: the root element is")
    assert "urn:QDA-XML:project:1.0" in str(error)


def test_a_codebook_and_a_project_swapped() -> None:
    book = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
    refused(qdpx({"project.qde": book}), "this is a REFI-QDA codebook, not a project")
    with pytest.raises(InputError, match="this is a REFI-QDA project, not a codebook"):
        read_qdc(qde(""), "p.qdc")
    with pytest.raises(InputError, match="not a REFI-QDA codebook"):
        read_qdc(b'<CodeBook xmlns="urn:other"><Codes/></CodeBook>', "o.qdc")


def test_a_missing_source_file_is_refused() -> None:
    error = refused(
        qdpx({"project.qde": qde(SOURCE)}),
        rf"'interview' refers to the file internal://{G}2.txt, which is not in the project",
    )
    assert error.location == "source 'interview', line 2"


def test_an_external_text_file_is_refused() -> None:
    body = SOURCE.replace(f"internal://{G}2.txt", "absolute:///C:/secret.txt")
    refused(qdpx({"project.qde": qde(body)}), "external file")


def test_a_selection_outside_the_text_is_refused() -> None:
    files = {**GOOD, f"sources/{G}2.txt": b"hell"}
    error = refused(
        qdpx(files), r"a selection \(0-5, counted in code points\) lies outside the text"
    )
    assert error.location == "line 2"
    backwards = SOURCE.replace(
        'startPosition="0" endPosition="5"', 'startPosition="5" endPosition="1"'
    )
    refused(qdpx({**GOOD, "project.qde": qde(backwards)}), r"starts \(5\) after it ends \(1\)")
    words = SOURCE.replace('endPosition="5"', 'endPosition="five"')
    refused(qdpx({**GOOD, "project.qde": qde(words)}), "endPosition 'five' is not a whole number")


def test_a_coding_of_an_unknown_code_is_refused() -> None:
    body = SOURCE.replace(f'<CodeRef targetGUID="{G}1"/>', f'<CodeRef targetGUID="{G}9"/>')
    refused(qdpx({**GOOD, "project.qde": qde(body)}), "not in the codebook")


def test_malformed_xml_gives_the_line() -> None:
    xml = b'<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Users>\n</Project>'
    error = refused(qdpx({"project.qde": xml}), "malformed XML")
    assert error.location == "project.qde, line 4"
    late = qde(SOURCE).replace(b"</Sources>", b"</Sourcez>")
    assert "line" in (refused(qdpx({**GOOD, "project.qde": late}), "malformed XML").location or "")


def test_a_source_that_is_not_utf8_is_refused() -> None:
    refused(qdpx({**GOOD, f"sources/{G}2.txt": b"caf\xe9 ok"}), r"not UTF-8 text \(byte 3")


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(qdpx(GOOD))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.rfind(signature)  # the text file's headers: set "encrypted" in the flags
        data[at + offset] |= 0x01
    refused(bytes(data), r"sources/.*\.txt cannot be unpacked.*encrypted")


def _codebook(codes: str) -> bytes:
    return f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>'.encode()


def test_a_code_name_beyond_the_bound_is_refused() -> None:
    with pytest.raises(ExchangeError, match="at most 300") as caught:
        read_qdc(_codebook(f'<Code guid="{G}1" name="{"n" * 5000}"/>'), "big.qdc")
    assert str(caught.value).startswith("big.qdc: code, line 1: ")


def test_codes_nested_beyond_32_levels_are_refused() -> None:
    depth = 33
    nested = "".join(f'<Code guid="{G[:-1]}{i:02d}" name="c{i}">' for i in range(depth))
    nested += "</Code>" * depth
    with pytest.raises(ExchangeError, match="more than 32 levels"):
        read_qdc(_codebook(nested), "deep.qdc")
    ok = nested.replace(f'<Code guid="{G[:-1]}32" name="c32"></Code>', "")
    assert len(read_qdc(_codebook(ok), "ok.qdc").codes) == 32


@pytest.mark.parametrize(
    "turn",
    [
        '["n", "participant", 0, 5, 3600000000000, null]',
        f'["{"n" * 201}", "participant", 0, 5, 0, 1]',
    ],
    ids=["time-beyond-1000-hours", "long-speaker"],
)
def test_thematica_turns_beyond_the_bounds_are_refused(turn: str) -> None:
    extras = f'thematica:{{"v":1,"turns":[{turn}]}}'.replace('"', "&quot;")
    source = SOURCE.replace(
        f'plainTextPath="internal://{G}2.txt">',
        f'plainTextPath="internal://{G}2.txt"><Description>{extras}</Description>',
    )
    refused(qdpx({**GOOD, "project.qde": qde(source)}), "turns or interview date are damaged")


def test_thematica_data_nested_beyond_recursion_is_ignored_or_refused() -> None:
    description = "thematica:" + "[" * 100_000
    code = f'<Code guid="{G}1" name="c"><Description>{description}</Description></Code>'
    (read,) = read_qdc(_codebook(code), "nested.qdc").codes
    assert read.description == description


def _project_first(extra_selections: int) -> bytes:
    """A .qdpx whose project.qde (stored first, deflated) has many selections."""
    selections = "".join(
        f'<PlainTextSelection guid="{G}{5 + i % 5}" startPosition="0" endPosition="5">'
        f'<Coding guid="{G}4"><CodeRef targetGUID="{G}1"/></Coding></PlainTextSelection>'
        for i in range(extra_selections)
    )
    return qdpx(
        {**GOOD, "project.qde": qde(SOURCE.replace("</TextSource>", selections + "</TextSource>"))}
    )


def test_a_damaged_project_xml_is_refused_as_damaged_before_it_is_parsed() -> None:
    """project.qde is streamed to the parser, but read through first: a bad checksum is refused
    as a damaged member, not as whatever the parser made of the bytes before it."""
    data = bytearray(_project_first(2000))
    for signature, offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        at = data.find(signature) + offset  # project.qde's CRC-32, in both headers
        data[at : at + 4] = bytes(b ^ 0xFF for b in data[at : at + 4])
    refused(bytes(data), r"project\.qde cannot be unpacked \(the archive is damaged: Bad CRC-32")
