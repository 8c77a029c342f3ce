"""A copy of a DOCX draft with a Word comment on every flagged sentence (python-docx's comment
support). The text is not changed: a comment only adds its anchors and its own part."""

from __future__ import annotations

import io
from collections import defaultdict

from thematica.errors import InputError
from thematica.manuscript.draft import Draft
from thematica.manuscript.results import CONSISTENT, VERBATIM, AuditReport

AUTHOR = "Thematica audit"


def comments(report: AuditReport) -> dict[tuple[int, int, int], list[str]]:
    """(block, sentence start, end) -> what to say there, for every flagged claim and quote
    and both places of every inconsistency."""
    found: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for c in report.claims:
        if c.status != CONSISTENT:
            found[(c.block, *c.span)].append(f"{c.status}: “{c.claim}” ({c.says}). {c.evidence}")
    for q in report.quotes:
        if q.status != VERBATIM or q.identifier:
            diff = f" Diff: {q.diff}" if q.diff else ""
            found[(q.block, *q.span)].append(f"quote {q.status}: {q.evidence}.{diff}")
    for i in report.inconsistencies:
        for here, there in ((i.first, i.second), (i.second, i.first)):
            found[(here.block, *here.span)].append(
                f"inconsistent: {i.node} is “{here.says}” here but “{there.says}” at {there.location}"
            )
    return found


def annotate(data: bytes, draft: Draft, report: AuditReport) -> bytes:
    """``data`` (the .docx ``draft`` was read from) with the report's comments added."""
    if draft.format != "docx":
        raise InputError(draft.source, "--annotate needs a .docx draft (Word comments)")
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    for (block, start, end), notes in sorted(comments(report).items()):
        if draft.blocks[block].index < 0:
            continue  # a table row: its cells have no single paragraph to comment on
        paragraph = paragraphs[draft.blocks[block].index]
        runs = [r for r in paragraph.runs if r.text]
        if not runs:
            continue
        chosen, at = [], 0
        for run in runs:
            if at < end and at + len(run.text) > start:
                chosen.append(run)
            at += len(run.text)
        if at != len(paragraph.text) or not chosen:  # hyperlinks or fields: the whole paragraph
            chosen = runs
        document.add_comment(chosen, text="\n".join(notes), author=AUTHOR, initials="TA")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
