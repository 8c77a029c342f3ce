"""What a quotes page adds to its quotes: each quote's context (the turn it is in with the quoted
words marked, and the turns before and after it), grouping by participant or by a participant
attribute, and the links that download the same quotes as DOCX, CSV or XLSX.

The quotes come from the service as the member may see them (a withheld quote has no text), and
contexts only from transcripts the member may read, so nothing here decides a rule. The page,
its JSON twin and its downloads are built from one dict, so a download holds what the page shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from thematica.domain import Participant, SpeakerRole
from thematica.errors import ThematicaError
from thematica.report.characteristics import attribute_label
from thematica.report.quote_export import ExportQuote, QuoteSet
from thematica.service.acting import MemberStudy
from thematica.service.retrieval import ContextTurn, QuoteContext
from thematica.web.context import speaker_label

FORMATS = ("docx", "csv", "xlsx")
NO_PARTICIPANT = "(no participant)"
MISSING = "(missing)"


def grouping_choices(study: MemberStudy) -> list[dict[str, str]]:
    """What quotes can be grouped by: nothing, the participant, their group, an attribute."""
    return [
        {"value": "", "label": "Not grouped"},
        {"value": "participant", "label": "Participant"},
        {"value": "group", "label": "Participant group"},
        *({"value": d.name, "label": attribute_label(d.name)} for d in study.attribute_defs()),
    ]


def grouping_of(study: MemberStudy, text: str | None) -> str | None:
    """The grouping asked for (None: not grouped); one not offered is refused."""
    if text is None or not text.strip():
        return None
    wanted = text.strip().casefold()
    for choice in grouping_choices(study)[1:]:
        if choice["value"].casefold() == wanted:
            return choice["value"]
    known = ", ".join(c["value"] for c in grouping_choices(study)[1:])
    raise ThematicaError(f"quotes are grouped by one of {known}, not {text[:40]!r}")


def _value(value: object) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def group_value(people: dict[str, Participant], label: str | None, grouping: str | None) -> str:
    """The participant's value of ``grouping`` (their group when not grouped)."""
    if label is None or label not in people:
        return NO_PARTICIPANT if grouping in (None, "participant", "group") else MISSING
    person = people[label]
    if grouping == "participant":
        return label
    if grouping is None or grouping == "group":
        return person.group
    return _value(person.attributes.get(grouping))


