"""Full-text search over turns, results in context, and coding every result at once.

What a user types is read as words, never as query syntax: ``"..."`` keeps words together as a
phrase, a word ending in ``*`` is a prefix, and every word or phrase must be in the turn. A
chunk that is several words (``co-operate``, ``don't``, ``3.5``, ``www.nhs.uk``) is a phrase of
them. Words are split and folded by :mod:`thematica.words`, the same code that indexes the
turns: the index (:mod:`thematica.storage.search_index`) finds candidate turns, the words are
then located in each turn's text here (phrases confirmed), so every hit carries code-point
offsets into its transcript, the same on SQLite and PostgreSQL.

Who asks matters: a member who sees anonymised text only gets no hit in a transcript that has
not been anonymised, and a code filter honours blind coding (only codings the member may see).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from thematica.domain import (
    SEARCH_SCOPES,
    AnonymisationState,
    CodePath,
    Level,
    MemberRole,
    SpeakerRole,
    format_path,
)
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import audit, blind_rule
from thematica.service import codebook as cb
from thematica.service.coding_lookup import code_path
from thematica.storage import search_index
from thematica.storage.models import (
    AttributeDefRow,
    CodingRow,
    ParticipantRow,
    ParticipantValueRow,
    TeamMemberRow,
    TranscriptRow,
    TurnRow,
)
from thematica.words import Words

CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
MAX_QUERY = 500
MAX_TERMS = 20
MAX_HITS = 1000
CONTEXT = 70
SCOPES = SEARCH_SCOPES


def parse(query: str) -> tuple[search_index.Term, ...]:
    """The user's words as terms: ``pain "low mood" manag*``."""
    if len(query) > MAX_QUERY:
        raise ThematicaError(f"a search is at most {MAX_QUERY} characters")
    terms: list[search_index.Term] = []
    for match in CHUNK.finditer(query):
        chunk = match.group(1) if match.group(1) is not None else match.group(2)
        words = tuple(w.folded for w in Words()(chunk))
        if words and search_index.Term(words) not in terms:
            terms.append(search_index.Term(words, prefix=chunk.rstrip().endswith("*")))
    if not terms:
        raise ThematicaError("type a word to search for")
    if len(terms) > MAX_TERMS:
        raise ThematicaError(f"a search has at most {MAX_TERMS} words or phrases")
    return tuple(terms)


def describe(term: search_index.Term) -> str:
    text = " ".join(term.words) + ("*" if term.prefix else "")
    return f'"{text}"' if len(term.words) > 1 else text


