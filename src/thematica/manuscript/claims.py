"""Count claims in a sentence: "seven participants", "four of the seven physiotherapists",
"all but one", "the majority (6/10)", "n = 4", "(6/10)", "70% of participants", "both OTs".

A word quantifier or a spelled number counts as a claim only beside a participant noun
(:class:`Vocabulary`: the generic nouns, the study's group names and the prefixes of its
participant labels, each with its plural), so "most importantly" or "one of the themes" is
not one; "n = 7" and "6/10" are claims on their own. Claims that touch ("seven participants
(n = 7)", "the majority (6/10)") are merged into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from thematica.manuscript.numbers import NUMBER_PATTERN, value

GENERIC_NOUNS = (
    "participant",
    "interviewee",
    "respondent",
    "clinician",
    "therapist",
    "practitioner",
    "professional",
    "informant",
    "person",
    "people",
)
_ADJECTIVES = (
    "interviewed|participating|remaining|other|female|male|senior|junior|qualified|"
    "experienced|newly qualified|community|hospital|of our|of the|of these|of those"
)


def plural(noun: str) -> str:
    """An English plural good enough for group nouns: therapist -> therapists, OT -> OTs."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun == "person":
        return "people"
    return noun + "s"


@dataclass(frozen=True)
class Vocabulary:
    """The nouns that name participants, lower case, each with the group it restricts a
    claim to (None: every participant)."""

    nouns: tuple[tuple[str, str | None], ...]

    @classmethod
    def build(
        cls, groups: Iterable[str] = (), label_prefixes: Mapping[str, str | None] | None = None
    ) -> Vocabulary:
        nouns: dict[str, str | None] = {}
        for noun in GENERIC_NOUNS:
            nouns[noun] = nouns[plural(noun)] = None
        for prefix, group in (label_prefixes or {}).items():
            key = prefix.lower()
            nouns[key] = nouns[key + "s"] = group
        for group in groups:
            key = " ".join(group.split()).lower()
            if not key:
                continue
            singular = key[:-1] if key.endswith("s") and len(key) > 3 else key
            nouns[singular] = nouns[plural(singular)] = nouns[key] = group
        return cls(tuple(sorted(nouns.items())))

    def names_a_group(self, text: str) -> bool:
        """Whether ``text`` has any noun of this vocabulary that names a group."""
        nouns = [noun for noun, group in self.nouns if group is not None]
        if not nouns:
            return False
        body = "|".join(
            re.escape(n).replace(r"\ ", r"\s+") for n in sorted(nouns, key=len, reverse=True)
        )
        return re.search(rf"(?<!\w)(?:{body})(?!\w)", text, re.IGNORECASE) is not None

    def pattern(self) -> str:
        words = sorted((noun for noun, _ in self.nouns), key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)

    def group(self, noun: str) -> str | None:
        return dict(self.nouns).get(" ".join(noun.split()).lower())


@dataclass(frozen=True)
class Claim:
    """One count statement found in a sentence (offsets into the sentence, end exclusive).

    What it claims, any of: exactly ``n`` participants, of ``total``; all but ``but``; a word
    quantifier ``phrase`` (normalised: "all", "most", "the majority", "some", "a few", ...);
    a ``fraction`` (half: (1, 2)) or a ``percent``; restricted to ``group`` when its noun
    names one.
    """

    start: int
    end: int
    text: str
    n: int | None = None
    total: int | None = None
    but: int | None = None
    phrase: str | None = None
    fraction: tuple[int, int] | None = None
    percent: float | None = None
    group: str | None = None
    complement: bool = False  # "the other three participants": N - n have it

    def describe(self) -> str:
        """What the claim says, in the audit's words: "7", "4 of 7", "all but 1", "most"."""
        if self.n is not None:
            said = f"{self.n} of {self.total}" if self.total is not None else f"{self.n}"
            if self.complement:
                said = f"the other {said}"
            if self.phrase is not None and self.phrase not in ("none", "both"):
                said = f"{self.phrase} ({said})"
        elif self.but is not None:
            said = f"all but {self.but}"
        elif self.percent is not None:
            said = f"{self.percent:g}%"
        elif self.fraction is not None:
            said = self.phrase or f"{self.fraction[0]}/{self.fraction[1]}"
        elif self.phrase is not None:
            said = self.phrase
        else:
            said = f"N = {self.total}"
        return said + (f" ({self.group})" if self.group else "")


