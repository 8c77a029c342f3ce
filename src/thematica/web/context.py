"""What each page shows, built once from the service: the HTML page renders it, and the page's
JSON twin returns it as it is. So the two can never disagree."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from thematica.domain import (
    Actor,
    CheckingState,
    Coding,
    Level,
    MemberRole,
    Scope,
    SpeakerRole,
    TranscriptSummary,
    format_path,
)
from thematica.service.acting import MemberStudy
from thematica.web import code_tree, coding_marks, recruitment_context

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
)


class May:
    """What a member may do, as the service's :class:`MemberStudy` says (never re-derived from
    the role here): templates show a control only when its flag is set. ``code``: change the
    analysis (codings, memos, codes, themes); ``lead``: the lead's pages and actions;
    ``originals``: see original (not anonymised) text."""

    __slots__ = ("code", "lead", "originals")

    def __init__(self, code: bool, lead: bool, originals: bool) -> None:
        self.code = code
        self.lead = lead
        self.originals = originals

    @classmethod
    def of(cls, study: MemberStudy) -> May:
        return cls(study.can_code, study.is_lead, study.sees_originals)


NOTHING = May(code=False, lead=False, originals=False)


class Member:
    """Who a page is for, as its templates show them (the rules are the service's: see
    :class:`~thematica.service.acting.MemberStudy`). The role is a :class:`MemberRole`, given
    as one or by its value. ``may`` is what they may do, from the service (:class:`May`);
    a member built without it may do nothing, so no control shows by mistake."""

    __slots__ = ("anonymised_only", "may", "name", "role")

    def __init__(
        self,
        name: str,
        role: MemberRole | str,
        anonymised_only: bool,
        may: May = NOTHING,
    ) -> None:
        self.name = name
        self.role = MemberRole(role)
        self.anonymised_only = anonymised_only
        self.may = may

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Member) and (self.name, self.role, self.anonymised_only) == (
            other.name,
            other.role,
            other.anonymised_only,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.role, self.anonymised_only))

    @property
    def scope(self) -> Scope:
        return Scope.ANONYMISED if self.anonymised_only else Scope.ALL

    @classmethod
    def of(cls, actor: Actor, may: May = NOTHING) -> Member:
        return cls(actor.name, actor.role, actor.scope is Scope.ANONYMISED, may)

    @classmethod
    def acting(cls, study: MemberStudy) -> Member:
        """The member ``study`` is bound to, with what the service says they may do."""
        return cls.of(study.actor, May.of(study))


def overview(study: MemberStudy) -> dict[str, Any]:
    """The study at a glance. For a member who sees anonymised text only, a transcript not yet
    anonymised is listed without its file name (which may hold a name) and cannot be opened;
    a blind coder's progress counts only the codings they may see."""
    info = study.info()
    transcripts = study.transcripts()
    readable = study.readable_transcripts()
    restricted = readable is not None
    anonymised = readable or set()
    progress: dict[int, Counter[str]] = defaultdict(Counter)
    for coding in study.codings(level=Level.ONE):
        progress[coding.transcript_id][coding.coder] += 1
    coders = [m.name for m in info.team if m.role in (MemberRole.LEAD, MemberRole.CODER)]
    defs = study.attribute_defs()
    return {
        "study": {
            "title": info.title,
            "question": info.research_question,
            "approach": info.approach.value,
            "participants": info.participants,
            "transcripts": info.transcripts,
            "words": info.words,
        },
        "team": [{"name": m.name, "role": m.role.value} for m in info.team],
        "attributes": [d.name for d in defs],
        "participants": [
            {
                "label": p.label,
                "group": p.group,
                "attributes": {d.name: _value(p.attributes.get(d.name)) for d in defs},
            }
            for p in study.participants()
        ],
        "coders": coders,
        "transcripts": [
            {
                "id": t.id,
                "participant": t.participant,
                "file": t.source_name,
                "open": not restricted or t.id in anonymised,
                "date": t.interview_date.isoformat() if t.interview_date else None,
                "words": t.words,
                "codings": {c: progress[t.id][c] for c in coders},
                "checking": checking_json(t),
            }
            for t in transcripts
        ],
        "checked": {
            "checked": sum(1 for t in transcripts if t.checking is CheckingState.CHECKED),
            "total": len(transcripts),
        },
        "guide": [{"text": q.text, "prompts": list(q.prompts)} for q in study.guide()],
        "activity": [
            {"at": e.at.strftime("%Y-%m-%d %H:%M"), "actor": e.actor, "summary": e.summary}
            for e in reversed(study.lineage()[-8:])
        ],
        "stopping": recruitment_context.stopping(study),  # issue 18: may recruitment stop?
        "downloads": {"qdpx": "/study.qdpx"} if study.can_export_study() else {},
    }


