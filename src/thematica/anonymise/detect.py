"""Find identifiers in one piece of text (a speaker turn's text): names and patterns.

Pure: no I/O, no study. The text is Unicode with LF newlines; offsets are Python ``str`` indexes
(code points) into the text exactly as given, end exclusive, and ``Finding.text`` is always
``text[start:end]``. Text that is not in NFC (say a name typed in decomposed form) is matched
after normalising it to NFC, and the offsets are mapped back to the text as given.

Three detectors propose findings; a person reviews them before anything is replaced:

* ``register``: people known to the study (participants, the team), from ``NameEntry`` rows;
* ``deny-list``: other names, places, employers, hospitals and trusts the user lists;
* ``pattern``: e-mail addresses, URLs, phone numbers, NHS numbers, postcodes, street addresses
  and dates of birth, found by shape.

``confidence`` is ``"high"`` or ``"check"`` (a human should look, and ``note`` says why).
Speed: all names in an entry list are compiled once, into one alternation; the compiled form is
cached per entry list (or build a ``NameMatcher`` yourself and reuse it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = [
    "COMMON_WORD_NAMES",
    "COMMON_WORD_SURNAMES",
    "STREET_SUFFIXES",
    "TITLES",
    "Finding",
    "NameEntry",
    "NameMatcher",
    "detect",
    "find_names",
    "find_patterns",
    "name_patterns",
    "nhs_number_valid",
    "resolve_overlaps",
]


@dataclass(frozen=True)
class NameEntry:
    """A name to look for: a person known to the study (detector "register") or a deny-list term
    (detector "deny-list").

    ``name`` is the full name ("Siobhán Kelly", "St Aldhelm's Hospital"); ``category`` what it is
    ("participant", "team member", "colleague", "patient", "hospital", "trust", "gp practice",
    "place", "employer", "other"); ``replacement`` the bracketed descriptor to propose
    ("[Physio 3]"). A person (``person=True``) also matches by first name alone, by surname
    alone and by each nickname; an organisation or place matches only as a whole.
    """

    name: str
    category: str
    replacement: str
    nicknames: tuple[str, ...] = ()
    person: bool = True
    detector: str = "register"


@dataclass(frozen=True)
class Finding:
    """One proposed replacement: ``text`` is exactly ``source[start:end]``.

    ``category`` is the entry's category, or for a pattern one of "email", "phone",
    "nhs number", "number", "postcode", "address", "date of birth", "url". ``detector`` is
    "register", "deny-list" or "pattern". ``confidence`` is "high" or "check"; ``note`` says in
    words why a finding needs a check.
    """

    start: int
    end: int
    text: str
    category: str
    detector: str
    replacement: str
    confidence: str
    note: str = ""


# --------------------------------------------------------------------------------------------
# Word lists

# fmt: off
COMMON_WORD_NAMES: frozenset[str] = frozenset(
    {
        "hope", "mark", "will", "may", "faith", "grace", "joy", "rose", "bill", "pat", "sue",
        "ray", "amber", "dawn", "april", "june", "summer", "rob", "art", "frank", "jack",
        "sky", "holly", "ivy", "ruby", "daisy", "lily", "iris", "hazel", "heather", "max",
        "sandy", "rusty", "bob", "don", "gene", "earl", "victor", "guy", "drew", "penny",
        "sunny", "matt", "chase", "lance", "miles", "glen", "dean", "august", "autumn",
        "winter", "angel", "basil", "bishop", "brook", "buck", "bud", "carol", "cash",
        "cherry", "chip", "christian", "cliff", "clay", "crystal", "destiny", "dot", "duke",
        "dusty", "eve", "fern", "flora", "gale", "gay", "gill", "ginger", "hank", "heath",
        "herb", "honey", "hunter", "jade", "jasmine", "jay", "jean", "jewel", "jimmy", "kitty",
        "kit", "lark", "laurel", "lee", "liberty", "major", "mason", "melody", "mercy",
        "misty", "nick", "norm", "patience", "pearl", "peg", "piper", "poppy", "precious",
        "prince", "reed", "rich", "robin", "rod", "rowan", "royal", "sage", "skip", "sonny",
        "star", "sterling", "storm", "ted", "verity", "violet", "wade", "warren", "willow",
        "wren", "river", "rocky", "chance", "honor", "honour", "merry", "page", "patsy",
        "pansy", "sunday", "rue", "saffron",
    }
)
# fmt: on
"""Lower-case first names that are also ordinary English words ("hope", "mark", "will").