def pieces(text: str, offset: int, marks: Sequence[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """``text`` (starting at code point ``offset``) cut where marks begin and end: each piece
    with the marks (class names) over it, so overlapping marks stay visible."""
    end = offset + len(text)
    cuts = {offset, end}
    for s, e, _cls in marks:
        cuts |= {min(max(s, offset), end), min(max(e, offset), end)}
    edges = sorted(cuts)
    out = []
    for a, b in pairwise(edges):
        if a == b:
            continue
        over = sorted({cls for s, e, cls in marks if s < b and a < e})
        out.append({"text": text[a - offset : b - offset], "marks": over})
    return out


def _turn(
    turn: ContextTurn, participant: str | None, marks: Sequence[tuple[int, int, str]]
) -> dict[str, Any]:
    return {
        "position": turn.position,
        "label": speaker_label(turn.role, participant),
        "participant": turn.role is SpeakerRole.PARTICIPANT,
        "pieces": pieces(turn.text, turn.start, marks),
        "text": turn.text,
    }


def context_json(
    found: QuoteContext | None, participant: str | None, marks: Sequence[tuple[int, int, str]]
) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "turns": [_turn(t, participant, marks) for t in found.turns],
        "before": [_turn(t, participant, ()) for t in found.before],
        "after": [_turn(t, participant, ()) for t in found.after],
    }


def with_context(
    study: MemberStudy, data: dict[str, Any], grouping: str | None, query: dict[str, str]
) -> dict[str, Any]:
    """A quotes page's data (``quotes``: segments as ``themes_context`` makes them) with each
    quote's context and group, the groups, and the download links for the same view."""
    quotes: list[dict[str, Any]] = data["quotes"]
    shown = [q for q in quotes if q["text"] is not None]
    found = study.quote_contexts([(q["transcript_id"], q["start"], q["end"]) for q in shown])
    for q, ctx in zip(shown, found, strict=True):
        q["context"] = context_json(ctx, q["participant"], [(q["start"], q["end"], "quoted")])
    people = {p.label: p for p in study.participants()}
    for q in quotes:
        q.setdefault("context", None)
        label = q["participant"] if q["participant"] in people else None
        q["group"] = group_value(people, label, grouping)
    groups: list[dict[str, Any]] = []
    if grouping is None:
        groups = [{"heading": None, "quotes": quotes}]
    else:
        order: dict[str, list[dict[str, Any]]] = {}
        for q in sorted(quotes, key=lambda q: _order(people, q, grouping)):
            order.setdefault(q["group"], []).append(q)
        prefix = "" if grouping in ("participant", "group") else f"{attribute_label(grouping)}: "
        groups = [
            {
                "heading": prefix + heading,
                "quotes": items,
                "participants": len({q["participant"] for q in items}),
            }
            for heading, items in order.items()
        ]
    kept = {k: v for k, v in query.items() if v}
    if grouping:
        kept["group_by"] = grouping
    suffix = f"?{urlencode(kept)}" if kept else ""
    base = data["export_base"]
    return {
        **data,
        "group_by": grouping or "",
        "keep": {k: v for k, v in query.items() if v},  # the view's own parameters
        "grouping": grouping_choices(study),
        "groups": groups,
        "participants": len({q["participant"] for q in quotes}),
        "downloads": [
            {"format": fmt, "href": f"{base}.{fmt}{suffix}", "label": fmt.upper()}
            for fmt in FORMATS
        ],
    }


def _order(people: dict[str, Participant], q: dict[str, Any], grouping: str) -> tuple[Any, ...]:
    """Groups in register order for participants, else by value; quotes keep their order."""
    if grouping == "participant":
        labels = list(people)
        at = labels.index(q["participant"]) if q["participant"] in people else len(labels)
        return (at, q["participant"])
    value = q["group"]
    return (value in (MISSING, NO_PARTICIPANT), _natural(value))


def _natural(text: str) -> tuple[Any, ...]:
    """Numbers as numbers: "Physio 10" after "Physio 9", age 10 after age 9."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def turn_words(context: dict[str, Any] | None) -> str | None:
    if context is None:
        return None
    return "\n".join(f"{t['label']}: {t['text']}" for t in context["turns"])


def quote_set(data: dict[str, Any]) -> QuoteSet:
    """The page's quotes, grouped as the page shows them, for a download."""
    grouping = data["group_by"] or None
    return QuoteSet(
        title=f"Quotes: {data['title']}",
        note=data["summary"],
        grouped_by=grouping,
        groups=tuple(
            (
                g["heading"] or "",
                tuple(
                    ExportQuote(
                        participant=q["participant"],
                        group=q["group"],
                        code=q["code"],
                        level=q["level"],
                        coder=q["coder"],
                        text=q["text"],
                        memo=q["memo"],
                        turn=turn_words(q["context"]),
                        transcript_id=q["transcript_id"],
                        start=q["start"],
                        end=q["end"],
                    )
                    for q in g["quotes"]
                ),
            )
            for g in data["groups"]
        ),
    )


def _summary(data: dict[str, Any]) -> str:
    n, people = len(data["quotes"]), len({q["participant"] for q in data["quotes"]})
    return (
        f"{n} coded segment{'' if n == 1 else 's'} from {people} "
        f"participant{'' if people == 1 else 's'}. {data['level_label']}."
    )


def code_view(study: MemberStudy, code_id: int, group_by: str | None) -> dict[str, Any]:
    """A code's quotes page (without its memos), with context, groups and downloads."""
    from thematica.web import themes_context

    data = themes_context.code_quotes(study, code_id)
    data["export_base"] = f"/codes/{code_id}/quotes"
    data["summary"] = _summary(data)
    return with_context(study, data, grouping_of(study, group_by), {})


def node_view(study: MemberStudy, node_id: int, group_by: str | None) -> dict[str, Any]:
    """A theme's quotes page (without its memos), with context, groups and downloads."""
    from thematica.web import themes_context

    data = themes_context.node_quotes(study, node_id)
    data["export_base"] = f"/themes/{node_id}/quotes"
    data["summary"] = _summary(data)
    return with_context(study, data, grouping_of(study, group_by), {})
