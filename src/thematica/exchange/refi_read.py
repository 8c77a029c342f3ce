"""Read REFI-QDA: a project (.qdpx, or a bare .qde) or a codebook (.qdc) into an XProject.

See :mod:`thematica.exchange.refi` for the mapping and the decisions behind it. In short: the
positions in a project are converted from whatever unit the producing tool counted (detected
per project, see :func:`detect_unit`) to code points of the text as Thematica stores it, with
LF newlines and in Unicode NFC (see :class:`CanonicalText`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import IO, Any, NoReturn

from lxml import etree

from thematica.collector import collector_paused
from thematica.domain import AttributeType, AttributeValue
from thematica.exchange.model import (
    NOTE_KINDS,
    XCase,
    XCode,
    XCoding,
    XLink,
    XMedia,
    XNote,
    XProject,
    XSet,
    XSource,
    XTurn,
    XUser,
    XVariable,
)
from thematica.exchange.refi_codes_read import read_codes, read_sets
from thematica.exchange.refi_safety import (
    Archive,
    ExchangeError,
    iter_elements,
    local_name,
    norm_guid,
    peek_root,
    release,
)
from thematica.exchange.refi_xml import (
    _LOCAL_NAMES,
    EXTRA_PREFIX,
    GROUP_VARIABLE,
    _child,
    _children,
    _guid,
    _local,
    _refs,
    _text_of,
    _where,
    decode_source,
    parse_datetime,
    split_extras,
)
from thematica.importers.guard import guarded
from thematica.importers.limits import MAX_SPEAKER, MAX_TIME_MS

_VARIABLE_TYPES = {
    "text": AttributeType.TEXT,
    "integer": AttributeType.INTEGER,
    "float": AttributeType.FLOAT,
    "boolean": AttributeType.BOOLEAN,
    "date": AttributeType.DATE,
    "datetime": AttributeType.TEXT,  # Thematica has no date-time type: kept as ISO text
}
_GUID_STRIP = "{} \t\r\n"  # what norm_guid strips
_NON_TEXT_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


from thematica.exchange.refi_offsets import (  # noqa: E402
    CanonicalText,
    _Events,
    detect_unit,
    source_units,
    to_code_points,
)

# --------------------------------------------------------------------------- project


@dataclass(slots=True)
class _Coding:
    guid: str
    code: str
    user: str | None
    created: dt.datetime | None
    line: int | None


@dataclass(slots=True)
class _Selection:
    guid: str
    start: int
    end: int
    name: str
    description: str
    line: int | None
    codings: list[_Coding] = field(default_factory=list)


@dataclass
class _Source:
    guid: str
    name: str
    raw: str
    extras: dict[str, Any]
    line: int | None
    selections: list[_Selection] = field(default_factory=list)
    whole: list[_Coding] = field(default_factory=list)  # codings of the whole text
    syncs: list[tuple[int, int]] = field(default_factory=list)  # a transcript's (position, ms)
    media: XMedia | None = None  # an AudioSource/VideoSource's recording


@dataclass
class _Note:
    guid: str
    name: str
    text: str
    user: str | None
    marked: bool  # written by Thematica as a note, never a coding memo
    extra_targets: list[str]
    kind: str = "memo"
    created: dt.datetime | None = None


@dataclass
class _Case:
    guid: str
    name: str | None
    values: list[tuple[str, AttributeValue]]
    sources: list[str]


def _integer(element: etree._Element, attribute: str, source: str, what: str) -> int:
    raw = (element.get(attribute) or "").strip()
    try:
        return int(raw)
    except ValueError:
        raise ExchangeError(
            source, f"{attribute} {raw!r} is not a whole number", _where(element, what)
        ) from None


def _value(element: etree._Element, source: str) -> AttributeValue:
    kind = local_name(element.tag)
    raw = _text_of(element)
    try:
        if kind == "BooleanValue":
            return raw.strip().lower() in ("true", "1")
        if kind == "IntegerValue":
            return int(raw.strip())
        if kind == "FloatValue":
            return float(raw.strip())
        if kind == "DateValue":
            return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ExchangeError(
            source, f"{raw!r} is not a valid {kind}", _where(element, "variable value")
        ) from None
    return raw  # TextValue, and DateTimeValue kept as its ISO text


class _ProjectReader:
    def __init__(self, source: str, archive: Archive | None) -> None:
        self.source = source
        self.archive = archive
        self.users: list[XUser] = []
        self.codes: list[XCode] = []
        self.variables: list[XVariable] = []
        self.cases: list[_Case] = []
        self.sources: list[_Source] = []
        self.notes: list[_Note] = []
        self.links: list[XLink] = []
        self.sets: list[XSet] = []
        self.skipped: list[str] = []
        self.media_skipped: list[str] = []
        self.description = ""
        self.note_refs: dict[str, list[tuple[str, str]]] = {}  # note -> (kind, target guid)
        self.coding_guids: set[str] = set()
        self.shared: dict[str, str] = {}  # code and user guids, each kept once

    # -- elements, as they complete

    def element(self, element: etree._Element) -> None:
        kind = local_name(element.tag)
        parent = element.getparent()
        if parent is None:
            return
        if kind in ("TextSource", *_NON_TEXT_SOURCES):
            if local_name(parent.tag) != "Sources" or parent.getparent() is None:
                return
            if kind == "TextSource":
                self.text_source(element)
            elif kind in ("AudioSource", "VideoSource"):
                from thematica.exchange import refi_media

                found = refi_media.read_source(self, element)
                if found is not None:
                    self.sources.append(found)
                else:
                    self.skipped.append(element.get("name") or norm_guid(element.get("guid")))
            else:
                self.skipped.append(element.get("name") or norm_guid(element.get("guid")))
        elif parent.getparent() is not None:
            return  # only the project's own children are handled here
        elif kind == "Users":
            for user in _children(element, "User"):
                guid = _guid(user, self.source, "user")
                name = user.get("name")
                if not name:  # NVivo Mac writes an id beside the name; others may only have it
                    name = user.get("id") or (guid if name is None else name)
                self.users.append(XUser(guid, name))
        elif kind == "CodeBook":
            codes = _child(element, "Codes")
            if codes is not None:
                self.codes.extend(read_codes(codes, self.source, self.note_refs))
        elif kind == "Variables":
            for var in _children(element, "Variable"):
                type_name = (var.get("typeOfVariable") or "Text").strip().lower()
                self.variables.append(
                    XVariable(
                        _guid(var, self.source, "variable"),
                        var.get("name") or "",
                        _VARIABLE_TYPES.get(type_name, AttributeType.TEXT),
                    )
                )
        elif kind == "Cases":
            for case in _children(element, "Case"):
                self.case(case)
        elif kind == "Notes":
            for note in _children(element, "Note"):
                self.note(note)
        elif kind == "Links":
            for link in _children(element, "Link"):
                self.link(link)
        elif kind == "Sets":
            self.sets.extend(read_sets(element, self.source))
        elif kind == "Description":
            self.description = _text_of(element)
        release(element)

    def _refer(self, element: etree._Element, kind: str, target: str) -> None:
        for note in _refs(element, "NoteRef"):
            self.note_refs.setdefault(note, []).append((kind, target))

    def source_text(self, element: etree._Element, name: str) -> str | None:
        """The plain text of a TextSource or Note; None if it has only a rich-text file."""
        where = _where(element, f"source {name!r}")
        path = (element.get("plainTextPath") or "").strip()
        inline = _child(element, "PlainTextContent")
        if path:
            scheme, sep, rest = path.partition("://")
            if sep and scheme.lower() != "internal":
                if inline is not None:
                    return _text_of(inline)
                raise ExchangeError(
                    self.source,
                    f"the text of {name!r} is an external file ({path}); Thematica reads only "
                    "text stored inside the project",
                    where,
                )
            file_name = (rest if sep else path).replace("\\", "/").rsplit("/", 1)[-1]
            member = self.archive.find_source(file_name) if self.archive is not None else None
            if member is not None and self.archive is not None:
                return decode_source(self.archive.read(member), self.source, member)
            if inline is not None:
                return _text_of(inline)
            raise ExchangeError(
                self.source,
                f"{name!r} refers to the file {path}, which is not in the project archive",
                where,
            )
        if inline is not None:
            return _text_of(inline)
        return None

    def _note_ref(self, element: etree._Element, kind: str, target: str) -> None:
        note = norm_guid(element.get("targetGUID"))
        if note:
            self.note_refs.setdefault(note, []).append((kind, target))

    def coding(self, element: etree._Element, fallback_user: str | None) -> _Coding:
        # the hot loop of an import (250,000 codings): norm_guid and _guid written out
        get = element.get
        raw = get("guid")
        guid = raw.strip(_GUID_STRIP).lower() if raw else ""
        if not guid:
            guid = _guid(element, self.source, "coding")  # refuses it, saying where
        code = ""
        for child in element:
            local = _LOCAL_NAMES.get(child.tag) or _local(child.tag)
            if local == "CodeRef" and not code:
                code = norm_guid(child.get("targetGUID"))
                code = self.shared.setdefault(code, code)  # one string per code, not per coding
            elif local == "NoteRef":
                self._note_ref(child, "coding", guid)
        if not code:
            raise ExchangeError(
                self.source, "a coding names no code (no CodeRef)", _where(element, "coding")
            )
        raw = get("creatingUser")
        user = (raw.strip(_GUID_STRIP).lower() if raw else "") or fallback_user
        if user:
            user = self.shared.setdefault(user, user)
        created = get("creationDateTime")
        return _Coding(
            guid, code, user, parse_datetime(created) if created else None, element.sourceline
        )

    def selection(self, element: etree._Element, what: str) -> _Selection:
        get = element.get
        start, end = get("startPosition"), get("endPosition")
        selection = _Selection(
            _guid(element, self.source, "selection"),
            # plain digits the usual case; anything else is _integer's to read or refuse
            int(start)
            if start and start.isdecimal()
            else _integer(element, "startPosition", self.source, what),
            int(end)
            if end and end.isdecimal()
            else _integer(element, "endPosition", self.source, what),
            get("name") or "",
            "",
            element.sourceline,
        )
        self.fill_selection(element, selection)
        return selection

    def fill_selection(self, element: etree._Element, selection: _Selection) -> None:
        """A selection's codings, note references and description (text and transcript
        selections alike)."""
        user = norm_guid(element.get("creatingUser")) or None
        codings = selection.codings
        for child in element:
            local = _LOCAL_NAMES.get(child.tag) or _local(child.tag)
            if local == "Coding":
                codings.append(self.coding(child, user))
            elif local == "NoteRef":
                self._note_ref(child, "selection", selection.guid)
            elif local == "Description":
                selection.description = _text_of(child)

    def text_source(self, element: etree._Element) -> None:
        guid = _guid(element, self.source, "text source")
        path = element.get("plainTextPath") or ""
        name = element.get("name")
        if name is None:
            name = PurePath(path.rsplit("/", 1)[-1]).stem or guid
        raw = self.source_text(element, name)
        if raw is None:
            self.skipped.append(name)  # a rich-text (.docx) source with no plain text
            return
        found = _Source(guid, name, raw, {}, element.sourceline)
        what = f"a selection in {name!r}"
        for child in element:
            local = _local(child.tag)
            if local == "PlainTextSelection":
                found.selections.append(self.selection(child, what))
            elif local == "Coding":
                found.whole.append(self.coding(child, None))
            elif local == "NoteRef":
                self._note_ref(child, "source", guid)
            elif local == "Description":
                found.extras = self.source_extras(_text_of(child), element, name)
        self.sources.append(found)

    def source_extras(self, description: str, element: etree._Element, name: str) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        for line in description.splitlines():
            if line.startswith(EXTRA_PREFIX):
                try:
                    loaded = json.loads(line[len(EXTRA_PREFIX) :])
                except (ValueError, RecursionError):
                    raise ExchangeError(
                        self.source,
                        f"the Thematica data in the description of {name!r} is damaged",
                        _where(element, f"source {name!r}"),
                    ) from None
                extras = loaded if isinstance(loaded, dict) else {}
        return extras

    def case(self, element: etree._Element) -> None:
        values: list[tuple[str, AttributeValue]] = []
        for vv in _children(element, "VariableValue"):
            ref = _child(vv, "VariableRef")
            content = [c for c in vv if local_name(c.tag) not in ("VariableRef", "")]
            if ref is not None and content:
                values.append((norm_guid(ref.get("targetGUID")), _value(content[0], self.source)))
        self.cases.append(
            _Case(
                _guid(element, self.source, "case"),
                element.get("name"),
                values,
                _refs(element, "SourceRef"),
            )
        )

    def note(self, element: etree._Element) -> None:
        guid = _guid(element, self.source, "note")
        name = element.get("name") or ""
        _description, extras = split_extras(_text_of(_child(element, "Description")))
        text = self.source_text(element, name or guid) or ""
        targets = extras.get("targets", [])
        kind = extras.get("kind")
        created = element.get("creationDateTime")
        self.notes.append(
            _Note(
                guid,
                name,
                text,
                norm_guid(element.get("creatingUser")) or None,
                extras.get("note") is True,
                [norm_guid(t) for t in targets if isinstance(t, str)]
                if isinstance(targets, list)
                else [],
                kind if kind in NOTE_KINDS else "memo",
                parse_datetime(created) if created else None,
            )
        )

    def link(self, element: etree._Element) -> None:
        guid = _guid(element, self.source, "link")
        origin = norm_guid(element.get("originGUID"))
        target = norm_guid(element.get("targetGUID"))
        self._refer(element, "link", guid)
        if origin and target:
            direction = element.get("direction") or "Associative"
            self.links.append(XLink(guid, element.get("name") or "", origin, target, direction))

    # -- the whole project, once every element is read

    def finish(self, name: str, origin: str) -> XProject:
        unit = detect_unit(
            (
                (
                    s.raw,
                    [p for sel in s.selections for p in (sel.start, sel.end)]
                    + [p for p, _ in s.syncs],
                )
                for s in self.sources
            ),
            origin,
        )
        code_guids = {c.guid for c in self.codes}
        noted = {t for refs in self.note_refs.values() for kind, t in refs if kind == "selection"}
        selection_codings: dict[str, tuple[str, list[str]]] = {}
        for src in self.sources:
            for sel in src.selections:
                if sel.guid in noted:  # only a note's target is looked up
                    selection_codings[sel.guid] = (src.guid, [c.guid for c in sel.codings])
        memos, notes = self._notes(selection_codings)
        sources: list[XSource] = []
        seen: set[str] = set()
        for src in self.sources:
            if src.guid in seen:
                raise ExchangeError(
                    self.source, f"two sources have the guid {src.guid}", f"source {src.name!r}"
                )
            seen.add(src.guid)
            sources.append(self._source(src, unit, code_guids, memos))
            for sel in src.selections:
                if sel.description.strip():
                    targets = tuple(c.guid for c in sel.codings) or (src.guid,)
                    notes.append(XNote(sel.guid, sel.name or "Comment", sel.description, targets))
            src.selections, src.whole = [], []  # read: not kept beside the project's copy
        return XProject(
            name=name,
            origin=origin,
            users=tuple(self.users),
            codes=tuple(self.codes),
            variables=tuple(v for v in self.variables if not self._is_group(v)),
            cases=tuple(self._cases(seen)),
            sources=tuple(sources),
            notes=tuple(notes),
            links=tuple(self.links),
            sets=tuple(self.sets),
            skipped=tuple(self.skipped),
            media_skipped=tuple(self.media_skipped),
            offset_unit=unit,
            description=self.description,
        )

    def _source(
        self, src: _Source, unit: str, code_guids: set[str], memos: dict[str, list[str]]
    ) -> XSource:
        events = _Events.of(src.raw)
        positions = [p for sel in src.selections for p in (sel.start, sel.end)]
        cps = to_code_points(positions + [p for p, _ in src.syncs], events, unit)
        canonical = CanonicalText(src.raw)
        codings: list[XCoding] = []

        def add(c: _Coding, start: int, end: int) -> None:
            if c.code not in code_guids:
                raise ExchangeError(
                    self.source,
                    f"a coding in {src.name!r} refers to the code {c.code}, which is not in the "
                    "codebook",
                    f"line {c.line}" if c.line else None,
                )
            if c.guid in self.coding_guids:
                raise ExchangeError(
                    self.source,
                    f"two codings have the guid {c.guid}",
                    f"line {c.line}" if c.line else None,
                )
            self.coding_guids.add(c.guid)
            memo = "\n\n".join(memos[c.guid]) if c.guid in memos else None
            codings.append(XCoding(c.guid, start, end, c.code, c.user, c.created, memo))

        for sel in src.selections:
            start, end = cps[sel.start], cps[sel.end]
            if start is None or end is None or start > end:
                self._bad_selection(src, sel, start, end, unit)
            first, last = canonical.start(start), canonical.end(end)
            for c in sel.codings:
                add(c, first, last)
        for c in src.whole:
            add(c, 0, len(canonical.text))
        turns, when = self._extras(src, canonical)
        if src.syncs and not turns:
            turns = self._timed_turns(src, cps, canonical)
        units = source_units(src.raw, unit, canonical)
        return XSource(
            src.guid, src.name, canonical.text, tuple(codings), turns, when, units, src.media
        )

    def _bad_selection(
        self, src: _Source, sel: _Selection, start: int | None, end: int | None, unit: str
    ) -> NoReturn:
        """Refuse a selection outside the text, splitting a character, or backwards."""
        where = f"line {sel.line}" if sel.line else None
        if start is None or end is None:
            raise ExchangeError(
                self.source,
                f"a selection ({sel.start}-{sel.end}, counted in {unit}) lies outside the "
                f"text of {src.name!r} ({len(src.raw):,} characters) or splits a character",
                where,
            )
        raise ExchangeError(
            self.source,
            f"a selection in {src.name!r} starts ({sel.start}) after it ends ({sel.end})",
            where,
        )

    def _timed_turns(
        self, src: _Source, cps: dict[int, int | None], canonical: CanonicalText
    ) -> tuple[XTurn, ...]:
        """Turns from a transcript's timed sync points (another tool's AudioSource)."""
        from thematica.exchange.refi_media import turns_from_syncs

        points = []
        for position, ms in src.syncs:
            cp = cps[position]
            if cp is None:
                raise ExchangeError(
                    self.source,
                    f"a sync point ({position}) lies outside the transcript of {src.name!r}",
                    f"source {src.name!r}",
                )
            points.append((canonical.start(cp), ms))
        return turns_from_syncs(canonical.text, points)

    def _extras(
        self, src: _Source, canonical: CanonicalText
    ) -> tuple[tuple[XTurn, ...], dt.date | None]:
        where = f"source {src.name!r}, line {src.line}" if src.line else f"source {src.name!r}"
        try:
            raw_date = src.extras.get("interview_date")
            when = dt.date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
            turns = []
            for speaker, role, start, end, start_ms, end_ms in src.extras.get("turns", []):
                if not (
                    type(speaker) is str
                    and len(speaker) <= MAX_SPEAKER
                    and type(role) is str
                    and type(start) is int
                    and type(end) is int
                    and (
                        start_ms is None or (type(start_ms) is int and 0 <= start_ms < MAX_TIME_MS)
                    )
                    and (end_ms is None or (type(end_ms) is int and 0 <= end_ms < MAX_TIME_MS))
                    and 0 <= start <= end <= len(src.raw)
                ):
                    raise ValueError(speaker)
                turns.append(
                    XTurn(
                        speaker, role, canonical.start(start), canonical.end(end), start_ms, end_ms
                    )
                )
        except (ValueError, TypeError):
            raise ExchangeError(
                self.source, "the Thematica turns or interview date are damaged", where
            ) from None
        return tuple(turns), when

    def _notes(
        self, selection_codings: dict[str, tuple[str, list[str]]]
    ) -> tuple[dict[str, list[str]], list[XNote]]:
        """Coding memos (a note that only one coding refers to), and the other notes."""
        memos: dict[str, list[str]] = {}
        notes: list[XNote] = []
        for note in self.notes:
            refs = self.note_refs.get(note.guid, [])
            if len(refs) == 1 and refs[0][0] == "coding" and not note.marked:
                memos.setdefault(refs[0][1], []).append(note.text)
                continue
            targets: list[str] = []
            for kind, target in refs:
                if kind == "selection" and target in selection_codings:
                    src, codings = selection_codings[target]
                    targets.extend(codings or [src])
                elif kind != "project":
                    targets.append(target)
            targets.extend(note.extra_targets)
            notes.append(
                XNote(
                    note.guid,
                    note.name,
                    note.text,
                    tuple(dict.fromkeys(targets)),
                    note.user,
                    note.kind,
                    note.created,
                )
            )
        return memos, notes

    @staticmethod
    def _is_group(variable: XVariable) -> bool:
        return variable.name == GROUP_VARIABLE and variable.type == AttributeType.TEXT

    def _cases(self, source_guids: set[str]) -> list[XCase]:
        by_guid = {v.guid: v for v in self.variables}
        out = []
        for number, case in enumerate(self.cases, start=1):
            group = ""
            values: dict[str, AttributeValue] = {}
            for var_guid, value in case.values:
                variable = by_guid.get(var_guid)
                if variable is None:
                    continue
                if self._is_group(variable):
                    group = str(value)
                else:
                    values[variable.name] = value
            sources = tuple(s for s in case.sources if s in source_guids)
            name = case.name
            if name is None:  # Quirkos and MAXQDA write unnamed cases
                names = [s.name for s in self.sources if s.guid in sources]
                name = names[0] if len(names) == 1 else f"Case {number}"
            out.append(XCase(case.guid, name, group, values, sources))
        return out


@guarded
@collector_paused()  # 250,000 codings: no collections rescanning them as they come
def read_qdpx(data: bytes, source: str) -> XProject:
    """A REFI-QDA project: a .qdpx archive (or a bare .qde, whose texts must be inline).

    Raises :class:`ExchangeError` (an :class:`~thematica.errors.InputError`) naming ``source``
    for a damaged, hostile or inconsistent file.
    """
    archive: Archive | None = None
    part: str | None = None
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        xml: Callable[[], IO[bytes]] = partial(io.BytesIO, data)  # a bare project.qde
    else:
        archive = Archive(data, source)
        part = archive.project_member()
        xml = archive.opened(part)  # streamed: a large project.qde is never held whole
    with xml() as head:
        root = peek_root(head, source, part)
    if root.local == "CodeBook":
        raise ExchangeError(
            source, "this is a REFI-QDA codebook, not a project: import it as a .qdc codebook"
        )
    if root.local != "Project" or not root.namespace.startswith("urn:QDA-XML:project:"):
        raise ExchangeError(
            source,
            f"not a REFI-QDA project: the root element is {root.tag!r}, not Project in the "
            "urn:QDA-XML:project:1.0 namespace",
            part,
        )
    reader = _ProjectReader(source, archive)
    tags = (
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "TextSource",
        *_NON_TEXT_SOURCES,
        "Notes",
        "Links",
        "Sets",
        "Description",
    )
    with xml() as stream:
        for element in iter_elements(stream, source, part, tags):
            reader.element(element)
    name = root.attributes.get("name")
    if name is None:
        name = PurePath(source).stem
    return reader.finish(name, root.attributes.get("origin", ""))