A single-word name in this set (a first name, nickname or one-word name) is only a finding when
it is capitalised; at the start of a sentence or turn it needs a check."""

# fmt: off
COMMON_WORD_SURNAMES: frozenset[str] = frozenset(
    {
        "baker", "banks", "bell", "best", "bird", "black", "bond", "bright", "brook", "brown",
        "bush", "butcher", "carpenter", "carter", "church", "cook", "cross", "day", "field",
        "fish", "fisher", "fox", "french", "frost", "gardener", "gold", "golden", "green",
        "hall", "hill", "hunt", "king", "knight", "lamb", "lane", "law", "little", "long",
        "marsh", "mills", "moon", "moss", "noble", "page", "park", "pike", "pool", "porter",
        "power", "price", "rice", "sharp", "shepherd", "short", "small", "snow", "stone",
        "storm", "street", "swan", "sweet", "turner", "walker", "ward", "waters", "white",
        "wise", "wolf", "wood", "woods", "young",
    }
)
# fmt: on
"""Lower-case surnames that are also ordinary English words ("green", "hill"): a surname alone in
this set gets the same treatment as a name in ``COMMON_WORD_NAMES``."""

TITLES: tuple[str, ...] = (
    "Professor",
    "Sister",
    "Nurse",
    "Prof",
    "Miss",
    "Mrs",
    "Dr",
    "Mr",
    "Ms",
    "Mx",
)
"""Titles taken into a name finding when directly before the name ("Dr Priya Raman"), and skipped
when picking a person's first name and surname."""

_COMMON = COMMON_WORD_NAMES | COMMON_WORD_SURNAMES

# \w plus the combining marks, so a boundary never falls inside a letter and its accent
_W = r"\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_APOSTROPHES = "'’ʼ"  # noqa: RUF001 - deliberately the straight, curly and modifier apostrophes
_APOS_CLASS = "['’ʼ]"  # noqa: RUF001
_TITLE_BEFORE = re.compile(
    rf"(?<![{_W}])(?:{'|'.join(TITLES)})\.?[ \t\u00a0]{{1,3}}\Z",
)
_TITLE_WINDOW = 16  # longer than the longest title, its dot and three spaces
_SENTENCE_END = ".!?…"
_SKIP_BEFORE_NAME = "\"'”’»([{-–—"  # noqa: RUF001
_OPENING_QUOTES = "“‘«"  # noqa: RUF001

_PATTERN_RANK = {
    "nhs number": 0,
    "number": 1,
    "email": 2,
    "url": 3,
    "date of birth": 4,
    "address": 5,
    "postcode": 6,
    "phone": 7,
}
_DETECTOR_RANK = {"register": 0, "deny-list": 1, "pattern": 2}


# --------------------------------------------------------------------------------------------
# NHS numbers


