"""Open REFI-QDA files that may be hostile: ZIP checks and a locked-down XML parser.

Nothing here trusts the file. A .qdpx is looked at before any member is read (zip-slip names,
declared sizes, member count), each member is read in chunks against a per-member and a total
limit (so a header that lies about sizes cannot unpack more than the limits either), and XML is
parsed by lxml with entity resolution, DTD loading and network access off, and with
``huge_tree`` off. Before that, expat reads the prolog: a document that declares entities (XXE,
"billion laughs") or names an external DTD is refused before its content is read.
"""

from __future__ import annotations

import io
import xml.parsers.expat as expat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, BinaryIO

from lxml import etree

from thematica.errors import InputError
from thematica.importers.guard import XML_ERRORS, ZIP_ERRORS, describe

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

MAX_TOTAL_BYTES = 2 * 1024**3
"""The most a .qdpx may unpack to, all members together (declared and actually read)."""
MAX_MEMBER_BYTES = 500 * 1024**2
"""The most any one member of a .qdpx may unpack to."""
MAX_MEMBERS = 100_000
"""The most members a .qdpx may have."""
_CHUNK = 1024 * 1024


class ExchangeError(InputError):
    """A REFI-QDA file that Thematica cannot or will not read (damaged, hostile, inconsistent)."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def local_name(tag: object) -> str:
    """The local part of an element's tag (``{ns}Code`` -> ``Code``); "" for comments and PIs."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def norm_guid(raw: str | None) -> str:
    """A GUID as Thematica keeps it: lower case, without braces or surrounding spaces."""
    return raw.strip("{} \t\r\n").lower() if raw else ""


def _unsafe_member(name: str) -> bool:
    if not name:
        return True
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    parts = name.replace("\\", "/").split("/")
    return any(p == ".." for p in parts)


class Archive:
    """A .qdpx opened for reading, with every check done before any member is read."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except ZIP_ERRORS:
            raise ExchangeError(
                source,
                "not a readable REFI-QDA project: the file is damaged or truncated "
                "(not a valid ZIP archive)",
            ) from None
        if len(infos) > MAX_MEMBERS:
            raise ExchangeError(
                source,
                f"refused: the archive has {len(infos):,} members (more than {MAX_MEMBERS:,})",
            )
        total = 0
        self._by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if _unsafe_member(info.filename):
                raise ExchangeError(
                    source,
                    f"refused: the archive member {info.filename!r} points outside the archive "
                    "(an absolute path or '..'; a zip-slip attack)",
                )
            if info.file_size > MAX_MEMBER_BYTES:
                raise ExchangeError(
                    source,
                    f"refused: {info.filename} would unpack to {_mb(info.file_size)} "
                    f"(more than the {_mb(MAX_MEMBER_BYTES)} allowed for one file)",
                )
            total += info.file_size
            if info.is_dir() or PurePosixPath(info.filename).name.startswith("."):
                continue  # folders, and dot-files such as NVivo's sources/.root
            self._by_name.setdefault(info.filename.lower(), info)
        if total > MAX_TOTAL_BYTES:
            raise ExchangeError(
                source,
                f"refused: the archive would unpack to {_mb(total)} "
                f"(more than the {_mb(MAX_TOTAL_BYTES)} allowed)",
            )

    def names(self) -> list[str]:
        return [info.filename for info in self._by_name.values()]

    def find(self, name: str) -> str | None:
        """The member called ``name``, ignoring case; None if there is none."""
        info = self._by_name.get(name.lower())
        return info.filename if info is not None else None

    def find_source(self, file_name: str) -> str | None:
        """A source file by its bare name: ``sources/NAME`` in any case, else any folder."""
        found = self.find(f"sources/{file_name}")
        if found is not None:
            return found
        wanted = file_name.lower()
        for key, info in self._by_name.items():
            if PurePosixPath(key).name == wanted:
                return info.filename
        return None

    def project_member(self) -> str:
        """The project XML: ``project.qde``, or else the archive's only ``*.qde``."""
        found = self.find("project.qde")
        if found is not None:
            return found
        qdes = [i.filename for i in self._by_name.values() if i.filename.lower().endswith(".qde")]
        if len(qdes) == 1:
            return qdes[0]
        if not qdes:
            raise ExchangeError(
                self.source, "not a REFI-QDA project: the archive has no project.qde"
            )
        raise ExchangeError(
            self.source,
            f"not a REFI-QDA project: the archive has {len(qdes)} .qde files and none is "
            "called project.qde",
        )

    def read(self, name: str) -> bytes:
        """A member's bytes, read in chunks against the per-member and total limits."""
        buffer = io.BytesIO()
        self.copy_to(name, buffer)
        return buffer.getvalue()

    def opened(self, name: str) -> Callable[[], IO[bytes]]:
        """A member to read as a stream, as often as needed (a large project.qde is never held
        whole). It is read through once here, against the limits and its checksum, keeping
        nothing: a damaged or oversized member is refused before any of it is parsed, as if it
        had been read into memory."""
        self.copy_to(name, _Discard())
        info = self._by_name[name.lower()]
        return lambda: self._zip.open(info)

    def copy_to(self, name: str, out: BinaryIO) -> None:
        """Write a member's bytes to ``out`` in chunks, against the per-member and total
        limits (a recording is never held whole in memory)."""
        info = self._by_name[name.lower()]
        limit = min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self._read_total)
        size = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise ExchangeError(
                            self.source,
                            f"refused: {info.filename} unpacks to more than {_mb(limit)} "
                            "(a decompression bomb?)",
                        )
                    out.write(chunk)
        except ZIP_ERRORS as exc:  # ValueError: an offset before the archive's start
            problem = (
                "the member is encrypted"
                if info.flag_bits & 0x1
                else f"the archive is damaged: {describe(exc)}"
            )
            raise ExchangeError(
                self.source, f"{info.filename} cannot be unpacked ({problem})"
            ) from None
        self._read_total += size