def checking_json(t: TranscriptSummary) -> dict[str, Any]:
    """A transcript's checking against the recording: state, who set it, when (UTC)."""
    return {
        "id": t.id,
        "state": t.checking.value,
        "by": t.checked_by,
        "at": t.checked_at.isoformat() if t.checked_at else None,
    }


def _value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, int | float) else str(value)


def speaker_label(role: SpeakerRole, participant: str | None) -> str:
    """How the workbench names a speaker: by participant label or role, never by the name in
    the transcript file (often a real name)."""
    if role is SpeakerRole.PARTICIPANT:
        return participant or "Participant"
    return "Interviewer" if role is SpeakerRole.INTERVIEWER else "Other speaker"


def transcript(study: MemberStudy, ref: str) -> dict[str, Any]:
    t = study.transcript(ref)
    codes = study.codes(Level.ONE, counted=False)
    codings, agreed = _layers(study, t.id)
    here = Counter(c.code for c in codings)
    blind = study.blind_coding()
    revealed = study.revealed(str(t.id))
    summary = study.transcript_summary(str(t.id))
    view = _coding_view(study, t, codes, codings, agreed)
    listed = [
        {"path": format_path(c.path), "colour": view["colour"][c.path], "codings": here[c.path]}
        for c in codes
    ]
    return {
        "transcript": {
            "id": t.id,
            "participant": t.participant,
            "file": t.source_name,
            "date": t.interview_date.isoformat() if t.interview_date else None,
            "length": len(t.text),
        },
        "member": study.name,
        "blind": blind and not revealed,
        "can_reveal": blind and not revealed and study.is_lead,
        "checking": checking_json(summary),
        "can_check": study.can_code and study.sees_originals,
        "codes": listed,
        "code_tree": code_tree.tree(listed),  # the panel codes from this (issue 14, item 2)
        "turns": view["turns"],
        "coders": view["coders"],
        "colour_keys": view["colour_keys"],
        "density": coding_marks.density(len(t.text), ((c.start, c.end) for c in codings)),
        "recording": _recording(study, t.id),
        "can_attach": study.may_attach_recordings,
        "flagged": view["flagged"],
    }


def transcript_turns(study: MemberStudy, ref: str, first: int, last: int) -> dict[str, Any]:
    """Only the turns at positions ``first`` to ``last``, as the transcript page draws them: the
    fragment swapped in after a coding changes (issue 14, item 3)."""
    t = study.transcript(ref)
    codes = study.codes(Level.ONE, counted=False)
    codings, agreed = _layers(study, t.id)
    view = _coding_view(study, t, codes, codings, agreed, positions=(first, last))
    return {
        "transcript": {"id": t.id, "length": len(t.text)},
        "member": study.name,
        "turns": view["turns"],
        "colour_keys": view["colour_keys"],
    }


def _layers(study: MemberStudy, tid: int) -> tuple[list[Coding], list[Coding]]:
    """The transcript's level-one codings the member may see and its agreed layer, in one call."""
    both = study.codings(transcript=str(tid))
    return [c for c in both if c.level is Level.ONE], [c for c in both if c.level is Level.TWO]


def _per_turn(turns: Sequence[Any], shown: list[tuple[Any, str]]) -> list[list[tuple[Any, str]]]:
    """For each turn, the codings of ``shown`` that overlap it, in ``shown``'s order. The turns
    partition the text in position order, so a coding's turns are found by bisection rather
    than by testing every coding against every turn (460 codings x 137 turns on a long page)."""
    starts = [turn.start for turn in turns]
    ends = [turn.end for turn in turns]
    found: list[list[tuple[Any, str]]] = [[] for _ in turns]
    for item in shown:
        coding = item[0]
        # from the first turn ending after the coding starts to the last starting before it ends
        for k in range(bisect_right(ends, coding.start), bisect_left(starts, coding.end)):
            found[k].append(item)
    return found


