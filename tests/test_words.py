"""The one tokeniser and folder behind search: indexing, queries and locating matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thematica.words import MAX_WORD, Words, fold, words


def located(text: str) -> list[tuple[str, str]]:
    return [(text[w.start : w.end], w.folded) for w in words(text)]


def test_words_are_letters_and_digits_folded() -> None:
    assert located("Die Straße, the ﬁnal CAFÉ") == [
        ("Die", "die"),
        ("Straße", "strasse"),
        ("the", "the"),
        ("ﬁnal", "final"),
        ("CAFÉ", "cafe"),
    ]
    assert [w for _, w in located("3.5 mg on 10/12, www.nhs.uk help@clinic.org snake_case")] == [
        *("3", "5", "mg", "on", "10", "12", "www", "nhs", "uk"),
        *("help", "clinic", "org", "snake", "case"),
    ]
    assert located("😀emoji😀 — ™") == [("emoji", "emoji")]


def test_combining_marks_stay_in_their_word() -> None:
    nfd = "a nai\u0308ve Cafe\u0301."
    assert located(nfd) == [("a", "a"), ("nai\u0308ve", "naive"), ("Cafe\u0301", "cafe")]
    assert located("\u0301x") == [("x", "x")]  # a mark with no word before it separates
    assert located("x\U0001d165y \U0001d165") == [("x\U0001d165y", "xy")]  # beyond the BMP
    assert [raw for raw, _ in located("हिन्दी में")] == ["हिन्दी", "में"]  # signs are marks


def test_folding_can_split_a_word() -> None:
    assert located("½") == [("½", "1"), ("½", "2")]


def test_overlong_words_are_no_words() -> None:
    assert located("a" * MAX_WORD + " " + "b" * (MAX_WORD + 1)) == [
        ("a" * MAX_WORD, "a" * MAX_WORD)
    ]


@given(st.text())
def test_indexing_and_locating_see_the_same_words(text: str) -> None:
    found = list(words(text))
    assert Words().joined(text).split() == [w.folded for w in found]
    for w in found:
        assert w.folded and w.folded == fold(w.folded)
        assert [x.folded for x in words(w.folded)] == [w.folded]  # a query finds it again


ASCII_TEXT = st.text(alphabet=st.sampled_from("aZ09_ .,'-\t\n\r\x00~"), max_size=400) | st.builds(
    lambda a, n, b: a + "x" * n + b,
    st.text(alphabet="ab _", max_size=5),
    st.integers(MAX_WORD - 2, MAX_WORD + 2),
    st.text(alphabet="ab _", max_size=5),
)


@given(ASCII_TEXT)
def test_the_ascii_shortcut_indexes_the_same_words(text: str) -> None:
    split = Words()
    assert split.joined(text) == split._joined_any(text)
    assert split.joined(text).split() == [w.folded for w in split(text)]
