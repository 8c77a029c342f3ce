"""Codes, the theme framework and codings: lookups, imports and listings."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Integer, Select, bindparam, func, insert, select
from sqlalchemy.orm import Session

from thematica.domain import (
    Code,
    Codebook,
    CodePath,
    Coding,
    CodingSpec,
    Level,
    Link,
    Stance,
    ThemeNode,
    ThemeSpec,
    format_path,
)
from thematica.errors import ConflictError, InputError, NotFoundError, ThematicaError
from thematica.service import transcripts as tx
from thematica.service.blind_rule import HIDDEN_FROM_VIEWER, codes_blind, hidden_codings
from thematica.service.sessions import memo
from thematica.storage.models import (
    CodeOriginRow,
    CodeRow,
    CodingRow,
    NodeCodeRow,
    NodeLinkRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
)
from thematica.text import closest_passage, find_quote


def _key(path: Iterable[str]) -> tuple[str, ...]:
    return tuple(p.casefold() for p in path)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _Named(Protocol):
    @property
    def parent_id(self) -> int | None: ...
    @property
    def name(self) -> str: ...


def _code_paths(rows: Mapping[int, _Named]) -> dict[int, CodePath]:
    """Every code's full path (a cycle, which the service never writes, is cut where it closes)."""
    paths: dict[int, CodePath] = {}

    def path_of(code_id: int, seen: frozenset[int] = frozenset()) -> CodePath:
        if code_id in paths:
            return paths[code_id]
        row = rows[code_id]
        if row.parent_id is None or row.parent_id in seen:
            result: CodePath = (row.name,)
        else:
            result = (*path_of(row.parent_id, seen | {code_id}), row.name)
        paths[code_id] = result
        return result

    for code_id in rows:
        path_of(code_id)
    return paths


