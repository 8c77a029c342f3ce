"""Write an XProject as a REFI-QDA project (.qdpx) that validates against Project-mrt2019.xsd.

See :mod:`thematica.exchange.refi` for the mapping. The XML is streamed with lxml's
``xmlfile`` straight into the ZIP member, so a large project is never held as one tree. A
source's selections, the bulk of a large project, are written as XML text beside it (one string
per source), exactly as ``xmlfile`` would write them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from lxml import etree

from thematica import __version__
from thematica.collector import collector_paused
from thematica.domain import AttributeType, AttributeValue
from thematica.exchange.guids import Uuid5, uuid5
from thematica.exchange.model import XCode, XCoding, XNote, XProject, XSource
from thematica.exchange.refi_safety import ExchangeError
from thematica.exchange.refi_xml import EXTRA_PREFIX, GROUP_VARIABLE, parse_colour

if TYPE_CHECKING:
    from lxml.etree._serializer import _IncrementalFileWriter

NS = "urn:QDA-XML:project:1.0"
_Q = f"{{{NS}}}"
_THEMATICA = uuid.UUID("5d0b1c8e-8f3a-4c1e-9a57-7e3f2b6d4a10")  # namespace for derived guids
_GUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}"
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TYPES = {
    AttributeType.TEXT: ("Text", "TextValue"),
    AttributeType.INTEGER: ("Integer", "IntegerValue"),
    AttributeType.FLOAT: ("Float", "FloatValue"),
    AttributeType.BOOLEAN: ("Boolean", "BooleanValue"),
    AttributeType.DATE: ("Date", "DateValue"),
}
_DIRECTIONS = ("Associative", "OneWay", "Bidirectional")


def derived_guid(*parts: str) -> str:
    """A stable guid for something Thematica has no guid for (a selection, a memo note): the
    name-based (version 5) UUID of ``parts``, computed without the ``uuid`` module's overhead."""
    return uuid5(_THEMATICA, "\x1f".join(parts))


def _gid(guid: str) -> str:
    """``guid`` if it is a GUID as REFI wants one, else a stable GUID derived from it."""
    return guid if _GUID.fullmatch(guid) else derived_guid("guid", guid)


