"""The optional spaCy detector, with a stand-in pipeline (spaCy itself is not installed in CI)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from thematica.anonymise import ner
from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.errors import ThematicaError
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy


@dataclass
class Ent:
    start_char: int
    end_char: int
    label_: str
    text: str


class FakeNlp:
    """Marks every occurrence of a few words as entities, like a (very small) spaCy model."""

    def __init__(self, words: dict[str, str] | None = None) -> None:
        self.words = words or {
            "Bethany": "PERSON",
            "Swindon": "GPE",
            "Jobcentre": "ORG",
            "Tuesday": "DATE",
        }

    def __call__(self, text: str) -> object:
        ents = []
        for word, label in self.words.items():
            at = text.find(word)
            while at != -1:
                ents.append(Ent(at, at + len(word), label, word))
                at = text.find(word, at + 1)
        return type("Doc", (), {"ents": ents})()


def test_entities_become_findings_to_check() -> None:
    found = ner.findings(
        FakeNlp(), "Bethany moved to Swindon and went to the Jobcentre on Tuesday."
    )
    assert [(f.text, f.category, f.replacement, f.detector, f.confidence) for f in found] == [
        ("Bethany", "person", "[Person]", "ner", "check"),
        ("Swindon", "place", "[Place]", "ner", "check"),
        ("Jobcentre", "organisation", "[Organisation]", "ner", "check"),
    ]  # dates are left to the date-of-birth pattern


def test_missing_spacy_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy":
            raise ImportError("no spacy")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    with pytest.raises(ThematicaError, match=r"pip install 'thematica\[ner\]'"):
        ner.load()


def test_scan_with_ner_adds_what_no_list_names(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["demo", str(tmp_path)])
    study_path = tmp_path / "demo.thematica"
    with StudyService.open(str(study_path)) as study:
        first = study.transcript("1")
        word = first.turns[1].text.split()[0].strip(",.")
        anon = AnonymisingStudy(study, default_key_path(str(study_path)))
        without = anon.scan()
        with_ner = anon.scan(ner=FakeNlp({word: "PERSON"}))
        ner_found = [f for f in anon.findings() if f.detector == "ner"]
    assert with_ner.findings > without.findings and ner_found
    assert all(f.confidence == "check" for f in ner_found)
    shutil.rmtree(tmp_path)
