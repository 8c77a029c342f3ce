"""Finding a withdrawn participant's words quoted elsewhere: by words (typography folded), five
or more in a row, never a phrase another interview has too."""

from __future__ import annotations

from thematica.service.withdrawal_quotes import REMOVED, QuoteFinder

THEIRS = (
    "Interviewer: can you tell me about the patients you see?\n"
    "I’d say the back pain and the low mood just feed off each other every single week."
)
OTHER = "Interviewer: can you tell me about the patients you see?\nMostly knees."


def test_a_quote_is_replaced_even_with_other_typography() -> None:
    finder = QuoteFinder.build([THEIRS], [OTHER])
    memo = 'She said "I\'d say the BACK pain and the low mood" - striking.'
    text, count = finder.redact(memo)
    assert count == 1
    assert text == f'She said "{REMOVED}" - striking.'


def test_shared_phrases_and_short_runs_stay() -> None:
    finder = QuoteFinder.build([THEIRS], [OTHER])
    for memo in (
        "Asked: can you tell me about the patients you see?",  # every interview has it
        "the low mood",  # four words: an everyday phrase
        "",
    ):
        assert finder.redact(memo) == (memo, 0)


def test_two_quotes_in_one_memo_are_both_replaced() -> None:
    finder = QuoteFinder.build([THEIRS], [OTHER])
    memo = "the back pain and the low mood; later, feed off each other every single week"
    text, count = finder.redact(memo)
    assert count == 2 and text == f"{REMOVED}; later, {REMOVED}"