def _x(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def _datetime(value: dt.datetime) -> str:
    return value.isoformat()


def _decimal(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(value)
    return format(Decimal(repr(value)), "f")


class _Writer:
    def __init__(self, project: XProject, xf: _IncrementalFileWriter, out: IO[bytes]) -> None:
        self.p = project
        self.xf = xf
        self.out = out  # the stream xf writes to, for :meth:`raw`
        self._shared: dict[str, str] = {}
        self.note_refs: dict[str, list[str]] = {}  # target guid -> note guids
        self.extra_targets: dict[str, list[str]] = {}  # note guid -> targets with no NoteRef

    def error(self, reason: str) -> ExchangeError:
        return ExchangeError(self.p.name or "project", reason)

    @contextmanager
    def el(self, tag: str, /, **attributes: str | None) -> Iterator[None]:
        attrib = {k: v for k, v in attributes.items() if v is not None}
        with self.xf.element(_Q + tag, attrib):
            yield

    def shared_gid(self, guid: str) -> str:
        """:func:`_gid` of a guid that many codings share (a code's, a user's), remembered."""
        found = self._shared.get(guid)
        if found is None:
            found = self._shared[guid] = _gid(guid)
        return found

    def raw(self, xml: str) -> None:
        """Write ``xml``, well-formed XML text, as it is (after what xf has written so far)."""
        if xml:
            self.xf.flush()
            self.out.write(xml.encode())

    def leaf(self, tag: str, text: str | None = None, /, **attributes: str | None) -> None:
        with self.el(tag, **attributes):
            if text:
                self.xf.write(_x(text))

    def refs(self, target: str) -> None:
        for note in self.note_refs.get(target, ()):
            self.leaf("NoteRef", targetGUID=_gid(note))

    # -- notes are placed first: every element may carry NoteRefs

    def plan_notes(self) -> list[tuple[XNote, bool]]:
        placeable = {c.guid for c in self.p.codes} | {s.guid for s in self.p.sources}
        placeable |= {lk.guid for lk in self.p.links}
        codings = {c.guid for s in self.p.sources for c in s.codings}
        placeable |= codings
        memos: list[tuple[XNote, bool]] = []
        for src in self.p.sources:
            for c in src.codings:
                if c.memo is not None:
                    note = XNote(derived_guid("memo", c.guid), "Memo", c.memo, (c.guid,), c.user)
                    self.note_refs.setdefault(c.guid, []).append(note.guid)
                    memos.append((note, False))
        notes: list[tuple[XNote, bool]] = []
        for note in self.p.notes:
            extra = [t for t in note.targets if t not in placeable]
            for t in note.targets:
                if t in placeable:
                    self.note_refs.setdefault(t, []).append(note.guid)
            single_coding = len(note.targets) == 1 and note.targets[0] in codings
            notes.append((note, bool(extra) or single_coding or note.kind != "memo"))
            if extra:
                self.extra_targets[note.guid] = extra
        return memos + notes

    # -- sections, in the schema's order

    def write(self) -> None:
        notes = self.plan_notes()
        attributes = {"name": _x(self.p.name), "origin": f"Thematica {__version__}"}
        with self.xf.element(_Q + "Project", attributes, nsmap={None: NS}):
            if self.p.users:
                with self.el("Users"):
                    for user in self.p.users:
                        self.leaf("User", guid=_gid(user.guid), name=_x(user.name))
            if self.p.codes:
                self.codebook()
            variables = self.variables()
            if variables:
                with self.el("Variables"):
                    for name, (guid, kind) in variables.items():
                        self.leaf("Variable", guid=guid, name=_x(name), typeOfVariable=kind)
            if self.p.cases:
                self.cases(variables)
            if self.p.sources:
                with self.el("Sources"):
                    for src in self.p.sources:
                        self.source(src)
            if notes:
                with self.el("Notes"):
                    for note, marked in notes:
                        self.note(note, marked)
            if self.p.links:
                self.links()
            if self.p.sets:
                with self.el("Sets"):
                    for s in self.p.sets:
                        with self.el("Set", guid=_gid(s.guid), name=_x(s.name)):
                            for code in s.codes:
                                self.leaf("MemberCode", targetGUID=_gid(code))
                            for source in s.sources:
                                self.leaf("MemberSource", targetGUID=_gid(source))
            if self.p.description:
                self.leaf("Description", _x(self.p.description))

    def codebook(self) -> None:
        guids = {c.guid for c in self.p.codes}
        children: dict[str | None, list[XCode]] = {}
        for code in self.p.codes:
            parent = code.parent
            if parent is not None and parent not in guids:
                raise self.error(f"code {code.name!r} has a parent ({parent}) not in the project")
            children.setdefault(parent, []).append(code)
        written: set[str] = set()

        def write(code: XCode) -> None:
            written.add(code.guid)
            with self.el(
                "Code",
                guid=_gid(code.guid),
                name=_x(code.name),
                isCodable="true" if code.codable else "false",
                color=colour.upper() if (colour := parse_colour(code.colour)) else None,
            ):
                description = code_description(code)
                if description:
                    self.leaf("Description", description)
                self.refs(code.guid)
                for child in children.get(code.guid, ()):
                    write(child)

        with self.el("CodeBook"), self.el("Codes"):
            for root in children.get(None, ()):
                write(root)
        if len(written) != len(self.p.codes):
            raise self.error("the codes' parents form a cycle")

    def variables(self) -> dict[str, tuple[str, str]]:
        """Variable name -> (guid, REFI type), with ``group`` added when a case has one."""
        out = {
            v.name: (_gid(v.guid), _TYPES[v.type][0])
            for v in self.p.variables
            if v.name != GROUP_VARIABLE
        }
        if any(case.group for case in self.p.cases):
            out[GROUP_VARIABLE] = (derived_guid("variable", GROUP_VARIABLE), "Text")
        for case in self.p.cases:
            for name, value in case.values.items():
                if name == GROUP_VARIABLE:
                    raise self.error(f"case {case.name!r} has a value for 'group', a reserved name")
                if name not in out and value is not None:
                    out[name] = (derived_guid("variable", name), _infer_type(value))
        return out

    def cases(self, variables: dict[str, tuple[str, str]]) -> None:
        with self.el("Cases"):
            for case in self.p.cases:
                with self.el("Case", guid=_gid(case.guid), name=_x(case.name)):
                    values: list[tuple[str, AttributeValue]] = []
                    if case.group:
                        values.append((GROUP_VARIABLE, case.group))
                    values.extend(case.values.items())
                    for name, value in values:
                        if value is None:
                            continue
                        guid, kind = variables[name]
                        with self.el("VariableValue"):
                            self.leaf("VariableRef", targetGUID=guid)
                            element, text = _typed(value, kind, name, case.name)
                            self.leaf(element, text)
                    for source in case.sources:
                        self.leaf("SourceRef", targetGUID=_gid(source))

    def source(self, src: XSource) -> None:
        if src.media is not None:
            from thematica.exchange import refi_media

            refi_media.write_source(self, src)
            return
        guid = _gid(src.guid)
        spans: dict[tuple[int, int], list[XCoding]] = {}
        for c in src.codings:
            if not 0 <= c.start <= c.end <= len(src.text):
                raise self.error(
                    f"coding {c.guid} ({c.start}-{c.end}) lies outside the text of {src.name!r}"
                )
            spans.setdefault((c.start, c.end), []).append(c)
        with self.el(
            "TextSource", guid=guid, name=_x(src.name), plainTextPath=f"internal://{guid}.txt"
        ):
            extras = source_extras(src)
            if extras:
                self.leaf("Description", extras)
            self.raw(self.selections(src, spans))
            self.refs(src.guid)

    def selections(self, src: XSource, spans: dict[tuple[int, int], list[XCoding]]) -> str:
        """The source's PlainTextSelections as XML text, written as lxml would write them (the
        hot loop of a large export: 250,000 codings). Every attribute is a GUID, a number or an
        ISO date-time, none of which XML needs escaped."""
        selection_guid = Uuid5(_THEMATICA, f"selection\x1f{src.guid}\x1f")
        note_refs = self.note_refs
        shared = self.shared_gid
        out: list[str] = []
        add = out.append
        for (start, end), codings in sorted(spans.items()):
            users = {c.user for c in codings}
            user = users.pop() if len(users) == 1 else None
            guid = selection_guid(f"{start}\x1f{end}")
            creator = f' creatingUser="{shared(user)}"' if user else ""
            add(
                f'<PlainTextSelection guid="{guid}" startPosition="{start}" '
                f'endPosition="{end}"{creator}>'
            )
            for c in codings:
                creator = f' creatingUser="{shared(c.user)}"' if c.user else ""
                created = f' creationDateTime="{_datetime(c.created)}"' if c.created else ""
                add(
                    f'<Coding guid="{_gid(c.guid)}"{creator}{created}>'
                    f'<CodeRef targetGUID="{shared(c.code)}"></CodeRef>'
                )
                for note in note_refs.get(c.guid, ()):
                    add(f'<NoteRef targetGUID="{_gid(note)}"></NoteRef>')
                add("</Coding>")
            add("</PlainTextSelection>")
        return "".join(out)

    def note(self, note: XNote, marked: bool) -> None:
        with self.el(
            "Note",
            guid=_gid(note.guid),
            name=_x(note.name),
            creatingUser=_gid(note.user) if note.user else None,
            creationDateTime=_datetime(note.created) if note.created else None,
        ):
            if marked:
                extras: dict[str, Any] = {"note": True}
                if note.kind != "memo":
                    extras["kind"] = note.kind
                if note.guid in self.extra_targets:
                    extras["targets"] = [_gid(t) for t in self.extra_targets[note.guid]]
                self.leaf("Description", EXTRA_PREFIX + _json(extras))
            with self.el("PlainTextContent"):
                if note.text:
                    self.xf.write(_x(note.text))

    def links(self) -> None:
        with self.el("Links"):
            for link in self.p.links:
                if link.direction not in _DIRECTIONS:
                    raise self.error(f"link {link.name!r} has an unknown direction")
                with self.el(
                    "Link",
                    guid=_gid(link.guid),
                    name=_x(link.name),
                    direction=link.direction,
                    originGUID=_gid(link.origin),
                    targetGUID=_gid(link.target),
                ):
                    self.refs(link.guid)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def code_description(code: XCode) -> str:
    """The description, with a ``thematica:{...}`` line for level and theme when needed (and
    whenever the description's own last line could be mistaken for one)."""
    extras: dict[str, Any] = {}
    if code.level != 1:
        extras["level"] = code.level
    if code.theme:
        extras["theme"] = True
    if code.origins:
        extras["origins"] = [_gid(o) for o in code.origins]
    if not extras and not code.description.rpartition("\n")[2].startswith(EXTRA_PREFIX):
        return code.description
    line = EXTRA_PREFIX + _json(extras)
    return f"{code.description}\n{line}" if code.description else line


def source_extras(src: XSource) -> str:
    """The TextSource Description: ``thematica:`` and JSON with turns and the interview date."""
    if not src.turns and src.interview_date is None:
        return ""
    extras: dict[str, Any] = {"v": 1}
    if src.interview_date is not None:
        extras["interview_date"] = src.interview_date.isoformat()
    if src.turns:
        extras["turns"] = [
            [t.speaker, t.role, t.start, t.end, t.start_ms, t.end_ms] for t in src.turns
        ]
    return EXTRA_PREFIX + _json(extras)


def _infer_type(value: AttributeValue) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, dt.date):
        return "Date"
    return "Text"


def _typed(value: AttributeValue, kind: str, name: str, case: str) -> tuple[str, str]:
    try:
        if kind == "Boolean" and isinstance(value, bool):
            return "BooleanValue", "true" if value else "false"
        if kind == "Integer" and isinstance(value, int) and not isinstance(value, bool):
            return "IntegerValue", str(value)
        if kind == "Float" and isinstance(value, int | float) and not isinstance(value, bool):
            return "FloatValue", _decimal(float(value))
        if kind == "Date" and isinstance(value, dt.date):
            return "DateValue", dt.date(value.year, value.month, value.day).isoformat()
        if kind == "Text":
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            return "TextValue", _x(text)
    except ValueError:
        pass
    raise ExchangeError(
        case or "case", f"the value {value!r} of {name!r} is not a valid {kind.lower()}"
    )


@collector_paused()
def write_qdpx(project: XProject, fileobj: BinaryIO) -> None:
    """Write ``project`` to ``fileobj`` as a .qdpx: ``project.qde`` (UTF-8, no BOM) and one
    ``sources/<guid>.txt`` (UTF-8, no BOM) per source. Positions are code points.

    Deflate's fastest level: about six times the speed of the default for about a sixth more
    bytes (workload L's .qdpx: 36.6 MB against 31.7 MB; transcripts and their XML compress well
    either way), and any reader inflates it alike."""
    with zipfile.ZipFile(
        fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
    ) as archive:
        member: IO[bytes]
        with (
            archive.open("project.qde", "w") as member,
            etree.xmlfile(member, encoding="utf-8") as xf,
        ):
            xf.write_declaration()
            _Writer(project, xf, member).write()
        for src in project.sources:
            if src.media is not None:
                from thematica.exchange import refi_media

                refi_media.copy_into(archive, src)
                continue
            data = src.text.encode("utf-8", errors="replace")
            archive.writestr(f"sources/{_gid(src.guid)}.txt", data)