_DIGITS = r"\d{1,3}(?:,\d{3})+|\d{1,6}"
_NUM = rf"(?<![\w.,/])(?:{NUMBER_PATTERN})(?!\w)"
_OF = r"\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+|our\s+)?"
_ADJ = rf"(?:(?:{_ADJECTIVES})\s+)?"
_FRACTIONS = {
    "half": (1, 2),
    "a third": (1, 3),
    "one third": (1, 3),
    "two thirds": (2, 3),
    "two-thirds": (2, 3),
    "a quarter": (1, 4),
    "one quarter": (1, 4),
    "three quarters": (3, 4),
    "three-quarters": (3, 4),
    "a fifth": (1, 5),
    "one fifth": (1, 5),
}
VAGUE = {
    "most": "most",
    "the majority": "the majority",
    "a majority": "the majority",
    "the minority": "a minority",
    "a minority": "a minority",
    "a few": "a few",
    "few": "few",
    "several": "several",
    "many": "many",
    "some": "some",
    "a handful": "a handful",
    "a number": "a number",
}
_VAGUE = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(VAGUE, key=len, reverse=True))
_FRACTION = "|".join(
    re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", "[-\u2010\u2011]")
    for f in sorted(_FRACTIONS, key=len, reverse=True)
)
_ALL_BUT = r"(?:but|except(?:\s+for)?|apart\s+from|bar|save\s+for|other\s+than)"


