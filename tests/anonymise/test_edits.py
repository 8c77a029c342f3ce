"""Property: after replacing identifiers, every span (turn or coding) covers the same words, with
only the identifiers replaced."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.anonymise.edits import Edit, apply_edits


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, list[Edit], list[tuple[int, int]]]:
    text = draw(st.text(alphabet="abcdé ñ\n", min_size=1, max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10, unique=True)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            edits.append(
                Edit(
                    a,
                    b,
                    draw(
                        st.sampled_from(
                            ["[Physio 4]", "[Hospital A]", "[X]", "[Participant's daughter]"]
                        )
                    ),
                )
            )
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))
            .map(sorted)
            .filter(lambda p: p[0] < p[1]),
            max_size=8,
        )
    )
    return text, edits, [tuple(s) for s in spans]  # type: ignore[misc]


def expected(text: str, edits: list[Edit], start: int, end: int) -> str:
    """The span widened to whole identifiers it cuts into, with those identifiers replaced."""
    for e in edits:
        if e.start <= start < e.end:
            start = e.start
        if e.start < end <= e.end:
            end = e.end
    inside = [
        Edit(e.start - start, e.end - start, e.replacement)
        for e in edits
        if start <= e.start and e.end <= end
    ]
    return apply_edits(text[start:end], inside)[0]


@given(cases())
def test_spans_keep_their_words(case: tuple[str, list[Edit], list[tuple[int, int]]]) -> None:
    text, edits, spans = case
    new_text, mapping, placed = apply_edits(text, edits)
    for (new_start, new_end), edit in zip(
        placed, sorted(edits, key=lambda e: e.start), strict=True
    ):
        assert new_text[new_start:new_end] == edit.replacement
    for start, end in spans:
        assert new_text[mapping.start(start) : mapping.end(end)] == expected(
            text, edits, start, end
        )
    # text outside every edit is untouched and in order
    assert mapping.start(0) == 0 or any(e.start == 0 for e in edits)
    assert mapping.end(len(text)) == len(new_text)


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef", [Edit(0, 3, "[A]"), Edit(2, 4, "[B]")])


def test_concrete_example() -> None:
    text = "Thanks, Siobhán. Ask Dr Priya Raman."
    new, mapping, _ = apply_edits(text, [Edit(8, 15, "[Physio 3]"), Edit(21, 35, "[Colleague 1]")])
    assert new == "Thanks, [Physio 3]. Ask [Colleague 1]."
    assert new[mapping.start(0) : mapping.end(16)] == "Thanks, [Physio 3]."
    assert (
        new[mapping.start(10) : mapping.end(25)] == "[Physio 3]. Ask [Colleague 1]"
    )  # cut identifiers widen
