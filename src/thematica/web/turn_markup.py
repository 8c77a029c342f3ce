"""One turn of the transcript page as HTML, with its coded text highlighted (issue 14).

Drawn by the page and by the fragment route (``GET /transcripts/{ref}/turns``) that swaps a
turn in after a coding changes, so both always agree. Every coding is a ``<mark>`` per segment,
nested by lane; the first segment of each coding in the turn is focusable and described by its
line in the list below the text. Each coding also has a margin stripe with its code's name.

This was a Jinja macro. On a large study's transcript (8,000 words, ~460 codings shown) the
macro spent ~35 ms per page in attribute lookups and per-value escaping (issue 15's target for
the whole page is 60 ms); here each coding's values are escaped once and reused by its marks,
its stripe and its line. The output is the macro's, byte for byte: values escaped as Jinja's
autoescape does (:func:`markupsafe.escape`), colours drawn as SVG (``_marks.html``'s ``dot``;
a ``fill`` attribute is not an inline style, so the page's Content-Security-Policy needs no
``'unsafe-inline'``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

__all__ = ["turn_block"]


def _e(value: object) -> str:
    return str(escape(value))


def _dot(colour: str | None) -> str:
    return (
        '<svg class="dot" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
        f'<circle cx="5" cy="5" r="5" fill="{_e(colour or "none")}"/></svg>'
    )


class _Escaped:
    """One coding's values, escaped once for the marks, the stripe and the list line."""

    __slots__ = ("classes", "id", "mark", "tip")

    def __init__(self, coding: Mapping[str, Any]) -> None:
        self.classes = _e(coding["classes"])
        self.id = _e(coding["id"])
        self.tip = _e(coding["tip"])
        self.mark = f'<mark class="hl {self.classes}" data-coding="{self.id}"'


def _text(turn: Mapping[str, Any], escaped: Sequence[_Escaped], position: str) -> str:
    """The turn's words, a ``<mark>`` per coding layer over each segment."""
    out: list[str] = []
    for s in turn["segments"]:
        layers = s["layers"]
        if not layers:
            out.append(_e(s["text"]))
            continue
        opens = s["opens"]
        last = len(layers) - 1
        for n, i in enumerate(layers):
            c = escaped[i]
            out.append(c.mark)
            if i in opens:
                out.append(
                    f' tabindex="0" aria-describedby="cd{position}-{c.id}" data-tip="{c.tip}"'
                )
            if n == last:
                out.append(f' title="{_e(s["title"])}"')
            out.append(">")
        out.append(_e(s["text"]))
        out.append("</mark>" * len(layers))
    return "".join(out)


def _stripes(codings: Sequence[Mapping[str, Any]], escaped: Sequence[_Escaped]) -> str:
    return "".join(
        f'<span class="stripe {e.classes}" data-coding="{e.id}" title="{e.tip}">'
        f'<span class="stripe-label">{_e(c["code"].split(" > ")[-1])}</span></span>'
        for c, e in zip(codings, escaped, strict=True)
    )


def _line(c: Mapping[str, Any], e: _Escaped, position: str) -> str:
    """The coding's line in the list below the turn: its code, coder, memo, flag and buttons."""
    code, coder, memo = _e(c["code"]), _e(c["coder"]), c["memo"]
    whose = c["whose"]
    out = [
        f'<li id="cd{position}-{e.id}" class="{_e(whose)}" data-coding="{e.id}">',
        _dot(c["colour"]),
        f'{code} <span class="muted">· {"agreed" if whose == "agreed" else coder}</span>',
    ]
    if memo:
        more = "…" if len(memo) > 80 else ""
        out.append(f' <span class="memo" title="{_e(memo)}">memo: {_e(memo[:80])}{more}</span>')
    editable = c["editable"]
    if c["flagged"]:
        out.append(
            f' <span class="flag" title="{_e(c["flagged"])}">⚑ words changed by a correction</span>'
        )
        if editable:
            out.append(
                f' <button type="button" class="link clear-flag" data-coding="{e.id}"'
                f' aria-label="Looked at: clear the flag on {code} by {coder}">looked at</button>'
            )
    if editable:
        data = (
            f'data-coding="{e.id}" data-version="{_e(c["version"])}" data-start="{_e(c["start"])}"'
            f' data-end="{_e(c["end"])}" data-code="{code}" data-memo="{_e(memo or "")}"'
        )
        out.append(
            f' <button type="button" class="link edit-coding" {data}'
            f' aria-label="Edit the coding {code} by {coder}">edit</button>'
            f' <button type="button" class="link remove-coding" data-coder="{coder}" {data}'
            f' aria-label="Remove the coding {code} by {coder}">remove</button>'
        )
    out.append("</li>")
    return "".join(out)


def _who(turn: Mapping[str, Any], playable: bool) -> str:
    out = f'<div class="who"><span class="speaker">{_e(turn["label"])}</span>'
    time = turn["time"]
    if time:
        if playable and turn["start_ms"] is not None:
            out += (
                f'<button type="button" class="time seek link" data-ms="{_e(turn["start_ms"])}"'
                f' aria-label="Play from {_e(time)}">{_e(time)}</button>'
            )
        else:
            out += f'<span class="time">{_e(time)}</span>'
    return out + "</div>"


def turn_block(turn: Mapping[str, Any], playable: bool = False) -> Markup:
    """The turn (a dict of :func:`thematica.web.context.transcript`'s ``turns``) as HTML;
    ``playable``: the recording can be heard, so the turn's time is a seek button."""
    position, start = _e(turn["position"]), _e(turn["start"])
    codings = turn["codings"]
    escaped = [_Escaped(c) for c in codings]
    timing = ""
    if playable and turn["start_ms"] is not None:
        timing = f' data-start-ms="{_e(turn["start_ms"])}"'
        if turn["end_ms"] is not None:
            timing += f' data-end-ms="{_e(turn["end_ms"])}"'
    listed = ""
    if codings:
        listed = (
            '<ul class="codings" aria-label="Codings of this turn">'
            + "".join(_line(c, e, position) for c, e in zip(codings, escaped, strict=True))
            + "</ul>"
        )
    return Markup(
        f'<div class="turn {_e(turn["role"])}" id="o{start}" tabindex="-1"'
        f' data-position="{position}" data-start="{start}" data-end="{_e(turn["end"])}"{timing}>'
        f"\n  {_who(turn, playable)}"
        f'\n  <p class="text" data-start="{start}">{_text(turn, escaped, position)}</p>'
        f'\n  <div class="stripes lanes-{_e(turn["lanes"])}" aria-hidden="true">'
        f"{_stripes(codings, escaped)}</div>"
        f"\n  {listed}\n</div>"
    )
