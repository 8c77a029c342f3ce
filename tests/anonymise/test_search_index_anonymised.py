"""After anonymisation the search index holds none of the original words (it is rebuilt from
the anonymised text, and the old index's pages are scrubbed with the rest of the file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from thematica.anonymise.keyfile import default_key_path
from thematica.cli.main import cli
from thematica.service import StudyService
from thematica.service.anonymising import AnonymisingStudy
from thematica.words import fold, words

LEAD = "Rachel Ames"


def vocabulary(path: Path) -> set[str]:
    """Every term in the SQLite FTS5 index, read with ``fts5vocab``."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_turns, 'row')")
        return {term for (term,) in conn.execute("SELECT term FROM temp.vocab")}
    finally:
        conn.close()


def test_the_index_forgets_original_words(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["demo", str(tmp_path)])
    demo = tmp_path / "demo.thematica"
    with StudyService.open(str(demo)) as study:
        anon = AnonymisingStudy(study, default_key_path(str(demo)))
        anon.scan()
        anon.decide(LEAD, accept_all=True)
        originals = {f.original for f in anon.findings("accepted")}
    names = {fold(o) for o in originals if o.isalpha() and len(o) >= 4}
    indexed = names & vocabulary(demo)
    assert len(indexed) > 10  # the index held them: the check below means something
    with StudyService.open(str(demo)) as study:
        probe = sorted(indexed)[0]
        assert study.search(probe).hits
        AnonymisingStudy(study, default_key_path(str(demo))).apply(LEAD, pending="skip")
        kept = {
            w.folded for t in study.transcripts() for w in words(study.transcript(str(t.id)).text)
        }
    left = vocabulary(demo)
    assert sorted(w for w in indexed if w in left and w not in kept) == []
    assert "participant" in left or len(left) > 100  # the index was rebuilt, not just emptied
    with StudyService.open(str(demo)) as study:
        assert study.search("pain").hits


def test_the_check_covers_memos_and_journal_entries(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["demo", str(tmp_path)])
    demo = tmp_path / "demo.thematica"
    with StudyService.open(str(demo)) as study:
        code = study.codes()[0].id
        study.add_memo(f"code:{code}", "Gareth Powell put it best.", by=LEAD)
        study.add_journal_entry("Rang 07700 900412 today.", by="Tom Okafor", kind="field-note")
        found = AnonymisingStudy(study, default_key_path(str(demo))).check()
    places = {(r.where.split(" [")[0], r.text) for r in found}
    assert any(w == "memo 1" and "Gareth" in t for w, t in places), places
    assert ("journal entry 1", "07700 900412") in places