@dataclass(frozen=True)
class Piece:
    """A stretch of a hit's context; ``match``: it is one of the words searched for."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class Hit:
    """A turn holding every term. ``matches``: where the words are (code points in the
    transcript, end exclusive); ``context``: the words with some text around them."""

    transcript_id: int
    participant: str | None
    turn: int
    speaker: str
    role: SpeakerRole
    turn_start: int
    turn_end: int
    matches: tuple[tuple[int, int], ...]
    context: tuple[Piece, ...]


@dataclass(frozen=True)
class SearchFilter:
    """``attribute``/``value``: participants whose attribute has this value (case-insensitive;
    ``group`` is the participant's group); ``code``: turns overlapping a coding with this code
    (or a code under it); ``role``: only turns of participants or of interviewers."""

    attribute: str | None = None
    value: str | None = None
    code: int | None = None
    role: SpeakerRole | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    matches: int
    transcripts: int
    truncated: bool


def _located(
    text: str, start: int, terms: Sequence[search_index.Term], split: Words
) -> list[tuple[int, int]] | None:
    """Every place each term occurs in ``text`` (offsets from ``start``); ``None`` when a term
    is missing (the index has every word, but a phrase's words may not be in order)."""
    tokens = split(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        n, found = len(term.words), False
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            same = all(w == t[2] for w, t in zip(term.words[:-1], window, strict=False))
            last = window[-1][2]
            if same and (
                last.startswith(term.words[-1]) if term.prefix else last == term.words[-1]
            ):
                spans.append((start + window[0][0], start + window[-1][1]))
                found = True
        if not found:
            return None
    merged: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _context(text: str, start: int, spans: Sequence[tuple[int, int]]) -> tuple[Piece, ...]:
    """The matched words with up to :data:`CONTEXT` characters around each, cut at spaces."""
    pieces: list[Piece] = []
    cursor = 0  # in turn-local offsets
    for n, (s, e) in enumerate(spans):
        s, e = s - start, e - start
        lo = max(cursor, s - CONTEXT)
        if lo > cursor:
            space = text.find(" ", lo, s)
            lo = space + 1 if space != -1 else lo
            pieces.append(Piece("… "))
        pieces.append(Piece(text[lo:s]))
        pieces.append(Piece(text[s:e], match=True))
        nxt = spans[n + 1][0] - start if n + 1 < len(spans) else len(text)
        hi = min(nxt, e + CONTEXT)
        if hi < nxt:
            space = text.rfind(" ", e, hi)
            hi = space if space != -1 else hi
        pieces.append(Piece(text[e:hi]))
        cursor = hi
    if cursor < len(text):
        pieces.append(Piece(" …"))
    return tuple(p for p in pieces if p.text)


def _viewer(session: Session, name: str | None) -> TeamMemberRow | None:
    if name is None:
        return None
    row = session.get(TeamMemberRow, cb.member_id(session, name))
    assert row is not None
    return row


def search(session: Session, query: str, wanted: SearchFilter, viewer: str | None) -> SearchResults:
    terms = parse(query)
    member = _viewer(session, viewer)
    q = (
        select(
            TurnRow.transcript_id,
            TurnRow.position,
            TurnRow.speaker,
            TurnRow.role,
            TurnRow.start_offset,
            TurnRow.end_offset,
            ParticipantRow.label,
            func.substr(  # the turn's text only, not whole transcripts (code points, 1-based)
                TranscriptRow.text,
                TurnRow.start_offset + 1,
                TurnRow.end_offset - TurnRow.start_offset,
            ),
        )
        .join(TranscriptRow, TranscriptRow.id == TurnRow.transcript_id)
        .outerjoin(ParticipantRow, ParticipantRow.id == TranscriptRow.participant_id)
        .where(search_index.matching(session, terms))
    )
    if member is not None and (member.anonymised_only or member.role == MemberRole.READER.value):
        q = q.where(TranscriptRow.anonymisation == AnonymisationState.ANONYMISED.value)
    if wanted.role is not None:
        q = q.where(TurnRow.role == wanted.role.value)
    chosen = _by_attribute(session, wanted)
    if chosen is not None:
        q = q.where(chosen)
    if wanted.code is not None:
        q = q.where(_coded(session, wanted.code, member))
    hits: list[Hit] = []
    truncated = False
    # the index may offer turns whose phrase words are not in order (PostgreSQL's index has no
    # positions): read candidates in order, a page at a time, until there are enough hits
    q = q.order_by(TurnRow.transcript_id, TurnRow.position).limit(MAX_HITS + 1)
    split = Words()
    page = session.execute(q).all()
    while page and not truncated:
        for tid, position, speaker, role, start, end, label, turn_text in page:
            spans = _located(turn_text, start, terms, split)
            if not spans:
                continue
            if len(hits) == MAX_HITS:
                truncated = True
                break
            context = _context(turn_text, start, spans)
            hits.append(
                Hit(
                    tid,
                    label,
                    position,
                    speaker,
                    SpeakerRole(role),
                    start,
                    end,
                    tuple(spans),
                    context,
                )
            )
        last = page[-1]
        after = tuple_(TurnRow.transcript_id, TurnRow.position) > tuple_(last[0], last[1])
        page = session.execute(q.where(after)).all() if len(page) > MAX_HITS else []
    return SearchResults(
        query=query,
        terms=tuple(describe(t) for t in terms),
        hits=tuple(hits),
        matches=sum(len(h.matches) for h in hits),
        transcripts=len({h.transcript_id for h in hits}),
        truncated=truncated,
    )


def _by_attribute(session: Session, wanted: SearchFilter) -> ColumnElement[bool] | None:
    if not wanted.attribute:
        if wanted.value:
            raise ThematicaError("say which attribute the value is of")
        return None
    if wanted.value is None or not wanted.value.strip():
        raise ThematicaError(f"give a value of {wanted.attribute!r} to filter by")
    name, value = wanted.attribute.strip(), wanted.value.strip().casefold()
    if name.casefold() == "group":
        groups = select(ParticipantRow.id).where(func.lower(ParticipantRow.group_name) == value)
        return TranscriptRow.participant_id.in_(groups)
    attribute = session.scalar(
        select(AttributeDefRow.id).where(func.lower(AttributeDefRow.name) == name.casefold())
    )
    if attribute is None:
        known = ", ".join(["group", *session.scalars(select(AttributeDefRow.name))])
        raise NotFoundError(f"no participant attribute {name!r} (there are: {known})")
    having = select(ParticipantValueRow.participant_id).where(
        ParticipantValueRow.attribute_id == attribute,
        func.lower(ParticipantValueRow.value) == value,
    )
    return TranscriptRow.participant_id.in_(having)


def _coded(session: Session, code: int, member: TeamMemberRow | None) -> ColumnElement[bool]:
    index = cb.CodeIndex.load(session)
    if code not in index.rows:
        raise NotFoundError(f"no code {code}")
    codes = {code} | index.descendants(code)
    codings = select(CodingRow.id).where(
        CodingRow.code_id.in_(codes),
        CodingRow.transcript_id == TurnRow.transcript_id,
        CodingRow.start_offset < TurnRow.end_offset,
        CodingRow.end_offset > TurnRow.start_offset,
    )
    if member is not None:
        hidden = blind_rule.hidden_codings(session, member.id)
        if hidden is not None:
            codings = codings.where(~hidden)
    return codings.exists()


# -- coding every result -----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeAllPlan:
    """What coding every result would do (``dry_run``) or did: ``new`` codings made, ``already``
    spans the member had coded with this code before (left as they are)."""

    code: CodePath
    code_exists: bool
    scope: str
    new: int
    already: int
    coding_ids: tuple[int, ...] = ()


def code_results(
    session: Session,
    query: str,
    wanted: SearchFilter,
    code: CodePath,
    by: str,
    *,
    scope: str = "match",
    create_code: bool = False,
    expected: int | None = None,
    dry_run: bool = False,
) -> CodeAllPlan:
    """Code every hit (its matched words, or with ``scope="turn"`` its whole turn) with a
    level-one code, as ``by``; all or nothing. ``expected``: the number of new codings the
    member confirmed; if the results changed since, nothing is coded (ConflictError)."""
    if scope not in SCOPES:
        raise ThematicaError(
            f"code the matched words ('match') or whole turns ('turn'), not {scope!r}"
        )
    if not code or any(not part or len(part) > 300 for part in code):
        raise ThematicaError("a code needs a name of 1 to 300 characters")
    member = _viewer(session, by)
    assert member is not None
    if member.role == MemberRole.READER.value:
        raise AccessDenied(f"{member.name} is a reader and cannot code")
    results = search(session, query, wanted, member.name)
    if results.truncated:
        raise ThematicaError(
            f"more than {MAX_HITS} turns match; narrow the search before coding every result"
        )
    if not results.hits:
        raise ThematicaError("no results to code")
    spans = sorted(
        {
            (h.transcript_id, s, e)
            for h in results.hits
            for s, e in (h.matches if scope == "match" else [(h.turn_start, h.turn_end)])
            if s < e
        }
    )
    index = cb.CodeIndex.load(session)
    code_id = index.find(code, Level.ONE)
    if code_id is None and not create_code:
        index.get(code, Level.ONE)  # the clear "no such code" message
    existing: set[tuple[int, int, int]] = set()
    if code_id is not None:
        rows = session.execute(
            select(CodingRow.transcript_id, CodingRow.start_offset, CodingRow.end_offset).where(
                CodingRow.code_id == code_id, CodingRow.coder_id == member.id
            )
        )
        existing = {(tid, s, e) for tid, s, e in rows}
    todo = [s for s in spans if s not in existing]
    path = code_path(session, code_id)[0] if code_id is not None else code
    if expected is not None and expected != len(todo):
        raise ConflictError(
            f"the results changed since you confirmed: {len(todo)} codings would be made now, "
            f"not {expected}; check them again"
        )
    if dry_run:
        return CodeAllPlan(path, code_id is not None, scope, len(todo), len(spans) - len(todo))
    if not todo:
        raise ThematicaError(
            f"every result is already coded {format_path(path)!r} by {member.name}"
        )
    created = code_id is None
    if code_id is None:
        code_id, _ = cb.ensure_code(session, index, code, Level.ONE)
        path = code_path(session, code_id)[0]
    ids = tuple(cb.add_coding(session, tid, code_id, member.id, s, e, None) for tid, s, e in todo)
    audit.record(  # never the query: its words may be names
        session,
        actor=member.name,
        action="coding.code-all",
        target=f"code {code_id}",
        details={
            "code_id": code_id,
            "code_created": created,
            "scope": scope,
            "codings": len(ids),
            "coding_ids": audit.ids(ids),
            "transcript_ids": sorted({tid for tid, _, _ in todo}),
            "already": len(spans) - len(ids),
        },
    )
    return CodeAllPlan(path, True, scope, len(ids), len(spans) - len(ids), ids)


__all__ = [
    "SCOPES",
    "CodeAllPlan",
    "Hit",
    "Piece",
    "SearchFilter",
    "SearchResults",
    "code_results",
    "parse",
    "search",
]
