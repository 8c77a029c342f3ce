"""The audit report as text, Markdown, HTML or JSON: a table of every claim and quote with its
status, location and evidence, the inconsistencies, and the summary line."""

from __future__ import annotations

import dataclasses
import html
import json

from thematica.manuscript.results import (
    CONSISTENT,
    VERBATIM,
    AuditReport,
    ClaimResult,
    Inconsistency,
    QuoteResult,
)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _claim_evidence(c: ClaimResult) -> str:
    node = f"{c.node}: " if c.node else ""
    return node + c.evidence


def _quote_evidence(q: QuoteResult) -> str:
    return q.evidence + (f"; diff: {q.diff}" if q.diff else "")


def _inconsistency(i: Inconsistency) -> str:
    group = f" ({i.group})" if i.group else ""
    return (
        f"{i.node}{group}: “{i.first.says}” at {i.first.location} "
        f"(“{_short(i.first.sentence)}”) vs “{i.second.says}” at {i.second.location} "
        f"(“{_short(i.second.sentence)}”)"
    )


def to_text(report: AuditReport, everything: bool = True) -> str:
    """Plain text; with ``everything`` off, only what is flagged."""
    lines = [f"Audit of {report.source} (counts at level {report.level})", "", "Claims"]
    shown = [c for c in report.claims if everything or c.status != CONSISTENT]
    for c in shown:
        lines.append(f"  {c.status:<21} {c.location}  “{_short(c.claim, 60)}” = {c.says}")
        lines.append(f"  {'':<21} {_claim_evidence(c)}")
    if not shown:
        lines.append("  (none)")
    lines += ["", "Quotes"]
    quotes = [q for q in report.quotes if everything or q.status != VERBATIM or q.identifier]
    for q in quotes:
        flag = " [anonymised identifier]" if q.identifier else ""
        lines.append(
            f"  {q.status:<21} {q.location}  “{_short(q.quote, 60)}” ({q.attributed}){flag}"
        )
        lines.append(f"  {'':<21} {_quote_evidence(q)}")
    if not quotes:
        lines.append("  (none)")
    if report.inconsistencies:
        lines += ["", "Inconsistencies"]
        lines += [f"  {_inconsistency(i)}" for i in report.inconsistencies]
    lines += ["", report.summary]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(report: AuditReport) -> str:
    out = [
        f"# Audit of {_md(report.source)}",
        "",
        f"**{_md(report.summary)}**",
        "",
        "## Claims",
        "",
    ]
    out += ["| Status | Location | Claim | Says | Node | Evidence |", "|---|---|---|---|---|---|"]
    for c in report.claims:
        out.append(
            f"| {c.status} | {_md(str(c.location))} | {_md(c.claim)} | {_md(c.says)} | "
            f"{_md(c.node or '-')} | {_md(c.evidence)} |"
        )
    out += [
        "",
        "## Quotes",
        "",
        "| Status | Location | Quote | Attributed | Evidence |",
        "|---|---|---|---|---|",
    ]
    for q in report.quotes:
        flag = " (anonymised identifier)" if q.identifier else ""
        out.append(
            f"| {q.status}{flag} | {_md(str(q.location))} | {_md(_short(q.quote, 120))} | "
            f"{_md(q.attributed)} | {_md(_quote_evidence(q))} |"
        )
    if report.inconsistencies:
        out += ["", "## Inconsistencies", ""]
        out += [f"- {_md(_inconsistency(i))}" for i in report.inconsistencies]
    return "\n".join(out) + "\n"


def _row(cells: list[str], status: str) -> str:
    css = status.replace(" ", "-")
    return f'<tr class="{css}">' + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


def to_html(report: AuditReport) -> str:
    """A standalone HTML page (no script, no outside resources)."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Audit of {html.escape(report.source)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}"
        ".contradicts td,.wrong-participant td,.not-found td,.edited td{background:#fde8e8}"
        ".ambiguous-quantifier td,.untied td{background:#fff6dd}</style></head><body>",
        f"<h1>Audit of {html.escape(report.source)}</h1>",
        f'<p class="summary"><strong>{html.escape(report.summary)}</strong></p>',
        "<h2>Claims</h2><table><tr><th>Status</th><th>Location</th><th>Claim</th><th>Says</th>"
        "<th>Node</th><th>Evidence</th></tr>",
    ]
    for c in report.claims:
        parts.append(
            _row([c.status, str(c.location), c.claim, c.says, c.node or "-", c.evidence], c.status)
        )
    parts.append(
        "</table><h2>Quotes</h2><table><tr><th>Status</th><th>Location</th><th>Quote</th>"
        "<th>Attributed</th><th>Evidence</th></tr>"
    )
    for q in report.quotes:
        status = q.status + (" (anonymised identifier)" if q.identifier else "")
        parts.append(
            _row([status, str(q.location), q.quote, q.attributed, _quote_evidence(q)], q.status)
        )
    parts.append("</table>")
    if report.inconsistencies:
        parts.append("<h2>Inconsistencies</h2><ul>")
        parts += [f"<li>{html.escape(_inconsistency(i))}</li>" for i in report.inconsistencies]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def plain(value: object) -> object:
    """Dataclasses as dictionaries, tuples as lists: what JSON holds."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def to_json(report: AuditReport) -> str:
    return json.dumps(plain(report), ensure_ascii=False, indent=2) + "\n"