def _descendants(rows: Mapping[int, _Named], code_id: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for i, row in rows.items():
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(i)
    out: set[int] = set()
    frontier = [code_id]
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in out:
                out.add(child)
                frontier.append(child)
    return out


class CodeRecord(NamedTuple):
    """A code as :class:`CodeView` holds it: the columns, not an ORM object."""

    id: int
    parent_id: int | None
    name: str
    description: str
    colour: str | None
    level: int
    owner_id: int | None


_CODE_COLUMNS = select(
    CodeRow.id,
    CodeRow.parent_id,
    CodeRow.name,
    CodeRow.description,
    CodeRow.colour,
    CodeRow.level,
    CodeRow.owner_id,
)


@dataclass(frozen=True)
class CodeView:
    """Every code with its full path, for reading only: plain records, about ten times cheaper
    to load than :class:`CodeIndex`'s ORM rows (pages read the codebook several times each)."""

    rows: dict[int, CodeRecord]
    paths: dict[int, CodePath]

    @classmethod
    def read(cls, session: Session) -> CodeView:
        """The codebook as ``session`` sees it, read once per run of shared reads."""
        return memo(session, ("codeview",), lambda: cls._read(session))

    @classmethod
    def _read(cls, session: Session) -> CodeView:
        rows = {r[0]: CodeRecord._make(r) for r in session.execute(_CODE_COLUMNS)}
        return cls(rows, _code_paths(rows))

    def descendants(self, code_id: int) -> set[int]:
        return _descendants(self.rows, code_id)


@dataclass
class CodeIndex:
    """Every code with its full path, loaded once per operation (a codebook has hundreds); its
    rows are the session's ORM objects, for operations that change codes."""

    rows: dict[int, CodeRow]
    paths: dict[int, CodePath]
    by_path: dict[tuple[int, tuple[str, ...]], int]

    @classmethod
    def load(cls, session: Session) -> CodeIndex:
        rows = {r.id: r for r in session.scalars(select(CodeRow))}
        paths = _code_paths(rows)
        by_path = {(rows[i].level, _key(p)): i for i, p in paths.items()}
        return cls(rows, paths, by_path)

    def find(self, path: CodePath, level: Level) -> int | None:
        return self.by_path.get((int(level), _key(path)))

    def get(self, path: CodePath, level: Level) -> int:
        found = self.find(path, level)
        if found is None:
            other = Level.TWO if level is Level.ONE else Level.ONE
            hint = (
                f" (there is a level-{int(other)} code of that name)"
                if self.find(path, other)
                else ""
            )
            raise NotFoundError(f"no level-{int(level)} code {format_path(path)!r}{hint}")
        return found

    def descendants(self, code_id: int) -> set[int]:
        return _descendants(self.rows, code_id)


class MemberFacts(NamedTuple):
    """What the service's rules ask of a team member: their id, role and whether they see
    anonymised text only."""

    id: int
    role: str
    anonymised_only: bool


def member_facts(session: Session, name: str) -> MemberFacts:
    """Team member ``name``'s :class:`MemberFacts` (any case; found once per run of shared
    reads, for every rule that asks); :class:`NotFoundError`, naming the team, if none."""
    return memo(session, ("member", name.strip().lower()), lambda: _member_facts(session, name))


def member_id(session: Session, name: str) -> int:
    """The id of team member ``name`` (any case; found once per run of shared reads)."""
    return member_facts(session, name).id


_MEMBER = select(TeamMemberRow.id, TeamMemberRow.role, TeamMemberRow.anonymised_only).where(
    func.lower(TeamMemberRow.name) == bindparam("name")
)
_MEMBER_NAMES = select(TeamMemberRow.id, TeamMemberRow.name)
# Statements a page runs every time are built once (building one costs more than running it).


def _member_facts(session: Session, name: str) -> MemberFacts:
    found = session.execute(_MEMBER, {"name": name.strip().lower()}).first()
    if found is None:
        team = ", ".join(session.scalars(select(TeamMemberRow.name).order_by(TeamMemberRow.id)))
        raise NotFoundError(
            f"no team member {name!r}"
            + (f" (the team: {team})" if team else " (add one with 'thematica team add')")
        )
    return MemberFacts(found.id, found.role, bool(found.anonymised_only))


# -- codes -----------------------------------------------------------------------------------


def ensure_code(
    session: Session, index: CodeIndex, path: CodePath, level: Level
) -> tuple[int, bool]:
    """The id of the code at ``path`` (creating it and any missing parents); True if created."""
    parent: int | None = None
    created = False
    for depth in range(1, len(path) + 1):
        found = index.find(path[:depth], level)
        if found is None:
            row = CodeRow(
                parent_id=parent,
                name=path[depth - 1],
                description="",
                level=int(level),
                created_at=_now(),
            )
            session.add(row)
            session.flush()
            index.rows[row.id] = row
            index.paths[row.id] = path[:depth]
            index.by_path[(int(level), _key(path[:depth]))] = row.id
            found, created = row.id, True
        parent = found
    assert parent is not None
    return parent, created


def codes(
    session: Session,
    level: Level | None = None,
    *,
    counted: bool = True,
    visible_to: str | None = None,
) -> tuple[Code, ...]:
    """The codebook, each code with its number of codings across the study (``counted``; a
    whole-study count, so pages that do not show it can skip it). With ``visible_to``, only
    the codings that member may see are counted (blind coding: see
    :func:`~thematica.service.blind_rule.hidden_codings`)."""
    index = CodeView.read(session)
    counts: Counter[int] = Counter()
    if counted:
        query = select(CodingRow.code_id, func.count()).group_by(CodingRow.code_id)
        hidden = hidden_codings(session, member_id(session, visible_to)) if visible_to else None
        if hidden is not None:
            query = query.where(~hidden)
        counts.update(dict(session.execute(query).all()))
    chosen = [i for i, r in index.rows.items() if level is None or r.level == int(level)]
    chosen.sort(key=lambda i: (index.rows[i].level, _key(index.paths[i])))
    members = dict(session.execute(_MEMBER_NAMES).all())
    return tuple(
        Code(
            id=i,
            path=index.paths[i],
            level=Level(index.rows[i].level),
            description=index.rows[i].description,
            colour=index.rows[i].colour,
            codings=counts.get(i, 0),
            owner=members.get(index.rows[i].owner_id or -1),
        )
        for i in chosen
    )


# -- theme framework -------------------------------------------------------------------------


@dataclass
class NodeIndex:
    rows: dict[int, ThemeNodeRow]
    paths: dict[int, CodePath]

    @classmethod
    def load(cls, session: Session) -> NodeIndex:
        rows = {r.id: r for r in session.scalars(select(ThemeNodeRow))}
        paths: dict[int, CodePath] = {}
        for node_id in rows:
            chain: list[str] = []
            current: int | None = node_id
            while current is not None and len(chain) <= len(rows):
                chain.append(rows[current].name)
                current = rows[current].parent_id
            paths[node_id] = tuple(reversed(chain))
        return cls(rows, paths)

    def find(self, path: CodePath) -> int | None:
        wanted = _key(path)
        return next((i for i, p in self.paths.items() if _key(p) == wanted), None)

    def get(self, path: CodePath) -> int:
        found = self.find(path)
        if found is None:
            raise NotFoundError(f"no theme {format_path(path)!r}")
        return found


def _upsert_theme(
    session: Session,
    nodes: NodeIndex,
    index: CodeIndex,
    spec: ThemeSpec,
    parent: CodePath,
    source: str,
) -> None:
    path = (*parent, spec.name)
    node_id = nodes.find(path)
    if node_id is None:
        parent_id = nodes.find(parent) if parent else None
        siblings = sum(1 for r in nodes.rows.values() if r.parent_id == parent_id)
        row = ThemeNodeRow(
            parent_id=parent_id,
            name=spec.name,
            description=spec.description,
            position=siblings,
            created_at=_now(),
        )
        session.add(row)
        session.flush()
        nodes.rows[row.id] = row
        nodes.paths[row.id] = path
        node_id = row.id
    elif spec.description:
        nodes.rows[node_id].description = spec.description
    for stance, code_paths in ((Stance.SUPPORTS, spec.codes), (Stance.DIVERGENT, spec.divergent)):
        for code_path in code_paths:
            code_id = index.find(code_path, Level.TWO) or index.find(code_path, Level.ONE)
            if code_id is None:
                raise InputError(
                    source,
                    f"theme {format_path(path)!r} names an unknown code {format_path(code_path)!r}",
                )
            assign(session, node_id, code_id, stance)
    for child in spec.children:
        _upsert_theme(session, nodes, index, child, path, source)


def assign(session: Session, node_id: int, code_id: int, stance: Stance) -> None:
    row = session.get(NodeCodeRow, (node_id, code_id))
    if row is None:
        session.add(NodeCodeRow(node_id=node_id, code_id=code_id, stance=stance.value))
    else:
        row.stance = stance.value
    session.flush()


def add_link(
    session: Session, nodes: NodeIndex, source: CodePath, target: CodePath, label: str
) -> bool:
    from_id, to_id = nodes.get(source), nodes.get(target)
    if from_id == to_id:
        raise ThematicaError("an interlink joins two different themes")
    exists = session.scalar(
        select(NodeLinkRow).where(
            NodeLinkRow.from_node_id == from_id,
            NodeLinkRow.to_node_id == to_id,
            NodeLinkRow.label == label,
        )
    )
    if exists is not None:
        return False
    session.add(NodeLinkRow(from_node_id=from_id, to_node_id=to_id, label=label, created_at=_now()))
    session.flush()
    return True


@dataclass(frozen=True)
class CodebookReport:
    codes_created: int
    codes_updated: int
    themes: int
    links_created: int


def import_codebook(session: Session, codebook: Codebook, source: str) -> CodebookReport:
    index = CodeIndex.load(session)
    created = updated = 0
    for spec in codebook.codes:
        code_id, is_new = ensure_code(session, index, spec.path, spec.level)
        row = index.rows[code_id]
        if spec.description:
            row.description = spec.description
        if spec.colour:
            row.colour = spec.colour
        if spec.owner:
            try:
                row.owner_id = member_id(session, spec.owner)
            except NotFoundError as exc:
                raise InputError(source, f"code {format_path(spec.path)!r}: {exc}") from None
        created += is_new
        updated += (not is_new) and bool(spec.description or spec.colour)
        for origin in spec.origins:
            origin_id = index.find(origin, Level.ONE)
            if origin_id is None:
                raise InputError(
                    source,
                    f"{format_path(spec.path)!r} comes from an unknown level-one code {format_path(origin)!r}",
                )
            if session.get(CodeOriginRow, (code_id, origin_id)) is None:
                session.add(CodeOriginRow(code_id=code_id, origin_id=origin_id))
    session.flush()
    nodes = NodeIndex.load(session)
    for theme in codebook.themes:
        _upsert_theme(session, nodes, index, theme, (), source)
    links = 0
    for link in codebook.links:
        try:
            links += add_link(session, nodes, link.source, link.target, link.label)
        except NotFoundError as exc:
            raise InputError(source, f"interlink {link.label!r}: {exc}") from None
    return CodebookReport(created, updated, len(nodes.rows), links)


def themes(session: Session) -> tuple[tuple[ThemeNode, ...], tuple[Link, ...]]:
    nodes = NodeIndex.load(session)
    index = CodeIndex.load(session)
    assigned: dict[int, dict[Stance, list[CodePath]]] = {}
    for row in session.scalars(select(NodeCodeRow)):
        assigned.setdefault(row.node_id, {}).setdefault(Stance(row.stance), []).append(
            index.paths[row.code_id]
        )
    order = sorted(nodes.rows, key=lambda i: _tree_key(nodes, i))
    out = tuple(
        ThemeNode(
            id=i,
            path=nodes.paths[i],
            description=nodes.rows[i].description,
            codes=tuple(sorted(assigned.get(i, {}).get(Stance.SUPPORTS, []))),
            divergent=tuple(sorted(assigned.get(i, {}).get(Stance.DIVERGENT, []))),
            children=tuple(c for c in order if nodes.rows[c].parent_id == i),
        )
        for i in order
    )
    links = tuple(
        Link(r.id, nodes.paths[r.from_node_id], nodes.paths[r.to_node_id], r.label)
        for r in session.scalars(select(NodeLinkRow).order_by(NodeLinkRow.id))
    )
    return out, links


def _tree_key(nodes: NodeIndex, node_id: int) -> tuple[int, ...]:
    chain: list[int] = []
    current: int | None = node_id
    while current is not None:
        chain.append(nodes.rows[current].position)
        current = nodes.rows[current].parent_id
    return tuple(reversed(chain))


# -- codings ---------------------------------------------------------------------------------


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _locate(spec: CodingSpec, text: str, source: str, label: str) -> tuple[int, int]:
    where = f"row {spec.row}"
    if spec.start is not None and spec.end is not None:
        if spec.end > len(text):
            raise InputError(
                source,
                f"end {spec.end} is past the end of transcript {label} ({len(text)} characters)",
                where,
            )
        return spec.start, spec.end
    assert spec.quote is not None
    found = find_quote(text, spec.quote)
    if not found:
        near = closest_passage(text, spec.quote)
        hint = (
            f"; the closest passage is {_clip(text[near.start : near.end])!r} "
            f"(characters {near.start}-{near.end})"
            if near is not None
            else ""
        )
        raise InputError(
            source, f"the quote {_clip(spec.quote)!r} is not in transcript {label}{hint}", where
        )
    if spec.occurrence is None and len(found) > 1:
        raise InputError(
            source,
            f"the quote {spec.quote[:60]!r} occurs {len(found)} times in transcript {label}; "
            f"add an 'occurrence' column (1 to {len(found)}) or quote more text",
            where,
        )
    number = spec.occurrence or 1
    if number > len(found):
        raise InputError(
            source,
            f"occurrence {number}, but the quote occurs {len(found)} time(s) in {label}",
            where,
        )
    span = found[number - 1]
    return span.start, span.end


def import_codings(session: Session, specs: Sequence[CodingSpec], source: str, level: Level) -> int:
    """Add the codings; any bad row raises :class:`InputError` naming it (the caller rolls back)."""
    index = CodeIndex.load(session)
    transcript_ids: dict[str, int] = {}
    texts: dict[int, str] = {}
    coders: dict[str, int] = {}
    existing = {
        (r.transcript_id, r.code_id, r.coder_id, r.start_offset, r.end_offset)
        for r in session.execute(
            select(
                CodingRow.transcript_id,
                CodingRow.code_id,
                CodingRow.coder_id,
                CodingRow.start_offset,
                CodingRow.end_offset,
            )
        )
    }
    rows = []
    now = _now()
    for spec in specs:
        where = f"row {spec.row}"
        try:
            if spec.transcript not in transcript_ids:
                transcript_ids[spec.transcript] = tx.resolve(session, spec.transcript)
            tid = transcript_ids[spec.transcript]
            if spec.coder.casefold() not in coders:
                coders[spec.coder.casefold()] = member_id(session, spec.coder)
            coder = coders[spec.coder.casefold()]
            code_id = index.get(spec.code, level)
        except ThematicaError as exc:
            raise InputError(source, str(exc), where) from None
        if tid not in texts:
            texts[tid] = (
                session.scalar(select(TranscriptRow.text).where(TranscriptRow.id == tid)) or ""
            )
        start, end = _locate(spec, texts[tid], source, spec.transcript)
        key = (tid, code_id, coder, start, end)
        if key in existing:
            raise InputError(
                source,
                f"{spec.coder} already coded this span of {spec.transcript} with this code",
                where,
            )
        existing.add(key)
        rows.append(
            {
                "transcript_id": tid,
                "code_id": code_id,
                "coder_id": coder,
                "start_offset": start,
                "end_offset": end,
                "memo": spec.memo,
                "created_at": now,
                "modified_at": now,
            }
        )
    if rows:
        session.execute(insert(CodingRow), rows)
    return len(rows)


MEMO_LIMIT = 20_000


def check_memo(memo: str | None) -> None:
    if memo is not None and len(memo) > MEMO_LIMIT:
        raise ThematicaError(f"a memo holds at most {MEMO_LIMIT:,} characters")


_TEXT_LENGTH = select(func.length(TranscriptRow.text)).where(
    TranscriptRow.id == bindparam("transcript", type_=Integer)
)


def check_span(session: Session, transcript_id: int, start: int, end: int) -> None:
    """Refuse a span that is empty or not inside the transcript's text."""
    text_length = session.scalar(_TEXT_LENGTH, {"transcript": transcript_id})
    if text_length is None:
        raise NotFoundError(f"no transcript {transcript_id}")
    if not 0 <= start < end <= text_length:
        raise ThematicaError(
            f"the span {start}-{end} is not inside the transcript (0-{text_length})"
        )


def add_coding(
    session: Session,
    transcript_id: int,
    code_id: int,
    coder_id: int,
    start: int,
    end: int,
    memo: str | None,
) -> int:
    check_span(session, transcript_id, start, end)
    check_memo(memo)
    now = _now()
    row = CodingRow(
        transcript_id=transcript_id,
        code_id=code_id,
        coder_id=coder_id,
        start_offset=start,
        end_offset=end,
        memo=memo,
        created_at=now,
        modified_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def list_codings(
    session: Session,
    *,
    code: CodePath | None = None,
    coder: str | None = None,
    transcript: str | None = None,
    level: Level | None = None,
    include_children: bool = True,
    visible_to: str | None = None,
    ids: Collection[int] | None = None,
) -> tuple[Coding, ...]:
    """Codings matching the filters (``ids``: only those codings). With ``visible_to``, blind coding applies: while the study
    codes blind, that member sees only their own level-one codings in transcripts the lead has
    not yet revealed (the agreed level-two layer is always visible)."""
    index = CodeView.read(session)
    given: dict[str, object] = {}
    if code is not None:
        matches = [
            i
            for i, p in index.paths.items()
            if _key(p) == _key(code) and (level is None or index.rows[i].level == int(level))
        ]
        if not matches:
            raise NotFoundError(f"no code {format_path(code)!r}")
        wanted = set(matches)
        if include_children:
            for match in matches:
                wanted |= index.descendants(match)
        given["codes"] = sorted(wanted)
    elif level is not None:
        given["codes"] = [i for i, r in index.rows.items() if r.level == int(level)]
    if coder is not None:
        given["coder"] = member_id(session, coder)
    if transcript is not None:
        given["transcript"] = tx.resolve(session, transcript)
    if ids is not None:
        given["ids"] = sorted(ids)
    if visible_to is not None:
        given["viewer"] = member_id(session, visible_to)  # an unknown member is refused
    blind = visible_to is not None and codes_blind(session)
    query = _codings_query(frozenset(given) - {"viewer"}, blind)
    results = session.execute(query, given).all()  # plain rows: a page lists hundreds
    if not results:
        return ()
    tids = {row.transcript_id for row in results}
    if len(tids) == 1:  # one transcript's codings (its page): its row is loaded already
        (tid,) = tids
        row = session.get(TranscriptRow, tid)
        assert row is not None, "a coding's transcript exists (a foreign key)"
        texts = {tid: row.text}
    else:
        texts = dict(session.execute(_TEXTS, {"ids": sorted(tids)}).all())
    labels = tx.participant_labels(session, tids)
    return tuple(
        make_coding(
            row,
            coder=row.coder,
            code=index.paths[row.code_id],
            level=Level(index.rows[row.code_id].level),
            text=texts[row.transcript_id],
            participant=labels.get(row.transcript_id),
        )
        for row in results
    )


@functools.cache
def _codings_query(filters: frozenset[str], blind: bool) -> Select[*tuple[Any, ...]]:
    """The codings (with their coders' names) that :func:`list_codings`' ``filters`` choose, as
    a statement built once per set of filters: each filter is a parameter of the same name
    (``codes``, ``ids``: lists of ids; ``coder``, ``transcript``: an id), and ``blind`` adds
    blind coding's condition (parameter ``viewer``)."""
    query = select(*CODING_FIELDS, TeamMemberRow.name.label("coder")).join(
        TeamMemberRow, TeamMemberRow.id == CodingRow.coder_id
    )
    if "codes" in filters:
        query = query.where(CodingRow.code_id.in_(bindparam("codes", expanding=True)))
    if "coder" in filters:
        query = query.where(CodingRow.coder_id == bindparam("coder", type_=Integer))
    if "transcript" in filters:
        query = query.where(CodingRow.transcript_id == bindparam("transcript", type_=Integer))
    if "ids" in filters:
        query = query.where(CodingRow.id.in_(bindparam("ids", expanding=True)))
    if blind:
        query = query.where(~HIDDEN_FROM_VIEWER)
    return query.order_by(
        CodingRow.transcript_id, CodingRow.start_offset, CodingRow.end_offset, CodingRow.id
    )


_TEXTS = select(TranscriptRow.id, TranscriptRow.text).where(
    TranscriptRow.id.in_(bindparam("ids", expanding=True))
)

CODING_FIELDS = (
    CodingRow.id,
    CodingRow.transcript_id,
    CodingRow.code_id,
    CodingRow.start_offset,
    CodingRow.end_offset,
    CodingRow.memo,
    CodingRow.created_at,
    CodingRow.modified_at,
)
"""The columns :func:`make_coding` reads, for queries that need no ORM object per coding."""


class CodingFields(Protocol):
    """A stored coding's columns: a :class:`CodingRow` or a row of :data:`CODING_FIELDS`."""

    @property
    def id(self) -> int: ...
    @property
    def transcript_id(self) -> int: ...
    @property
    def start_offset(self) -> int: ...
    @property
    def end_offset(self) -> int: ...
    @property
    def memo(self) -> str | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def modified_at(self) -> dt.datetime: ...


def make_coding(
    row: CodingFields,
    *,
    coder: str,
    code: CodePath,
    level: Level,
    text: str,
    participant: str | None,
) -> Coding:
    """The domain object for a stored coding; ``text`` is its transcript's whole text."""
    return Coding(
        id=row.id,
        transcript_id=row.transcript_id,
        participant=participant,
        code=code,
        level=level,
        coder=coder,
        start=row.start_offset,
        end=row.end_offset,
        text=text[row.start_offset : row.end_offset],
        memo=row.memo,
        created_at=utc(row.created_at),
        modified_at=utc(row.modified_at),
    )


def check_sibling_name(
    index: CodeIndex, parent_id: int | None, level: int, name: str, exclude: int | None = None
) -> None:
    for row in index.rows.values():
        if (
            row.parent_id == parent_id
            and row.level == level
            and row.id != exclude
            and row.name.casefold() == name.casefold()
        ):
            raise ConflictError(f"there is already a code {format_path(index.paths[row.id])!r}")
