"""Numbers in words and digits, 0 to 100: "seven", "Twenty-one", "twenty one", "one hundred"."""

from __future__ import annotations

import re

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spellings() -> dict[str, int]:
    words: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
    for t, tens in enumerate(_TENS, start=2):
        words[tens] = t * 10
        for unit in range(1, 10):
            for joint in ("-", " ", ""):
                words[f"{tens}{joint}{_UNITS[unit]}"] = t * 10 + unit
    words["one hundred"] = words["a hundred"] = words["hundred"] = 100
    return words


SPELLED: dict[str, int] = _spellings()
"""Every spelling this module reads, lower case, with its value."""

_DASHES = "\u2010\u2011\u2012\u2013"
NUMBER_PATTERN = (
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,.]\d)|\d{1,6}(?![\d,.]\d)|"
    + "|".join(
        re.escape(word).replace(r"\-", f"[-{_DASHES}]").replace(r"\ ", r"\s+")
        for word in sorted(SPELLED, key=len, reverse=True)
    )
    + r")"
)
"""A regular expression (no groups; use it case-insensitively) for one number: 0 to 100 in
words, or digits ("7", "488", "1,000")."""


def spell(n: int) -> str:
    """``n`` (0 to 100) in words, the hyphenated way: 21 -> "twenty-one"."""
    if not 0 <= n <= 100:
        raise ValueError(f"only 0 to 100 can be spelled here; got {n}")
    if n == 100:
        return "one hundred"
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_UNITS[unit]}" if unit else "")


def value(text: str) -> int | None:
    """The number ``text`` spells or writes in digits; None if it is not one."""
    text = " ".join(text.split()).lower()
    for dash in _DASHES:
        text = text.replace(dash, "-")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    return SPELLED.get(text)