def nhs_number_valid(digits: str) -> bool:
    """True when ``digits`` is ten ASCII digits with a correct NHS modulus-11 check digit.

    Weights 10, 9, ..., 2 multiply the first nine digits; the check digit is
    ``11 - (sum mod 11)``, where 11 means 0 and 10 means the number is invalid.
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --------------------------------------------------------------------------------------------
# Names


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _is_title(token: str) -> bool:
    return token.rstrip(".") in TITLES


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) <= 1


def _variants(entry: NameEntry) -> list[tuple[str, str]]:
    """(variant, kind) pairs, kind one of full/nick/first/last; NFC, deduplicated, >= 2 chars."""
    name = " ".join(_nfc(entry.name).split())
    found: list[tuple[str, str]] = [(name, "full")]
    if entry.person:
        tokens = name.split()
        while tokens and _is_title(tokens[0]) and len(tokens) > 1:
            tokens = tokens[1:]
        core = [t for t in tokens if not _is_initial(t) and not _is_title(t)]
        found.append((" ".join(tokens), "full"))
        for nick in entry.nicknames:
            found.append((" ".join(_nfc(nick).split()), "nick"))
        if len(core) > 2 and _lower(core[0]).rstrip(".") in ("st", "saint"):
            core = [f"{core[0]} {core[1]}", *core[2:]]  # "St John Smith": first name "St John"
        if core:
            found.append((core[0], "first"))
            found.append((core[-1], "last"))
            if len(core) > 2:
                found.append((f"{core[0]} {core[-1]}", "full"))
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for variant, kind in found:
        key = _key(variant)
        if len(variant) < 2 or key in seen:
            continue
        seen.add(key)
        out.append((variant, kind))
    return out


def _key(variant: str) -> str:
    """What two spellings of one variant share: lower case, one space, one apostrophe, St."""
    words = _lower(variant).split()
    for apostrophe in _APOSTROPHES[1:]:
        words = [w.replace(apostrophe, "'") for w in words]
    if len(words) > 1 and words[0] in ("st", "st.", "saint"):
        words[0] = "st"
    return " ".join(words)


def name_patterns(entry: NameEntry) -> list[str]:
    """The literal strings searched for, in NFC with runs of whitespace made single spaces.

    A person (``person=True``): the full name (also without a leading title), each nickname, the
    first name alone and the surname alone (the last word; titles such as Dr/Mr/Mrs/Ms/Prof and
    single letters are skipped), and "first last" when there are middle names. An organisation
    or place: the whole name only. Variants shorter than two characters are dropped, and so are
    repeats (compared without case).
    """
    return [variant for variant, _ in _variants(entry)]


def _lower(value: str) -> str:
    """Lower case, keeping the length (a character whose lower case is longer stays as it is)."""
    low = value.lower()
    if len(low) == len(value):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in value)


def _atoms(key: str) -> list[list[str]]:
    """The regex atoms for one variant key, one list per spelling ("st" also as "st." and
    "saint"): a literal character, any apostrophe for an apostrophe, any whitespace for a space."""
    words = key.split(" ")
    firsts = [words[0]]
    if len(words) > 1 and words[0] == "st":
        firsts = ["st", "st.", "saint"]
    spellings = []
    for first in firsts:
        atoms: list[str] = []
        for ch in " ".join([first, *words[1:]]):
            if ch == " ":
                atoms.append(r"\s+")
            elif ch == "'":
                atoms.append(_APOS_CLASS)
            else:
                atoms.append(re.escape(ch))
        spellings.append(atoms)
    return spellings


_Trie = dict[str, "_Trie"]


def _trie_regex(spellings: Sequence[Sequence[str]]) -> str:
    """One regex for many atom sequences, sharing common prefixes (so a scan tries few branches
    at each position). A shorter spelling that is a prefix of a longer one is an optional tail,
    and greedy, so the longest spelling is tried first."""
    root: _Trie = {}
    for atoms in spellings:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [atom + emit(child) for atom, child in sorted(node.items()) if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@dataclass(frozen=True)
class _Candidate:
    entry: NameEntry
    kind: str
    order: int

    @property
    def rank(self) -> tuple[int, int, int]:
        kind_rank = {"full": 0, "nick": 1, "first": 2, "last": 3}[self.kind]
        return (kind_rank, _DETECTOR_RANK.get(self.entry.detector, 3), self.order)


def _to_nfc(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """``text`` in NFC, with maps from NFC indexes back to the text's own start/end offsets.

    The maps are ``None`` when the text is already NFC. Otherwise the text is cut before every
    character with combining class 0 and each piece is normalised alone, so each NFC character
    maps to the piece of the original it came from.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            piece = unicodedata.normalize("NFC", text[begin:i])
            pieces.append(piece)
            starts.extend([begin] * len(piece))
            ends.extend([i] * len(piece))
            begin = i
    return "".join(pieces), starts, ends


