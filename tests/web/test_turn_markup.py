"""A turn's HTML, drawn in Python (``web/turn_markup.py``): whatever a code, coder, memo or
speaker is called, the markup parses back to exactly those values, and the marks nest as the
segments say."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.web.turn_markup import turn_block

VOID = {"circle"}


class Tree(HTMLParser):
    """Elements as (tag, attributes, depth), the text per depth, and whether tags balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], int]] = []
        self.stack: list[str] = []
        self.texts: list[tuple[str, tuple[str, ...]]] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), len(self.stack)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), len(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.texts.append((data, tuple(self.stack)))


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    return tree


def coding(i: int, code: str, coder: str, memo: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": i,
        "code": code,
        "coder": coder,
        "colour": "#1f77b4",
        "whose": "theirs",
        "classes": f"k-1f77b4 by-0 theirs lane-{i}",
        "tip": f"{code} · {coder}",
        "start": 0,
        "end": 5,
        "memo": memo,
        "version": "2026-12-04T10:00:00+00:00",
        "editable": True,
        "flagged": None,
        **extra,
    }


def turn(codings: list[dict[str, Any]], segments: list[dict[str, Any]], **extra: Any) -> dict:
    return {
        "position": 3,
        "label": "Physio 4",
        "role": "participant",
        "time": "0:01:02",
        "start_ms": 62000,
        "end_ms": 65000,
        "start": 100,
        "end": 110,
        "codings": codings,
        "lanes": len(codings),
        "segments": segments,
        **extra,
    }


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=200)
@given(code=names, coder=names, memo=names, label=names, words=names)
def test_every_value_parses_back_exactly(
    code: str, coder: str, memo: str, label: str, words: str
) -> None:
    path = f"Parent > {code}"
    c = coding(7, path, coder, memo or None)
    html = str(
        turn_block(
            turn(
                [c],
                [{"text": words, "layers": [0], "opens": [0], "title": c["tip"]}],
                label=label,
            ),
            playable=True,
        )
    )
    tree = parse(html)
    assert tree.balanced and not tree.stack
    mark = next(a for t, a, _ in tree.elements if t == "mark")
    assert mark["data-coding"] == "7"
    assert mark["data-tip"] == mark["title"] == c["tip"]
    assert mark["aria-describedby"] == "cd3-7"
    assert [d for d, stack in tree.texts if stack[-1:] == ("mark",)] == ([words] if words else [])
    edit = next(a for t, a, _ in tree.elements if t == "button" and "edit-coding" in a["class"])
    assert edit["data-code"] == path and edit["data-memo"] == (memo or "")
    assert edit["aria-label"] == f"Edit the coding {path} by {coder}"
    remove = next(a for t, a, _ in tree.elements if t == "button" and "remove-coding" in a["class"])
    assert remove["data-coder"] == coder
    label_text = [d for d, stack in tree.texts if stack[-2:] == ("span", "span")]
    shown = path.split(" > ")[-1]  # the stripe names the code's own name, not its path
    assert label_text == ([shown] if shown else [])
    speaker = [d for d, stack in tree.texts if stack[-2:] == ("div", "span")]
    assert speaker[:1] == ([label] if label else [])


def test_marks_nest_by_layer_and_only_first_segments_are_focusable() -> None:
    a = coding(1, "A", "Ann", None)
    b = coding(2, "B", "Ben", "a memo " * 20)
    segments = [
        {"text": "one ", "layers": [0], "opens": [0], "title": a["tip"]},
        {"text": "two ", "layers": [0, 1], "opens": [1], "title": f"{a['tip']}\n{b['tip']}"},
        {"text": "three", "layers": [], "opens": [], "title": ""},
    ]
    tree = parse(str(turn_block(turn([a, b], segments))))
    marks = [(attrs, depth) for tag, attrs, depth in tree.elements if tag == "mark"]
    assert [(m["data-coding"], "tabindex" in m) for m, _ in marks] == [
        ("1", True),
        ("1", False),
        ("2", True),
    ]
    assert marks[2][1] == marks[1][1] + 1  # B's mark inside A's over "two "
    assert marks[2][0]["title"] == f"{a['tip']}\n{b['tip']}"  # the innermost carries the title
    assert ("two ", ("div", "p", "mark", "mark")) in tree.texts
    assert ("three", ("div", "p")) in tree.texts
    memo = next(a for t, a, _ in tree.elements if t == "span" and a.get("class") == "memo")
    assert memo["title"] == b["memo"]
    memo_text = next(d for d, s in tree.texts if d.startswith("memo: "))
    assert memo_text == "memo: " + b["memo"][:80] + "…"
    # not playable: the time is text, not a seek button, and the turn has no timing data
    assert not any(t == "button" and "seek" in a["class"] for t, a, _ in tree.elements)
    assert "data-start-ms" not in tree.elements[0][1]


def test_a_playable_turn_seeks_and_agreed_codings_have_no_buttons() -> None:
    agreed = coding(9, "Theme > Sub", "Ann", None, whose="agreed", editable=False)
    flagged = coding(4, "Other", "Ben", None, flagged="words changed", editable=True)
    html = str(turn_block(turn([agreed, flagged], []), playable=True))
    tree = parse(html)
    div = tree.elements[0][1]
    assert (div["data-start-ms"], div["data-end-ms"]) == ("62000", "65000")
    seek = next(a for t, a, _ in tree.elements if t == "button" and "seek" in a["class"])
    assert seek["data-ms"] == "62000"
    items = [a for t, a, _ in tree.elements if t == "li"]
    assert [(i["id"], i["class"]) for i in items] == [("cd3-9", "agreed"), ("cd3-4", "theirs")]
    buttons = [a["class"] for t, a, _ in tree.elements if t == "button"]
    assert buttons.count("link edit-coding") == 1  # the flagged one's, not the agreed layer's
    assert "link clear-flag" in buttons
    assert ("agreed", ("div", "ul", "li", "span")) not in tree.texts  # "· agreed", one text
    assert any(d == "· agreed" for d, _ in tree.texts)


def test_a_turn_without_codings_has_no_list() -> None:
    html = str(turn_block(turn([], [{"text": "x", "layers": [], "opens": [], "title": ""}])))
    assert "<ul" not in html and html.endswith("\n  \n</div>")
