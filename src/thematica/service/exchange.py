"""A study as a tool-neutral :class:`XProject` and back (REFI-QDA reading/writing is elsewhere).

GUIDs are derived from the study (uuid5 of its creation time and each object's kind and id), so
exporting the same study twice gives the same file. Theme nodes travel as non-codable codes
marked ``theme``; the codes supporting a node, and those marking divergent cases, travel as sets
named ``Theme codes: <path>`` and ``Divergent: <path>``; interlinks as links between them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections import defaultdict
from dataclasses import replace
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from thematica.analysis.source_units import SourceUnits
from thematica.collector import collector_paused
from thematica.domain import (
    Approach,
    AttributeType,
    GuideQuestion,
    Level,
    MemberRole,
    SpeakerRole,
    Stance,
    word_count,
)
from thematica.errors import ThematicaError
from thematica.exchange.guids import Uuid5, uuid5
from thematica.exchange.model import (
    XCase,
    XCode,
    XCoding,
    XLink,
    XProject,
    XSet,
    XSource,
    XTurn,
    XUser,
    XVariable,
)
from thematica.service import register as reg
from thematica.service.codebook import CodeIndex, NodeIndex
from thematica.service.exchange_notes import ImportIds, notes_from_project, notes_to_project
from thematica.service.exchange_rows import RowWriter
from thematica.service.values import encode
from thematica.storage.models import (
    AttributeDefRow,
    CodeOriginRow,
    CodeRow,
    CodingRow,
    NodeCodeRow,
    NodeLinkRow,
    ParticipantRow,
    ParticipantValueRow,
    StudyRow,
    TeamMemberRow,
    ThemeNodeRow,
    TranscriptRow,
    TurnRow,
)

__all__ = ["ImportIds", "from_project", "to_project"]

STUDY_EXTRAS = "thematica:"
THEME_SET = "Theme codes: "
DIVERGENT_SET = "Divergent: "
SEPARATOR = " > "
_TRANSCRIPTS = cast(Table, TranscriptRow.__table__)  # a Core insert: no ORM work


def _guid(seed: str, kind: str, ident: object) -> str:
    return uuid5(uuid.NAMESPACE_URL, f"thematica:{seed}:{kind}:{ident}")


class _Guids:
    """``_guid(seed, kind, ident)`` for one study, with the hash of each kind's prefix made once
    and each guid remembered (a code's or a coder's guid is asked for once per coding)."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self._makers: dict[str, Uuid5] = {}
        self._known: dict[tuple[str, object], str] = {}

    def maker(self, kind: str) -> Uuid5:
        """The guids of ``kind``, by ``str(ident)``, not remembered (a coding's is asked once)."""
        found = self._makers.get(kind)
        if found is None:
            found = self._makers[kind] = Uuid5(uuid.NAMESPACE_URL, f"thematica:{self.seed}:{kind}:")
        return found

    def __call__(self, kind: str, ident: object) -> str:
        key = (kind, ident)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self.maker(kind)(f"{ident}")
        return found