def _coding_view(
    study: MemberStudy,
    t: Any,
    codes: Any,
    codings: list[Any],
    agreed: list[Coding],
    positions: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The turns with their codings, highlight segments and lanes: the member's level-one
    codings (those the service lets them see) and the agreed layer (level two)."""
    colour = {c.path: c.colour or PALETTE[i % len(PALETTE)] for i, c in enumerate(codes)}
    keys = {p: coding_marks.colour_key(v, PALETTE[0]) for p, v in colour.items()}
    coders = sorted({c.coder for c in codings})
    by = {name: i % 8 for i, name in enumerate(coders)}
    flags = {f.coding.id: f.reason for f in study.flagged_codings(str(t.id))}
    flagged = {c.id: flags[c.id] for c in codings if c.id in flags}  # those this page shows
    editable_any = study.is_lead
    shown = [
        (c, "agreed" if c.level is Level.TWO else ("mine" if c.coder == study.name else "theirs"))
        for c in codings + agreed
    ]
    turns = []
    for turn, mine in zip(t.turns, _per_turn(t.turns, shown), strict=True):
        if positions is not None and not positions[0] <= turn.position <= positions[1]:
            continue
        # lanes per layer: the agreed layer shows on its own, so it takes no lane from level one
        lane = [0] * len(mine)
        for layer in (False, True) if mine else ():
            which = [i for i, (_, whose) in enumerate(mine) if (whose == "agreed") is layer]
            spans = [(mine[i][0].start, mine[i][0].end) for i in which]
            for i, n in zip(which, coding_marks.lanes(spans), strict=True):
                lane[i] = n
        items = []
        for (c, whose), n in zip(mine, lane, strict=True):
            code = format_path(c.code)
            memo = f" · memo: {c.memo}" if c.memo else ""
            who = "agreed" if whose == "agreed" else c.coder
            key = keys.get(c.code) or coding_marks.colour_key(None, PALETTE[0])
            items.append(
                {
                    "id": c.id,
                    "code": code,
                    "coder": c.coder,
                    "colour": "#" + key,
                    "key": key,
                    "whose": whose,
                    "by": by.get(c.coder, 0),
                    "lane": n,
                    # the classes its highlight and stripe carry (colour, coder, layer, lane)
                    "classes": f"k-{key} by-{by.get(c.coder, 0)} {whose} lane-{min(n, 5)}",
                    "tip": f"{code} · {who}{memo}",
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "memo": c.memo,
                    "version": c.modified_at.isoformat(),
                    "editable": whose != "agreed"
                    and (editable_any or (study.can_code and c.coder == study.name)),
                    "flagged": flagged.get(c.id),  # a correction changed its words
                }
            )
        label = speaker_label(turn.role, t.participant)
        turns.append(
            {
                "position": turn.position,
                "label": label,
                "role": turn.role.value,
                "time": _clock(turn.start_ms),
                "start_ms": turn.start_ms,  # the player seeks here (issue 16)
                "end_ms": turn.end_ms,  # ... and highlights the turn until here
                "start": turn.start,
                "end": turn.end,
                "text": turn.text,
                "codings": items,
                "lanes": min(max(lane, default=-1) + 1, coding_marks.LANES),
                "segments": coding_marks.segments(turn.start, turn.text, items),
            }
        )
    return {
        "colour": colour,
        "colour_keys": sorted(set(keys.values())),
        "turns": turns,
        "coders": [{"name": n, "by": by[n], "mine": n == study.name} for n in coders],
        "flagged": len(flagged),
    }


def _recording(study: MemberStudy, tid: int) -> dict[str, Any] | None:
    """The player's source, for members who may hear the recording (issue 16); ``status`` is
    ``missing`` (or ``changed``) when the file is no longer in the media folder as attached."""
    found = study.playable_recording(str(tid), check=True)
    if found is None:
        return None
    return {
        "url": f"/media/{tid}",
        "format": found.format,
        "duration": _clock(found.duration_ms),
        "name": found.original_name,
        "status": found.status,
    }


def _clock(ms: int | None) -> str:
    if ms is None:
        return ""
    s = ms // 1000
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
