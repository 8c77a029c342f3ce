"""Issue 11, items 1 and 2, at the service: a transcript is open to members who see anonymised
text only when it is fully anonymised (scanned, no finding pending, every accepted finding
applied, a clean residual check), and an ``apply`` interrupted between the key file's commit and
the study's is finished by the next one. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from thematica.domain import AnonymisationState, Level, MemberRole, Stance
from thematica.errors import AccessDenied, ThematicaError
from thematica.importers.codebook import read_codebook
from thematica.service import StudyService, TranscriptSource
from thematica.service.anonymising import AnonymisingStudy

LEAD, READER, SENIOR = "Rachel Ames", "Helen Marsh", "Sam Senior"
ONE = (
    "Interviewer: How do you find the clinic?\n\n"
    "Gareth Powell: Write to gareth.powell@example.org or ask Marcus Lowe, he knows.\n"
)
TWO = "Interviewer: Anything else?\n\nGareth Powell: Ring me on 07700 900412 any time.\n"
IDENTITIES = b"label,real_name\nPhysio 1,Gareth Powell\nInterviewer A,Rachel Ames\n"
DENY = b"term,category\nMarcus Lowe,colleague\n"


@pytest.fixture
def anon(study: StudyService, tmp_path: Path) -> AnonymisingStudy:
    study.add_team_member(LEAD, MemberRole.LEAD)
    study.add_team_member(READER, MemberRole.READER)
    study.add_team_member(SENIOR, MemberRole.CODER, anonymised_only=True)
    study.import_transcripts(
        [
            TranscriptSource("one.txt", partial(bytes, ONE.encode())),
            TranscriptSource("two.txt", partial(bytes, TWO.encode())),
        ]
    )
    anon = AnonymisingStudy(study, tmp_path / "study.thematica-key")
    anon.import_identities(IDENTITIES, "identities.csv")
    anon.import_deny_list(DENY, "deny.csv")
    return anon


def texts(study: StudyService) -> str:
    return "\n".join(study.transcript(str(t.id)).text for t in study.transcripts())


def test_one_apply_of_one_category_opens_no_transcript(
    study: StudyService, anon: AnonymisingStudy
) -> None:
    anon.scan()
    anon.decide(LEAD, accept_categories=["email"])
    anon.apply(LEAD, pending="skip")
    assert "gareth.powell@example.org" not in texts(study)
    # both transcripts still hold originals, with findings pending: neither is anonymised
    assert study.anonymised_transcripts() == set()
    states = study.anonymisation_states()
    assert set(states.values()) == {AnonymisationState.PARTLY}
    for member in (READER, SENIOR):
        assert study.readable_transcripts(member) == set()
        for t in study.transcripts():
            with pytest.raises(AccessDenied, match="not fully anonymised"):
                study.transcript(str(t.id), visible_to=member)
    assert study.readable_transcripts(LEAD) is None  # a lead sees every transcript
    assert "Marcus Lowe" in study.transcript("1", visible_to=LEAD).text
    # the pending findings of the transcript that was edited survive the apply, moved with it
    pending = anon.findings("pending")
    assert {f.original for f in pending} >= {"Marcus Lowe", "07700 900412"}
    for f in pending:
        assert study.transcript(str(f.transcript_id)).text[f.start : f.end] == f.original


def test_fully_anonymised_transcripts_open_one_by_one(
    study: StudyService, anon: AnonymisingStudy
) -> None:
    anon.scan(["1"])  # transcript 2 is never scanned
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    assert study.anonymisation_states() == {
        1: AnonymisationState.ANONYMISED,
        2: AnonymisationState.PARTLY,  # its speaker was renamed, its phone number was not
    }
    assert study.readable_transcripts(READER) == {1}
    shown = study.transcript("1", visible_to=READER).text
    assert "Marcus Lowe" not in shown and "Gareth" not in shown
    with pytest.raises(AccessDenied):
        study.transcript("2", visible_to=SENIOR)
    anon.scan(["2"])
    assert study.anonymised_transcripts() == {1}  # scanned, not yet reviewed and applied
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    assert study.anonymised_transcripts() == {1, 2}
    assert anon.check() == []


def test_a_new_deny_term_closes_a_transcript_until_it_is_applied(
    study: StudyService, anon: AnonymisingStudy
) -> None:
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    assert study.anonymised_transcripts() == {1, 2}
    anon.import_deny_list(b"term,category\nclinic,place\n", "more.csv")
    assert study.anonymised_transcripts() == {2}  # "clinic" is in transcript 1: residue
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    assert study.anonymised_transcripts() == {1, 2}


class Crash(BaseException):
    """Stands for the process dying: not an error anything should catch and handle."""


@contextmanager
def crash_after_key_commit(study: StudyService) -> Iterator[None]:
    """The first study commit after the key file has begun committing dies, once."""
    state = {"key": False, "done": False}

    def on_commit(conn: Any) -> None:
        engine: Engine = conn.engine
        if engine.url.database and str(engine.url.database).endswith("-key"):
            state["key"] = True
        elif engine is study.engine and state["key"] and not state["done"]:
            state["done"] = True
            raise Crash

    event.listen(Engine, "commit", on_commit)
    try:
        yield
    finally:
        event.remove(Engine, "commit", on_commit)


def test_a_crash_between_the_key_and_the_study_is_finished_by_the_next_apply(
    study: StudyService, anon: AnonymisingStudy
) -> None:
    anon.scan()
    anon.decide(LEAD, accept_all=True)
    accepted = len(anon.findings("accepted"))
    with pytest.raises(Crash), crash_after_key_commit(study):
        anon.apply(LEAD, pending="skip")
    assert "Marcus Lowe" in texts(study)  # the study still holds the originals ...
    assert study.anonymised_transcripts() == set()  # ... and nobody reading sees them
    # the key must not claim otherwise: the findings are still there to apply
    assert len(anon.findings("accepted")) == accepted
    report = anon.apply(LEAD, pending="skip")
    assert report.replacements == accepted
    assert "Marcus Lowe" not in texts(study) and "07700" not in texts(study)
    assert anon.check() == []
    assert study.anonymised_transcripts() == {1, 2}
    restored = anon.original("1", 0, len(study.transcript("1").text), LEAD)[1]
    assert "Marcus Lowe" in restored  # every pseudonym's original is kept in the key


def test_migration_0008_goes_down_and_up_keeping_the_study(
    study: StudyService, anon: AnonymisingStudy, location: str
) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from thematica.storage.database import _config, make_engine, upgrade

    anon.scan()
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    before = texts(study)
    study.close()
    engine = make_engine(location)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
                conn.commit()
            with conn.begin():
                command.downgrade(_config(conn), "0007")
        names = inspect(engine).get_table_names()
        columns = {c["name"] for c in inspect(engine).get_columns("transcripts")}
        assert "anonymisation_runs" not in names and "anonymisation" not in columns
        upgrade(engine)
    finally:
        engine.dispose()
    with StudyService.open(location) as again:
        assert texts(again) == before and len(again.codings()) == len(study.codings())
        # what the study alone cannot know is closed until a scan and apply with the key
        assert again.anonymised_transcripts() == set()
        anon_again = AnonymisingStudy(again, anon.key_path)
        anon_again.apply(LEAD, pending="skip")
        assert again.anonymised_transcripts() == set()  # never scanned at this revision
        assert anon_again.scan().findings == 0
        anon_again.apply(LEAD, pending="skip")
        assert again.anonymised_transcripts() == {1, 2}


def test_a_refused_apply_leaves_both_files_as_they_were(
    study: StudyService, anon: AnonymisingStudy, location: str
) -> None:
    import sqlite3

    from tests.anonymise.test_anonymise_study import snapshot_key
    from tests.conftest import snapshot

    anon.scan()
    anon.decide(LEAD, accept_all=True)
    conn = sqlite3.connect(anon.key_path)  # two accepted findings that overlap: refused
    conn.execute('UPDATE findings SET "end" = "end" + 3 WHERE id = (SELECT min(id) FROM findings)')
    conn.execute(
        'INSERT INTO findings (transcript_id, start, "end", original, category, detector, '
        'replacement, confidence, note, status) SELECT transcript_id, start + 1, "end", '
        "original, category, detector, replacement, confidence, note, 'accepted' "
        "FROM findings WHERE id = (SELECT min(id) FROM findings)"
    )
    conn.commit()
    conn.close()
    before_study, before_key = snapshot(location), snapshot_key(anon.key_path)
    with pytest.raises(ThematicaError, match="no longer matches|overlap"):
        anon.apply(LEAD, pending="skip")
    assert snapshot(location) == before_study and snapshot_key(anon.key_path) == before_key
    assert sorted(p.name for p in anon.key_path.parent.iterdir() if "-key" in p.name) == [
        "study.thematica-key",
        "study.thematica-key.lock",
    ]


def test_codings_and_quotes_withhold_text_the_member_may_not_read(
    study: StudyService, anon: AnonymisingStudy
) -> None:
    """Called without the web layer: the service itself empties the text and memo of codings
    in a transcript a reader may not read, in lists and in a theme's quotes."""
    study.import_codebook(read_codebook(b"path\nContact\n", "codebook.csv"), source="codebook.csv")
    text = study.transcript("1").text
    start = text.index("Marcus Lowe")
    study.add_coding(
        "1",
        ("Contact",),
        LEAD,
        start,
        start + len("Marcus Lowe"),
        level=Level.ONE,
        memo="Marcus again",
    )
    node = study.add_theme("Reaching people", by=LEAD)
    (code,) = [c for c in study.codes(Level.ONE) if c.path == ("Contact",)]
    study.assign_code(node, code.id, by=LEAD, stance=Stance.SUPPORTS)
    anon.scan()
    anon.decide(LEAD, accept_categories=["email"])
    anon.apply(LEAD, pending="skip")  # transcript 1 still holds "Marcus Lowe": not readable
    for member in (READER, SENIOR):
        (coding,) = study.codings(visible_to=member)
        assert coding.text == "" and coding.memo is None
        (quote,) = study.theme_quotes(node, visible_to=member)
        assert quote.coding.text == "" and quote.coding.memo is None
    (lead_view,) = study.codings(visible_to=LEAD)
    # the text waits for review; the memo is the team's, rewritten with the deny-list (issue 10)
    assert lead_view.text == "Marcus Lowe" and lead_view.memo == "[Colleague 1] again"