@collector_paused()  # the large study: 250,000 codings, 130,000 turns
def to_project(session: Session, journal: bool = False, codebook_only: bool = False) -> XProject:
    """The study as an :class:`XProject`: memos always, journal entries only with ``journal``.
    With ``codebook_only``, its codes, theme nodes and sets alone (what a .qdc holds): no
    sources, codings, cases, notes or links are read, so a codebook export does not read the
    study's text (issue 15: 16 s on the large study, for a few kilobytes)."""
    study = session.get(StudyRow, 1)
    assert study is not None
    g = _Guids(study.created_at.isoformat())

    users = tuple(
        XUser(g("user", m.id), m.name)
        for m in session.scalars(select(TeamMemberRow).order_by(TeamMemberRow.id))
    )
    index = CodeIndex.load(session)
    origins: dict[int, list[str]] = defaultdict(list)
    for code_id, origin_id in session.execute(
        select(CodeOriginRow.code_id, CodeOriginRow.origin_id)
    ).all():
        origins[code_id].append(g("code", origin_id))
    codes = [
        XCode(
            g("code", c.id),
            c.name,
            g("code", c.parent_id) if c.parent_id else None,
            c.description,
            c.colour,
            True,
            c.level,
            False,
            tuple(origins.get(c.id, ())),
        )
        for c in sorted(index.rows.values(), key=lambda r: (r.level, index.paths[r.id]))
    ]
    nodes = NodeIndex.load(session)
    codes += [
        XCode(
            g("node", n.id),
            n.name,
            g("node", n.parent_id) if n.parent_id else None,
            n.description,
            None,
            False,
            2,
            True,
        )
        for n in sorted(nodes.rows.values(), key=lambda r: (len(nodes.paths[r.id]), r.position))
    ]
    assigned: dict[tuple[int, str], list[str]] = defaultdict(list)
    for node_id, code_id, stance in session.execute(
        select(NodeCodeRow.node_id, NodeCodeRow.code_id, NodeCodeRow.stance)
    ).all():
        assigned[(node_id, stance)].append(g("code", code_id))
    sets = tuple(
        XSet(
            g(f"set-{stance}", node_id),
            (THEME_SET if stance == Stance.SUPPORTS.value else DIVERGENT_SET)
            + SEPARATOR.join(nodes.paths[node_id]),
            tuple(sorted(members)),
        )
        for (node_id, stance), members in sorted(assigned.items())
    )
    links = tuple(
        XLink(
            g("link", r.id), r.label, g("node", r.from_node_id), g("node", r.to_node_id), "OneWay"
        )
        for r in session.scalars(select(NodeLinkRow).order_by(NodeLinkRow.id))
    )
    defs = reg.attribute_defs(session)
    variables = (
        XVariable(g("variable", "group"), "group", AttributeType.TEXT),
        *(XVariable(g("variable", d.name), d.name, d.type) for d in defs),
    )
    guide = [[q.text, list(q.prompts)] for q in reg.guide(session)]
    extras = json.dumps(
        {"approach": study.approach, "guide": guide}, ensure_ascii=False, separators=(",", ":")
    )
    description = f"{study.research_question}\n{STUDY_EXTRAS}{extras}"
    codebook = XProject(
        study.title, "Thematica", users, tuple(codes), variables, sets=sets, description=description
    )
    if codebook_only:
        return codebook
    sources, sources_of = _sources(session, g)
    people = {p.label: p for p in reg.participants(session)}
    cases = tuple(
        XCase(
            g("case", r.id),
            r.label,
            r.group_name,
            {k: v for k, v in people[r.label].attributes.items() if v is not None},
            tuple(sources_of[r.id]),
        )
        for r in session.scalars(select(ParticipantRow).order_by(ParticipantRow.position))
    )
    return replace(
        codebook,
        cases=cases,
        sources=tuple(sources),
        notes=notes_to_project(session, g, journal),
        links=links,
    )


def _sources(session: Session, g: _Guids) -> tuple[list[XSource], dict[int, list[str]]]:
    """The transcripts as sources, and each participant's source guids. Read as plain rows
    (no ORM instances: the large study has 250,000 codings)."""
    coding_guid = g.maker("coding")
    codings_of: dict[int, list[XCoding]] = defaultdict(list)
    for cid, tid, start, end, code_id, coder_id, created, memo in session.execute(
        select(
            CodingRow.id,
            CodingRow.transcript_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
            CodingRow.code_id,
            CodingRow.coder_id,
            CodingRow.created_at,
            CodingRow.memo,
        ).order_by(CodingRow.id)
    ):
        codings_of[tid].append(
            XCoding(
                coding_guid(f"{cid}"),
                start,
                end,
                g("code", code_id),
                g("user", coder_id),
                created,
                memo,
            )
        )
    turns_of: dict[int, list[XTurn]] = defaultdict(list)
    for tid, speaker, role, start, end, start_ms, end_ms in session.execute(
        select(
            TurnRow.transcript_id,
            TurnRow.speaker,
            TurnRow.role,
            TurnRow.start_offset,
            TurnRow.end_offset,
            TurnRow.start_ms,
            TurnRow.end_ms,
        ).order_by(TurnRow.transcript_id, TurnRow.position)
    ):
        turns_of[tid].append(XTurn(speaker, role, start, end, start_ms, end_ms))
    sources_of: dict[int, list[str]] = defaultdict(list)
    sources = []
    for tid, name, text, interview_date, participant_id in session.execute(
        select(
            TranscriptRow.id,
            TranscriptRow.source_name,
            TranscriptRow.text,
            TranscriptRow.interview_date,
            TranscriptRow.participant_id,
        ).order_by(TranscriptRow.id)
    ):
        guid = g("source", tid)
        sources.append(
            XSource(
                guid,
                name,
                text,
                tuple(codings_of.pop(tid, ())),
                tuple(turns_of.pop(tid, ())),
                interview_date,
            )
        )
        if participant_id is not None:
            sources_of[participant_id].append(guid)
    return sources, sources_of