def _sentence_start(text: str, index: int) -> bool:
    """True when ``index`` starts the text, a sentence (after . ! ? … or a blank line) or quoted
    speech (after an opening quote, which is followed by a capital anyway).

    Whitespace, closing quotes, brackets and dashes just before the word are skipped first."""
    j = index - 1
    while j >= 0:
        ch = text[j]
        if ch in _OPENING_QUOTES:
            return True
        if ch in "\"'" and (j == 0 or text[j - 1].isspace() or text[j - 1] in "([{"):
            return True
        if not (ch.isspace() or ch in _SKIP_BEFORE_NAME):
            break
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END or "\n\n" in text[j + 1 : index]


class NameMatcher:
    """Every name in an entry list compiled into one alternation (a prefix trie, scanned over
    the lower-cased text, which is many times faster than ``re.IGNORECASE``).

    Build once per entry list and call ``find`` for each text. Matching rules:

    * case-insensitive, on word boundaries that know non-ASCII letters and combining marks
      ("Ann" does not match in "Annual"; "Zoë", "Siobhán", "Nguyễn" match), after NFC on both
      sides;
    * possessives ("Siobhán's", also with a curly apostrophe) give a finding on the name only;
      an apostrophe in an entry ("O'Neill", "St Aldhelm's") matches a straight or curly one;
      whitespace inside a name matches any run of whitespace; "St" at the start of a name also
      matches "St." and "Saint" (and the reverse);
    * the longest variant wins at a position ("Ann Goodridge" rather than "Ann");
    * a title directly before the name (Dr, Mr, Mrs, Ms, Miss, Mx, Prof, Professor, Sister,
      Nurse; capitalised, with an optional dot) is part of the finding;
    * a single-word variant that is an ordinary word (``COMMON_WORD_NAMES``,
      ``COMMON_WORD_SURNAMES``) is no finding in lower case, "high" when capitalised inside a
      sentence or after a title, and "check" when capitalised at the start of a sentence or
      turn. Multi-word names are "high" in any case;
    * a variant shared by entries with different replacements gives the most specific entry
      (whole name, then nickname, first name, surname; then register before deny-list; then
      list order) with confidence "check".
    """

    def __init__(self, entries: Sequence[NameEntry]) -> None:
        self.entries: tuple[NameEntry, ...] = tuple(entries)
        by_key: dict[str, list[_Candidate]] = {}
        for order, entry in enumerate(self.entries):
            for variant, kind in _variants(entry):
                by_key.setdefault(_key(variant), []).append(_Candidate(entry, kind, order))
        self._by_key = {key: sorted(cands, key=lambda c: c.rank) for key, cands in by_key.items()}
        spellings = [atoms for key in self._by_key for atoms in _atoms(key)]
        self._regex: re.Pattern[str] | None = None
        if spellings:
            # scanned over lower-cased text, case-sensitively: far faster than IGNORECASE
            self._regex = re.compile(rf"(?<![{_W}])(?:{_trie_regex(spellings)})(?![{_W}])")

    def find(self, text: str) -> list[Finding]:
        """Name findings in ``text``, sorted by start, not yet resolved against each other."""
        if self._regex is None:
            return []
        nfc, start_map, end_map = _to_nfc(text)
        findings: list[Finding] = []
        for match in self._regex.finditer(_lower(nfc)):
            key = _key(match.group())
            candidates = self._by_key.get(key)
            if not candidates:  # pragma: no cover - every spelling comes from a key
                continue
            best = candidates[0]
            start, end = match.span()
            confidence, notes = "high", []
            title = (
                _TITLE_BEFORE.search(nfc[max(0, start - _TITLE_WINDOW) : start])
                if best.entry.person
                else None
            )
            if " " not in key and key in _COMMON and title is None:
                word = nfc[start:end]
                if not word[0].isupper():
                    continue  # "I hope that", "mark my words"
                if _sentence_start(nfc, start):
                    confidence = "check"
                    notes.append(
                        f'"{word}" is also an ordinary word and starts a sentence here; '
                        "check that it is the name"
                    )
            if title is not None:
                start -= len(title.group())
            replacements = sorted({c.entry.replacement for c in candidates})
            if len(replacements) > 1:
                confidence = "check"
                notes.append(f"could be any of {', '.join(replacements)}")
            if start_map is not None and end_map is not None:
                start, end = start_map[start], end_map[end - 1]
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    text=text[start:end],
                    category=best.entry.category,
                    detector=best.entry.detector,
                    replacement=best.entry.replacement,
                    confidence=confidence,
                    note="; ".join(notes),
                )
            )
        return findings


