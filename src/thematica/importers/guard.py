"""The importer boundary: third-party parsers' failures become one :class:`InputError`.

Each parser's known exception families are translated where it is called
(:func:`translating`), with a message that says what is wrong with the file. Every public
importer is also wrapped by :func:`guarded`, the last resort: an exception nobody foresaw
becomes ``FILE: could not be read (ExceptionType)`` (an :class:`UnreadableFile`) instead of a
traceback. The fuzzer counts those as failures to be translated properly.
"""

from __future__ import annotations

import csv
import functools
import logging
import struct
import warnings
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar
from xml.etree.ElementTree import ParseError

import yaml
from lxml import etree

from thematica.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")
Family = tuple[type[BaseException], ...]

_log = logging.getLogger(__name__)

ZIP_ERRORS: Family = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    struct.error,
    NotImplementedError,  # a compression method zipfile does not have
    RuntimeError,  # an encrypted member
    ValueError,  # offsets that point before the archive ("negative seek value")
    OSError,
)
"""What :mod:`zipfile` raises for a damaged, truncated, encrypted or inconsistent archive."""
XML_ERRORS: Family = (
    etree.LxmlError,
    ParseError,
    xml.parsers.expat.ExpatError,
    LookupError,  # an encoding the parser does not know
    UnicodeError,
    RecursionError,
)
"""What lxml, ElementTree and expat raise for malformed XML."""
CSV_ERRORS: Family = (csv.Error,)
YAML_ERRORS: Family = (yaml.YAMLError, ValueError, OverflowError, RecursionError)
"""PyYAML's own errors, and what its constructors raise for an impossible date or number."""


def office_errors() -> Family:
    """What openpyxl and python-docx raise for a damaged workbook or document: ZIP and XML
    errors, a part named but missing (``KeyError``), a value their descriptors refuse
    (``TypeError``, ``ValueError``), a reference to an element that is not there
    (``IndexError``), a part whose XML is not the element class expected or lacks an
    attribute (``AttributeError``: python-docx reads parts through generated element
    classes), a number too large for openpyxl's style arrays or date serials
    (``OverflowError``), and their own exceptions. Imported only when an Office file is read."""
    from docx.opc.exceptions import OpcError
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        *ZIP_ERRORS,
        *XML_ERRORS,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        OverflowError,
        InvalidFileException,
        OpcError,
    )


TEXT_ERRORS: Family = (LookupError, UnicodeError)
"""What :mod:`codecs` raises for an unknown or broken encoding."""


class UnreadableFile(InputError):
    """Raised by the last-resort guard: a failure no translation foresaw."""

    def __init__(self, source: str, cause: BaseException) -> None:
        self.cause_type = type(cause).__name__
        super().__init__(source, f"could not be read ({self.cause_type})")


_INTERNAL: Family = (AttributeError, TypeError, IndexError, OverflowError)
"""Errors whose text names the parser's internals, not the file: only their type is shown."""


def describe(exc: BaseException, limit: int = 120) -> str:
    """An exception as a short fragment of one line: its first line, else its type."""
    if isinstance(exc, _INTERNAL):
        return f"a part is not what the format requires: {type(exc).__name__}"
    lines = str(exc).strip().splitlines()
    text = " ".join(lines[0].split()) if lines else ""
    if not text:
        return type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "..."


@contextmanager
def translating(
    source: str, families: Family, problem: str, location: str | None = None
) -> Iterator[None]:
    """Turn an exception of ``families`` raised inside the block into one :class:`InputError`:
    ``source: location: problem (what the parser said)``."""
    try:
        yield
    except InputError:
        raise
    except families as exc:
        raise InputError(source, f"{problem} ({describe(exc)})", location) from None


@contextmanager
def silenced() -> Iterator[None]:
    """Hide a parser's warnings ("Workbook contains no default style", "Data Validation
    extension is not supported"): they say nothing a researcher can act on, and would put
    more lines on stderr than the one an import error may have."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def guarded(
    func: Callable[Concatenate[bytes, str, P], R],
) -> Callable[Concatenate[bytes, str, P], R]:
    """The last resort around a public importer ``func(data, source, ...)``."""

    @functools.wraps(func)
    def wrapper(data: bytes, source: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(data, source, *args, **kwargs)
        except InputError:
            raise
        except Exception as exc:
            _log.debug("unexpected failure reading %s", source, exc_info=True)
            raise UnreadableFile(source, exc) from exc

    return wrapper