def _study_description(description: str) -> tuple[str, str | None, list[GuideQuestion]]:
    """(research question, approach, guide) from a project Description Thematica wrote; other
    tools' descriptions become the research question text as they are."""
    text, _, last = description.rpartition("\n")
    if not last.startswith(STUDY_EXTRAS):
        return description.strip(), None, []
    try:
        extras = json.loads(last[len(STUDY_EXTRAS) :])
        guide = [
            GuideQuestion(str(q), tuple(str(p) for p in prompts))
            for q, prompts in extras.get("guide", [])
        ]
        approach = extras.get("approach")
        return text.strip(), approach if isinstance(approach, str) else None, guide
    except (ValueError, TypeError, AttributeError):
        return description.strip(), None, []


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... if already taken (case-insensitively)."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate.casefold())
    return candidate


def _typed(value: object, kind: AttributeType, case: str, variable: str) -> object:
    """A case's variable value as its declared type, or a clear error naming both."""
    from thematica.importers.register import EXPECTED, PARSERS

    ok = {
        AttributeType.TEXT: isinstance(value, str),
        AttributeType.INTEGER: isinstance(value, int) and not isinstance(value, bool),
        AttributeType.FLOAT: isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value)),
        AttributeType.BOOLEAN: isinstance(value, bool),
        AttributeType.DATE: isinstance(value, dt.date),
    }[kind]
    if ok:
        return value
    try:
        converted = PARSERS[kind](str(value))
    except (ValueError, OverflowError):
        converted = None
    if converted is None or (kind is AttributeType.FLOAT and not math.isfinite(float(converted))):  # type: ignore[arg-type]
        raise ThematicaError(
            f"case {case!r}: variable {variable!r}: {value!r} is not {EXPECTED[kind]}"
        )
    return converted


def _split_turns(text: str) -> tuple[XTurn, ...]:
    """A text from another tool: one unnamed turn per paragraph, tiling the text exactly."""
    turns, pos = [], 0
    for piece in text.split("\n\n"):
        turns.append(XTurn("", SpeakerRole.PARTICIPANT.value, pos, pos + len(piece)))
        pos += len(piece) + 2
    return tuple(turns)