@functools.lru_cache(maxsize=32)
def _matcher(entries: tuple[NameEntry, ...]) -> NameMatcher:
    return NameMatcher(entries)


def find_names(text: str, entries: Sequence[NameEntry]) -> list[Finding]:
    """Register and deny-list findings in ``text``; see ``NameMatcher`` for the rules.

    The compiled alternation is cached per entry list (an entry list is hashed on each call; a
    hot loop can hold a ``NameMatcher`` instead). Findings are sorted by start; one regex scan
    takes the longest variant at each position, so names do not overlap each other, but they
    may overlap pattern findings: ``detect`` resolves that."""
    return _matcher(tuple(entries)).find(text)


# --------------------------------------------------------------------------------------------
# Patterns

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])",
)
_URL = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"’”)]}"  # noqa: RUF001

# UK national numbers: 0 then 9 or 10 more digits, single spaces or hyphens between any digits,
# or an area code in brackets; international: + country code then 7 to 14 digits.
_UK_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[ -])"
    r"(?:\(0\d{2,4}\)[ -]?\d(?:[ -]?\d){4,7}|0[1-9](?:[ -]?\d){8,9})"
    r"(?![ -]?\d)(?!\w)"
)
_INTL_PHONE = re.compile(
    r"(?<![\w+])\+[1-9]\d{0,2}[ -]?(?:\(0\)[ -]?)?\d(?:[ -]?\d){6,13}(?![ -]?\d)(?!\w)"
)
_TEN_DIGITS = re.compile(r"(?<![\w+])(?<!\d[ -])\d{3}([ -]?)\d{3}\1\d{4}(?![ -]?\d)(?!\w)")

_POSTCODE = re.compile(
    r"(?<!\w)"
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]|[A-HK-Y]?\d{1,2})|GIR)"
    r"[ \t]?\d[ABD-HJLNP-UW-Z]{2}(?!\w)",
    re.IGNORECASE,
)

# fmt: off
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Rd", "Street", "St", "Lane", "Ln", "Avenue", "Ave", "Close", "Drive", "Way",
    "Crescent", "Place", "Terrace", "Gardens", "Court", "Row", "Rise", "Grove", "Hill", "Mews",
    "Walk", "Square", "View",
)
# fmt: on
"""Street suffixes for the address pattern: a house number, one to three capitalised words, a suffix."""
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"  # noqa: RUF001
_ADDRESS = re.compile(
    rf"(?<!\w)\d{{1,4}}[A-Za-z]?,?[ \t]+(?:{_CAP_WORD}[ \t]+){{1,3}}"
    rf"(?:{'|'.join(STREET_SUFFIXES)})(?!\w)"
)