class _Discard(io.BytesIO):
    """A sink that keeps nothing."""

    def write(self, data: ReadableBuffer, /) -> int:
        return memoryview(data).nbytes


def _where(part: str | None, line: int | None) -> str | None:
    bits = [b for b in (part, f"line {line}" if line else None) if b]
    return ", ".join(bits) or None


def _syntax_error(exc: etree.XMLSyntaxError, source: str, part: str | None) -> ExchangeError:
    message = str(exc.msg or exc).split(", line ")[0].strip()
    line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
    return ExchangeError(source, f"malformed XML: {message}", _where(part, line))


@dataclass(frozen=True)
class Root:
    tag: str
    namespace: str
    local: str
    attributes: dict[str, str]


class _Found(Exception):
    def __init__(self, root: Root) -> None:
        self.root = root


def peek_root(xml: bytes | IO[bytes], source: str, part: str | None) -> Root:
    """The root element's tag and attributes, after refusing DTD entity declarations (XXE,
    "billion laughs", parameter entities) and external DTDs.

    Only the prolog and the root's start tag are parsed, by expat with parameter entities off:
    a declaration is refused as soon as it is seen, before anything could use it.
    """

    def refuse_entity(*_args: object) -> None:
        raise ExchangeError(source, "the file declares XML entities, which Thematica refuses", part)

    def doctype(_name: str, system: str | None, public: str | None, _internal: int) -> None:
        if system or public:
            raise ExchangeError(
                source, "the file refers to an external DTD, which Thematica refuses", part
            )

    def start(name: str, attributes: dict[str, str]) -> None:
        uri, sep, local = name.rpartition("}")
        tag = f"{{{uri}}}{local}" if sep else local
        raise _Found(Root(tag, uri, local, dict(attributes)))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    stream = io.BytesIO(xml) if isinstance(xml, bytes) else xml
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Found as found:
        return found.root
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) or str(exc)
        raise ExchangeError(source, f"malformed XML: {message}", _where(part, exc.lineno)) from None
    except LookupError as exc:  # expat asks codecs for the encoding the XML declaration names
        raise ExchangeError(
            source, f"the XML declares an unknown text encoding ({describe(exc)})", part
        ) from None
    except (UnicodeError, RecursionError) as exc:
        raise ExchangeError(source, f"malformed XML ({describe(exc)})", part) from None
    raise ExchangeError(source, "malformed XML: the document has no root element", part)


def iter_elements(
    xml: bytes | IO[bytes], source: str, part: str | None, tags: Sequence[str]
) -> Iterator[etree._Element]:
    """Yield each element whose local name is in ``tags`` once it is complete, streaming.

    Call :func:`peek_root` first: it refuses entity declarations before lxml sees the file.
    The caller may clear an element once it has used it.
    """
    events = etree.iterparse(
        io.BytesIO(xml) if isinstance(xml, bytes) else xml,
        events=("end",),
        tag=[f"{{*}}{t}" for t in tags],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            yield element
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, source, part) from None
    except XML_ERRORS as exc:
        raise ExchangeError(source, f"malformed XML ({describe(exc)})", part) from None


def release(element: etree._Element) -> None:
    """Free a processed element and the siblings before it (keeps iterparse memory flat)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