@collector_paused()
def from_project(
    session: Session, project: XProject, ids: ImportIds | None = None, journal: bool = False
) -> dict[str, int]:
    """Fill an empty study (the caller's transaction) from ``project``; ``ids`` receives what
    each guid became. Notes become memos; journal entries (and free notes) only with
    ``journal``."""
    ids = ids if ids is not None else ImportIds()
    now = dt.datetime.now(dt.UTC)
    question, approach, guide = _study_description(project.description)
    study_row = session.get(StudyRow, 1)
    assert study_row is not None
    study_row.research_question = question
    if approach in {a.value for a in Approach}:
        study_row.approach = approach
    if guide:
        reg.replace_guide(session, guide)
    member = ids.members
    names_taken: set[str] = set()
    # REFI-QDA has no roles: the first user leads, users who coded are coders, and everyone else
    # is a reader, the safe default (readers only ever see anonymised text).
    coders = {c.user for s in project.sources for c in s.codings}
    for i, user in enumerate(project.users):
        # one team member per REFI user, keyed by guid: two users both called "Ann" stay two
        # people (the second becomes "Ann (2)"), so their codings never merge
        name = _unique((" ".join(user.name.split()) or f"Coder {i + 1}")[:190], names_taken)
        role = (
            MemberRole.LEAD
            if i == 0
            else MemberRole.CODER
            if user.guid in coders
            else MemberRole.READER
        )
        row = TeamMemberRow(name=name, role=role.value, anonymised_only=role is MemberRole.READER)
        session.add(row)
        session.flush()
        member[user.guid] = row.id
    code_ids = ids.codes
    node_ids = ids.nodes
    by_guid = {c.guid: c for c in project.codes}
    ordered: list[XCode] = []
    placed: set[str] = set()

    def place(code: XCode, depth: int = 0) -> None:
        if code.guid in placed or depth > len(project.codes):
            return
        if code.parent and code.parent in by_guid:
            place(by_guid[code.parent], depth + 1)
        placed.add(code.guid)
        ordered.append(code)

    for code in project.codes:
        place(code)
    positions: dict[int | None, int] = defaultdict(int)
    for code in ordered:
        if code.theme:
            parent = node_ids.get(code.parent or "")
            node_row = ThemeNodeRow(
                parent_id=parent,
                name=(code.name.strip() or "Theme")[:300],
                description=code.description,
                position=positions[parent],
                created_at=now,
            )
            positions[parent] += 1
            session.add(node_row)
            session.flush()
            node_ids[code.guid] = node_row.id
        else:
            crow = CodeRow(
                parent_id=code_ids.get(code.parent or ""),
                name=(code.name.strip() or "Unnamed code")[:300],
                description=code.description,
                colour=code.colour,
                level=int(Level(code.level if code.level in (1, 2) else 1)),
                created_at=now,
            )
            session.add(crow)
            session.flush()
            code_ids[code.guid] = crow.id
    origin_pairs = {
        (code_ids[code.guid], code_ids[o])
        for code in project.codes
        if code.guid in code_ids
        for o in code.origins
        if o in code_ids and o != code.guid
    }
    for code_id, origin_id in sorted(origin_pairs):
        session.add(CodeOriginRow(code_id=code_id, origin_id=origin_id))
    assigned: set[tuple[int, int]] = set()
    for s in project.sets:
        for prefix, stance in ((THEME_SET, Stance.SUPPORTS), (DIVERGENT_SET, Stance.DIVERGENT)):
            if s.name.startswith(prefix):
                node_path = s.name[len(prefix) :]
                node = next(
                    (
                        nid
                        for guid, nid in node_ids.items()
                        if _node_path(project, by_guid, guid) == node_path
                    ),
                    None,
                )
                for code_guid in s.codes:
                    if (
                        node is not None
                        and code_guid in code_ids
                        and (node, code_ids[code_guid]) not in assigned
                    ):
                        assigned.add((node, code_ids[code_guid]))  # a code is on a node once
                        session.add(
                            NodeCodeRow(
                                node_id=node, code_id=code_ids[code_guid], stance=stance.value
                            )
                        )
    linked: set[tuple[int, int, str]] = set()
    for link in project.links:
        key = (
            node_ids.get(link.origin, -1),
            node_ids.get(link.target, -1),
            (link.name or "linked to")[:300],
        )
        if (
            link.origin in node_ids
            and link.target in node_ids
            and link.origin != link.target
            and key not in linked
        ):
            linked.add(key)
            session.add(
                NodeLinkRow(
                    from_node_id=node_ids[link.origin],
                    to_node_id=node_ids[link.target],
                    label=key[2],
                    created_at=now,
                )
            )
    kinds = {v.name: v.type for v in project.variables if v.name != "group"}
    for position, (name, kind) in enumerate(kinds.items(), start=1):
        session.add(AttributeDefRow(name=name, type=kind.value, position=position))
    session.flush()
    def_ids = {r.name: r.id for r in session.scalars(select(AttributeDefRow))}
    participant_of_source: dict[str, int] = {}
    labels_taken: set[str] = set()
    for position, case in enumerate(project.cases, start=1):
        # MAXQDA and Quirkos name cases after their sources, which may repeat: keep them apart
        label = _unique((" ".join(case.name.split()) or f"Case {position}")[:190], labels_taken)
        prow = ParticipantRow(
            label=label,
            group_name=(case.group or str(case.values.get("group", "") or "") or "Participants")[
                :200
            ],
            position=position,
        )
        session.add(prow)
        session.flush()
        for name, value in case.values.items():
            if name in def_ids and value is not None:
                session.add(
                    ParticipantValueRow(
                        participant_id=prow.id,
                        attribute_id=def_ids[name],
                        value=encode(_typed(value, kinds[name], label, name), kinds[name]),  # type: ignore[arg-type]
                    )
                )
        for source_guid in case.sources:
            participant_of_source[source_guid] = prow.id
    unknown_coder: int | None = None
    empty = 0
    seen_hashes: set[str] = set()
    rows = RowWriter(session.connection())
    for source in project.sources:
        turns = source.turns or _split_turns(source.text)
        digest = uuid5(uuid.NAMESPACE_URL, source.guid).replace("-", "")
        if digest in seen_hashes:
            raise ThematicaError(f"source {source.name!r} appears twice")
        seen_hashes.add(digest)
        tid = session.execute(
            insert(_TRANSCRIPTS).returning(_TRANSCRIPTS.c.id),
            {
                "participant_id": participant_of_source.get(source.guid),
                "source_name": source.name or source.guid,
                "source_sha256": "refi:" + digest,
                "source_format": "refi-qda",
                "interview_date": source.interview_date,
                "duration_ms": max((t.end_ms for t in turns if t.end_ms is not None), default=None),
                "interviewer": next(
                    (t.speaker for t in turns if t.role == SpeakerRole.INTERVIEWER.value), None
                ),
                "text": source.text,
                "word_count": word_count(source.text),
                "imported_at": now,
                "source_units": (
                    SourceUnits(project.offset_unit, *source.source_units).to_json()
                    if source.source_units
                    else None
                ),
            },
        ).scalar_one()
        ids.transcripts[source.guid] = tid
        for i, t in enumerate(turns):
            rows.turn(tid, i, t)
        for c in source.codings:
            if c.code not in code_ids:
                raise ThematicaError(
                    f"source {source.name!r}: a coding refers to an unknown code {c.code}"
                )
            if c.start == c.end:
                empty += (
                    1  # an empty selection (or one that was only a CR of a CRLF): nothing to keep
                )
                continue
            if not 0 <= c.start < c.end <= len(source.text):
                raise ThematicaError(
                    f"source {source.name!r}: a coding {c.start}-{c.end} is outside the text"
                )
            coder = member.get(c.user or "")
            if coder is None:
                if unknown_coder is None:
                    coder_row = TeamMemberRow(
                        name=_unique("Unknown coder", names_taken), role=MemberRole.CODER.value
                    )
                    session.add(coder_row)
                    session.flush()
                    unknown_coder = coder_row.id
                coder = unknown_coder
            created = c.created or now
            rows.coding(tid, code_ids[c.code], coder, c.start, c.end, c.memo, created)
    rows.flush()
    session.flush()
    noted = notes_from_project(session, project, ids, journal)
    return {
        **noted,
        "sources": len(project.sources),
        "codes": len(code_ids),
        "themes": len(node_ids),
        "codings": sum(len(s.codings) for s in project.sources) - empty,
        "empty_selections_skipped": empty,
        "cases": len(project.cases),
    }


def _node_path(project: XProject, by_guid: dict[str, XCode], guid: str) -> str:
    chain: list[str] = []
    current: str | None = guid
    while current and current in by_guid and len(chain) <= len(project.codes):
        chain.append(by_guid[current].name)
        current = by_guid[current].parent
    return SEPARATOR.join(reversed(chain))
