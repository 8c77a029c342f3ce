"""What the recruitment log refuses to hold: contact details. A candidate is named by a short
pseudonymous id, and a value that looks like an e-mail address or a telephone number is refused
everywhere in the log (contact details belong in the key file, never in the study)."""

from __future__ import annotations

import re

from thematica.errors import ThematicaError

REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}")
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
PHONE = re.compile(r"\+?\d(?:[ \-]?\d){8,}")
CONTACT = "contact details stay in the key file, never in the study"
MAX_TEXT = 200


def no_contact(what: str, value: str) -> str:
    """``value`` stripped, or a :class:`ThematicaError` if it looks like contact details."""
    value = " ".join(value.split())
    if EMAIL.search(value):
        raise ThematicaError(f"{what} looks like an e-mail address: {CONTACT}")
    if PHONE.search(value):
        raise ThematicaError(f"{what} looks like a telephone number: {CONTACT}")
    if len(value) > MAX_TEXT:
        raise ThematicaError(f"{what} is at most {MAX_TEXT} characters")
    return value


def check_ref(ref: str) -> str:
    ref = " ".join(ref.split())
    if "@" in ref:
        raise ThematicaError(f"candidate id {ref!r} looks like an e-mail address: {CONTACT}")
    if not REF.fullmatch(ref):
        raise ThematicaError(
            f"candidate id {ref!r}: use a pseudonymous id of letters, digits, spaces, '.', '_' "
            "or '-' (at most 64), such as C07"
        )
    if sum(ch.isdigit() for ch in ref) >= 7 and not any(ch.isalpha() for ch in ref):
        raise ThematicaError(f"candidate id {ref!r} looks like a telephone number: {CONTACT}")
    return ref