_DOB_CUE = re.compile(
    r"(?<!\w)(?:born[ \t]+(?:on|in)|date[ \t]+of[ \t]+birth|d\.o\.b\.?|dob|birth[ \t]?day)(?!\w)",
    re.IGNORECASE,
)
_DOB_WINDOW = 40
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_SP = r"[ \t]+"
_DATE = re.compile(
    rf"(?<!\w)(?:"
    rf"(?:the{_SP})?{_DAY}(?:{_SP}of)?{_SP}{_MONTH}(?:,?{_SP}{_YEAR})?"  # the 9th of March 1962
    rf"|{_MONTH}{_SP}(?:the{_SP})?{_DAY},?{_SP}{_YEAR}"  # March 9th, 1962
    rf"|\d{{1,2}}([/.-])\d{{1,2}}\1(?:\d{{4}}|\d{{2}})"  # 14/02/1975
    rf"|{_MONTH}{_SP}{_YEAR}"  # March 1962
    rf")(?!\w)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def _pattern(match: re.Match[str] | tuple[int, int], text: str, category: str) -> Finding:
    start, end = match if isinstance(match, tuple) else match.span()
    label = {
        "email": "[Email address]",
        "phone": "[Phone number]",
        "nhs number": "[NHS number]",
        "number": "[Number]",
        "postcode": "[Postcode]",
        "address": "[Address]",
        "date of birth": "[Date of birth]",
        "url": "[URL]",
    }[category]
    return Finding(start, end, text[start:end], category, "pattern", label, "high")


def _url_end(url: str) -> int:
    """Length of ``url`` without trailing punctuation (a ``)`` stays if it closes a ``(``)."""
    end = len(url)
    opened, closed = url.count("("), url.count(")")
    while end and url[end - 1] in _URL_TRAILING:
        if url[end - 1] == ")":
            if opened >= closed:
                break
            closed -= 1
        end -= 1
    return end


def find_patterns(text: str) -> list[Finding]:
    """Identifiers found by shape, all with detector "pattern", sorted by start. May overlap.

    * email: ``local@domain.tld``.
    * url: ``http://``, ``https://`` or ``www.`` up to whitespace, minus trailing punctuation.
    * phone: UK numbers starting 0 with 10 or 11 digits ("07700 900412", "01632 960587",
      "020 7946 0018", "(01632) 960587"), spaces or hyphens between digits or none; and "+"
      with a country code and 7 to 14 digits ("+44 7700 900412", "+1 555 0100 123"). Years
      and times are never phone numbers (no leading 0 or +).
    * nhs number: ten digits as 3-3-4 (one kind of separator: space, hyphen or none) with a valid
      modulus-11 check digit, "high"; the same shape with a wrong check digit is category
      "number", confidence "check".
    * postcode: a full UK postcode on word boundaries, in any case ("BS99 4QT", "sw1a 1aa").
      One not in capitals is "check": lower-case text such as "m4 3rd" can look like one.
    * address: a house number, one to three capitalised words and a street suffix
      ("7 Orchard Rise"; suffixes in ``STREET_SUFFIXES``).
    * date of birth: a date starting within 40 characters after a birth cue ("born on",
      "born in", "date of birth", "DOB", "D.O.B.", "birthday"). Dates: "14/02/1975",
      "14-02-1975", "the 9th of March 1962", "9 March 1962", "March 9th, 1962", "3rd May 1961",
      and "March 1962". The finding covers the date, not the cue. A date with no cue is no
      finding.
    """
    findings: list[Finding] = []
    if "@" in text:
        findings.extend(_pattern(m, text, "email") for m in _EMAIL.finditer(text))
    lower = text.lower()
    if "://" in text or "www." in lower:
        for m in _URL.finditer(text):
            end = m.start() + _url_end(m.group())
            findings.append(_pattern((m.start(), end), text, "url"))
    if _DIGIT.search(text) is None:
        return sorted(findings, key=lambda f: (f.start, f.end))
    for m in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if nhs_number_valid(digits):
            findings.append(_pattern(m, text, "nhs number"))
        else:
            findings.append(
                replace(
                    _pattern(m, text, "number"),
                    confidence="check",
                    note="10 digits like an NHS number, but the check digit is wrong",
                )
            )
    for m in _UK_PHONE.finditer(text):
        if len(re.sub(r"\D", "", m.group())) in (10, 11):
            findings.append(_pattern(m, text, "phone"))
    findings.extend(_pattern(m, text, "phone") for m in _INTL_PHONE.finditer(text))
    for m in _POSTCODE.finditer(text):
        finding = _pattern(m, text, "postcode")
        if not m.group().isupper():
            note = "looks like a postcode but is not in capitals"
            finding = replace(finding, confidence="check", note=note)
        findings.append(finding)
    findings.extend(_pattern(m, text, "address") for m in _ADDRESS.finditer(text))
    if "born" in lower or "birth" in lower or "dob" in lower or "d.o.b" in lower:
        seen: set[tuple[int, int]] = set()
        for cue in _DOB_CUE.finditer(text):
            date = _DATE.search(text, cue.end(), cue.end() + _DOB_WINDOW + 40)
            if date is None or date.start() - cue.end() > _DOB_WINDOW or date.span() in seen:
                continue
            seen.add(date.span())
            findings.append(_pattern(date, text, "date of birth"))
    return sorted(findings, key=lambda f: (f.start, f.end))


# --------------------------------------------------------------------------------------------
# Overlaps


def _priority(finding: Finding) -> tuple[int, int, int, int, int]:
    return (
        -(finding.end - finding.start),
        _DETECTOR_RANK.get(finding.detector, 3),
        _PATTERN_RANK.get(finding.category, 8) if finding.detector == "pattern" else 0,
        0 if finding.confidence == "high" else 1,
        finding.start,
    )


def _resolve_group(group: list[Finding]) -> Finding:
    winner = min(group, key=_priority)
    start = min(f.start for f in group)
    end = max(f.end for f in group)
    if (winner.start, winner.end) == (start, end):
        return winner
    chars: list[str | None] = [None] * (end - start)
    for finding in sorted(group, key=_priority):
        for i, ch in enumerate(finding.text[: finding.end - finding.start]):
            if chars[finding.start - start + i] is None:
                chars[finding.start - start + i] = ch
    others = sorted({f.category for f in group if f is not winner})
    note = f"widened to cover an overlapping {' / '.join(others)} finding"
    return Finding(
        start=start,
        end=end,
        text="".join(ch or "" for ch in chars),
        category=winner.category,
        detector=winner.detector,
        replacement=winner.replacement,
        confidence="check",
        note=f"{winner.note}; {note}" if winner.note else note,
    )


def resolve_overlaps(findings: Sequence[Finding]) -> list[Finding]:
    """A non-overlapping set, sorted by start.

    Findings that overlap (directly or through a chain) form a group, and the group keeps its
    best finding: the longest; at equal length the more trusted detector (register, then
    deny-list, then pattern); among patterns an NHS number or 10-digit number before a phone
    number (then email, url, date of birth, address, postcode); then "high" before "check";
    then the earlier. When the best finding does not cover the whole group (a partial overlap),
    it is widened to the group's span, keeping its category and replacement, with confidence
    "check" and a note: so no finding is dropped unless the kept one covers its start (indeed
    all of it). Findings touching end to start do not overlap. Empty findings are ignored.
    """
    ordered = sorted((f for f in findings if f.end > f.start), key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    group: list[Finding] = []
    group_end = -1
    for finding in ordered:
        if group and finding.start >= group_end:
            out.append(_resolve_group(group))
            group = []
        group.append(finding)
        group_end = max(group_end, finding.end) if len(group) > 1 else finding.end
    if group:
        out.append(_resolve_group(group))
    return out


def detect(text: str, entries: Sequence[NameEntry]) -> list[Finding]:
    """All identifiers in ``text``: ``find_names`` plus ``find_patterns``, then
    ``resolve_overlaps``. Non-overlapping and sorted by start."""
    return resolve_overlaps(find_names(text, entries) + find_patterns(text))