class _Patterns:
    """The compiled expressions for one vocabulary (cached per vocabulary by the caller)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        noun = rf"(?P<noun>{vocabulary.pattern()})(?!\w)"
        flags = re.IGNORECASE
        self.items: list[tuple[str, re.Pattern[str]]] = [
            (
                "all_but",
                re.compile(
                    rf"\ball\s+{_ALL_BUT}\s+(?P<but>{_NUM})(?:(?:{_OF}|\s+){_ADJ}{noun})?", flags
                ),
            ),
            (
                "all_noun_but",
                re.compile(
                    rf"\b(?:all|every)\s+(?:(?:of\s+)?the\s+|one\s+of\s+the\s+|of\s+our\s+)?"
                    rf"{_ADJ}{noun}\s*,?\s+{_ALL_BUT}\s+(?P<but>{_NUM})",
                    flags,
                ),
            ),
            (
                "n_of_total",
                re.compile(rf"(?P<n>{_NUM}){_OF}(?:(?P<total>{_NUM})\s+)?{_ADJ}{noun}", flags),
            ),
            (
                "all_n",
                re.compile(
                    rf"\ball\s+(?:of\s+the\s+|the\s+)?(?P<alln>{_NUM})\s+{_ADJ}{noun}", flags
                ),
            ),
            ("n_noun", re.compile(rf"(?P<n>{_NUM})\s+{_ADJ}{noun}", flags)),
            (
                "all",
                re.compile(
                    rf"\b(?:all|every)\s+(?:(?:of\s+)?the\s+|one\s+of\s+the\s+|of\s+our\s+)?{_ADJ}{noun}",
                    flags,
                ),
            ),
            (
                "none",
                re.compile(rf"\b(?:none|neither)\s+of\s+(?:the\s+|our\s+)?{_ADJ}{noun}", flags),
            ),
            ("none", re.compile(rf"\bno\s+{_ADJ}{noun}", flags)),
            ("both", re.compile(rf"\bboth\s+(?:of\s+)?(?:the\s+|our\s+)?{_ADJ}{noun}", flags)),
            (
                "fraction",
                re.compile(
                    rf"\b(?:exactly\s+|just\s+)?(?P<fraction>{_FRACTION})\s+(?:of\s+)?"
                    rf"(?:the\s+|our\s+)?{_ADJ}{noun}",
                    flags,
                ),
            ),
            (
                "percent",
                re.compile(
                    rf"(?<![\w.])(?P<pct>\d{{1,3}}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)"
                    rf"\s*(?:of\s+)?(?:the\s+|our\s+)?{_ADJ}{noun}",
                    flags,
                ),
            ),
            (
                "vague",
                re.compile(
                    rf"\b(?P<vague>{_VAGUE})\s+(?:of\s+)?(?:the\s+|our\s+)?{_ADJ}{noun}", flags
                ),
            ),
            # a quantifier with its count beside it: "the majority (6/10)", "most (n = 8)"
            ("vague", re.compile(rf"\b(?P<vague>{_VAGUE})(?=\s*\(\s*(?:n\s*=\s*)?\d)", flags)),
            (
                "fraction",
                re.compile(rf"\b(?P<fraction>{_FRACTION})(?=\s*\(\s*(?:n\s*=\s*)?\d)", flags),
            ),
            (
                "neq",
                re.compile(
                    rf"(?<![\w.])(?P<which>[nN])\s*=\s*(?P<count>{_DIGITS})"
                    rf"(?:\s*/\s*(?P<total>{_DIGITS}))?(?![\w.,]\d|\d)"
                ),
            ),
            (
                "ratio",
                re.compile(
                    rf"(?<![\w/.,])(?P<n>{_DIGITS})\s*/\s*(?P<total>{_DIGITS})(?![\w/]|[.,]\d)"
                ),
            ),
        ]


_OTHER = re.compile(r"\b(?:other|remaining|rest\s+of\s+the)\s+$", re.IGNORECASE)
_OTHER_INSIDE = re.compile(r"\s(?:other|remaining)\s", re.IGNORECASE)
_CACHE: dict[Vocabulary, _Patterns] = {}


def _patterns(vocabulary: Vocabulary) -> _Patterns:
    found = _CACHE.get(vocabulary)
    if found is None:
        if len(_CACHE) > 8:
            _CACHE.clear()
        found = _CACHE[vocabulary] = _Patterns(vocabulary)
    return found


def _number(text: str | None) -> int | None:
    return None if text is None else value(text)


def _claim(kind: str, m: re.Match[str], vocabulary: Vocabulary) -> Claim | None:
    g = m.groupdict()
    noun = g.get("noun")
    group = vocabulary.group(noun) if noun else None
    base = Claim(m.start(), m.end(), m.group(0), group=group)
    if kind in ("all_but", "all_noun_but"):
        but = _number(g["but"])
        return None if but is None else replace(base, but=but, phrase="all but")
    if kind in ("n_of_total", "n_noun"):
        n, total = _number(g["n"]), _number(g.get("total"))
        if n is None or (total is not None and (total < n or total == 0)):
            return None
        return replace(base, n=n, total=total)
    if kind == "all_n":
        n = _number(g["alln"])
        return None if n is None else replace(base, n=n, total=n, phrase="all")
    if kind == "all":
        return replace(base, phrase="all")
    if kind == "none":
        return replace(base, n=0, phrase="none")
    if kind == "both":
        return replace(base, n=2, total=2, phrase="both")
    if kind == "fraction":
        words = " ".join(g["fraction"].lower().replace("-", " ").split())
        fraction = _FRACTIONS.get(words) or _FRACTIONS[words.replace(" ", "-")]
        return replace(base, fraction=fraction, phrase=words)
    if kind == "percent":
        pct = float(g["pct"])
        return None if pct > 100 else replace(base, percent=pct)
    if kind == "vague":
        return replace(base, phrase=VAGUE[" ".join(g["vague"].lower().split())])
    if kind == "neq":
        count, total = int(g["count"].replace(",", "")), _number(g.get("total"))
        if g["which"] == "N":  # the sample size
            return replace(base, total=count) if total is None else None
        if total is not None and (total < count or total == 0):
            return None
        return replace(base, n=count, total=total)
    if kind == "ratio":
        n, total = int(g["n"].replace(",", "")), int(g["total"].replace(",", ""))
        if total == 0 or n > total:
            return None
        return replace(base, n=n, total=total)
    raise AssertionError(kind)


def _merge(a: Claim, b: Claim, sentence: str) -> Claim | None:
    """``a`` and ``b`` as one claim when ``b`` is ``a``'s count in brackets ("seven
    participants (n = 7)", "the majority (6/10)") and they say nothing different."""
    between = sentence[a.end : b.start]
    if len(between) > 4 or between.strip(" \t([") or not between.strip(" \t"):
        return None
    merged: dict[str, object] = {}
    for name in ("n", "total", "but", "phrase", "fraction", "percent", "group"):
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            return None
        merged[name] = x if x is not None else y
    merged["complement"] = a.complement or b.complement
    end = b.end + 1 if sentence[b.end : b.end + 1] in (")", "]") else b.end
    return replace(a, end=end, text=sentence[a.start : end], **merged)  # type: ignore[arg-type]


def find_claims(
    sentence: str, vocabulary: Vocabulary, masked: Iterable[tuple[int, int]] = ()
) -> list[Claim]:
    """Every count claim in ``sentence``, in order; the ``masked`` spans (quoted participant
    words) are left out."""
    blocked = [(s, e) for s, e in masked]
    found: list[Claim] = []
    for kind, pattern in _patterns(vocabulary).items:
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in blocked):
                continue
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue  # an earlier, more specific pattern has these words
            claim = _claim(kind, m, vocabulary)
            if claim is not None and claim.n is not None and kind in ("n_noun", "n_of_total"):
                before = sentence[max(0, m.start() - 12) : m.start()]
                if _OTHER.search(before) or _OTHER_INSIDE.search(m.group(0)):
                    claim = replace(claim, complement=True)
            if claim is not None:
                found.append(claim)
    found.sort(key=lambda c: c.start)
    merged: list[Claim] = []
    for claim in found:
        if merged:
            last = merged[-1]
            joined = _merge(last, claim, sentence)
            if joined is not None:
                merged[-1] = joined
                continue
        merged.append(claim)
    return merged
