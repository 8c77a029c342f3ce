"""The quotes behind an analysis cell: a matrix or counts cell (a theme or code, at a level, for
the participants with one value of an attribute, or for all of them) and a co-occurrence cell
(the turns two codes share). Each view says the figures the cell shows, computed from the same
codings the page lists, so the page and the cell agree (tests/web/test_retrieval_cells.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from thematica.domain import CodePath, Level, format_path
from thematica.errors import ThematicaError
from thematica.service.acting import MemberStudy
from thematica.web import analysis_context as actx
from thematica.web import quotes_context as quotes
from thematica.web.themes_context import _segment


def _level_word(level: Level) -> str:
    return "one" if level is Level.ONE else "two"


def row_ids(study: MemberStudy, level: Level) -> tuple[dict[CodePath, int], dict[CodePath, int]]:
    """(theme node path -> id, code path at ``level`` -> id), for links from analysis pages."""
    nodes, _links = study.framework()
    codes = study.codes(level, counted=False)
    return {n.path: n.id for n in nodes}, {c.path: c.id for c in codes}


def cell_href(
    kind: str, row_id: int, level: int, by: str | None = None, value: str | None = None
) -> str:
    query: dict[str, str] = {kind: str(row_id), "level": str(level)}
    if by:
        query |= {"by": by, "value": value or ""}
    return f"/analysis/quotes?{urlencode(query)}"


def pair_href(a: int, b: int, level: int) -> str:
    return f"/analysis/cooccurrence/quotes?{urlencode({'a': a, 'b': b, 'level': level})}"


def _row_id(name: str, text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 9:
        raise ThematicaError(f"{name} is the number of a {name}, not {text[:20]!r}")
    return int(text.strip())


def cell_view(
    study: MemberStudy,
    *,
    theme: str | None = None,
    code: str | None = None,
    level: str | None = None,
    by: str | None = None,
    value: str | None = None,
    group_by: str | None = None,
) -> dict[str, Any]:
    """The codings a matrix or counts cell counts, with context, groups and downloads."""
    theme_id, code_id = _row_id("theme", theme), _row_id("code", code)
    if (theme_id is None) == (code_id is None):
        raise ThematicaError("name one theme (theme=ID) or one code (code=ID)")
    lvl = actx.level_of(level, Level.TWO)
    attribute = actx.name_of("attribute", by)
    wanted = actx.name_of("value", value) if attribute else None
    if attribute and wanted is None:
        raise ThematicaError("give the attribute's value (value=...) with by=")
    kind, row_id = ("theme", theme_id) if theme_id is not None else ("code", code_id)
    assert row_id is not None
    found = study.cell_quotes(lvl, kind, row_id, attribute, wanted)
    nodes, codes = row_ids(study, lvl)
    paths = {i: p for p, i in (nodes if kind == "theme" else codes).items()}
    path = paths.get(row_id)
    if path is None:
        raise ThematicaError(f"no {kind} {row_id} at level {int(lvl)}")
    readable = study.readable_transcripts()
    segments = [_segment(c, readable) for c in found]
    where = f"{attribute.replace('_', ' ')}: {wanted}" if attribute else "all participants"
    participants = len({c.participant for c in found if c.participant})
    data: dict[str, Any] = {
        "kind": kind,
        "cell": True,
        "title": f"{format_path(path)} · {where}",
        "row": format_path(path),
        "row_id": row_id,
        "level": int(lvl),
        "level_label": f"Level-{_level_word(lvl)} codings",
        "by": attribute,
        "value": wanted,
        "description": "",
        "count": None,
        "figures": {"participants": participants, "codings": len(found)},
        "quotes": segments,
        "withheld": sum(1 for s in segments if s["text"] is None),
        "back": "/analysis/matrix" if attribute else "/analysis/counts",
        "export_base": "/analysis/quotes",
    }
    data["summary"] = (
        f"The codings behind one cell: {kind} {format_path(path)!r}, level {int(lvl)}, "
        f"{where}. {participants} participant{'' if participants == 1 else 's'}, "
        f"{len(found)} coding{'' if len(found) == 1 else 's'}."
    )
    query = {
        kind: str(row_id),
        "level": str(int(lvl)),
        "by": attribute or "",
        "value": wanted or "",
    }
    return quotes.with_context(study, data, quotes.grouping_of(study, group_by), query)


def pair_view(
    study: MemberStudy, *, a: str | None, b: str | None, level: str | None
) -> dict[str, Any]:
    """The turns a co-occurrence cell counts, each with both codes' codings marked."""
    code_a, code_b = _row_id("code", a), _row_id("code", b)
    if code_a is None or code_b is None:
        raise ThematicaError("name two codes (a=ID and b=ID)")
    lvl = actx.level_of(level, Level.TWO)
    turns, codings = study.cooccurring_turns(lvl, code_a, code_b)
    _nodes, codes = row_ids(study, lvl)
    paths = {i: p for p, i in codes.items()}
    readable = study.readable_transcripts()
    shown = [t for t in turns if readable is None or t.transcript_id in readable]
    contexts = study.quote_contexts([(t.transcript_id, t.start, t.end) for t in shown], around=1)
    by_turn = {(t.transcript_id, t.start): c for t, c in zip(shown, contexts, strict=True)}
    items = []
    for t in turns:
        mine = [codings[i] for i in (*t.codings_a, *t.codings_b) if i in codings]
        participant = next((c.participant for c in mine if c.participant), None)
        marks = [(codings[i].start, codings[i].end, "code-a") for i in t.codings_a if i in codings]
        marks += [(codings[i].start, codings[i].end, "code-b") for i in t.codings_b if i in codings]
        ctx = by_turn.get((t.transcript_id, t.start))
        items.append(
            {
                "transcript_id": t.transcript_id,
                "participant": participant or f"Transcript {t.transcript_id}",
                "start": t.start,
                "end": t.end,
                "codings_a": list(t.codings_a),
                "codings_b": list(t.codings_b),
                "context": quotes.context_json(ctx, participant, marks),
                "href": f"/transcripts/{t.transcript_id}#o{t.start}" if ctx else None,
            }
        )
    return {
        "level": int(lvl),
        "a": {"id": code_a, "path": format_path(paths.get(code_a, ()))},
        "b": {"id": code_b, "path": format_path(paths.get(code_b, ()))},
        "turns_both": len(turns),
        "turns": items,
        "withheld": sum(1 for i in items if i["context"] is None),
    }
