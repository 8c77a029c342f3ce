"""A participant's withdrawal (issue 18, item 3) on the demo study: their words leave the file
and its write-ahead log, the counts equal those of a study built without them, one audit line
stays, an unconfirmed withdrawal changes nothing, and bad input is refused. SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import snapshot
from tests.withdrawal.world import (
    CODER,
    LEAD,
    READER,
    WHO,
    build,
    data_without,
    file_bytes,
    found_in,
    windows,
)
from thematica.domain import Level, Participant, Register
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.report.data import gather
from thematica.report.findings import findings
from thematica.service import StudyService
from thematica.service.withdrawal_quotes import REMOVED
from thematica.storage.database import make_engine
from thematica.storage.models import Base
from thematica.words import words


@pytest.fixture
def demo(location: str, tmp_path: Path) -> Iterator[tuple[StudyService, Path]]:
    key = tmp_path / "demo.thematica-key"
    study = build(location, key=key)
    yield study, key
    study.close()


@pytest.fixture(scope="module")
def without(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo built from its own data without the participant who withdraws (SQLite)."""
    folder = tmp_path_factory.mktemp("without")
    path = folder / "without.thematica"
    build(str(path), data_without(folder, WHO)).close()
    yield path


def vocabulary(path: Path) -> set[str]:
    """Every term in the SQLite FTS5 index, read with ``fts5vocab``."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_turns, 'row')")
        return {term for (term,) in conn.execute("SELECT term FROM temp.vocab")}
    finally:
        conn.close()


def their_text(study: StudyService) -> str:
    return study.transcript(WHO).text


def add_notes(study: StudyService, quoted: str) -> None:
    """A memo on a code quoting them, a journal entry quoting them and linked to their
    transcript, and a memo on their transcript."""
    code = next(c.id for c in study.codes(Level.TWO))
    study.add_memo(f"code:{code}", f'Compare: "{quoted}" (strong).', by=LEAD)
    study.add_journal_entry(
        f"After the interview I kept thinking of {quoted}", by=LEAD, transcripts=[WHO]
    )
    study.add_memo(f"transcript:{WHO}", "A long interview, lots of detail.", by=CODER)


def participant_words(study: StudyService, words: int = 14) -> str:
    """Some words of theirs no other interview has (from a participant turn)."""
    t = study.transcript(WHO)
    turn = max((u for u in t.turns if u.role.value == "participant"), key=lambda u: len(u.text))
    return " ".join(turn.text.split()[:words])


def test_withdraw_leaves_none_of_their_words_in_the_file_or_its_log(
    tmp_path: Path, without: Path
) -> None:
    path, key = tmp_path / "demo.thematica", tmp_path / "demo.thematica-key"
    study = build(str(path), key=key)
    mine = their_text(study)
    quoted = participant_words(study)
    add_notes(study, quoted)
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    assert {q.where.split()[0] for q in plan.quotes} == {"memo", "journal"}
    assert plan.transcript_memos == 1 and plan.journal_links == 1
    assert plan.key is not None and plan.key.identities == 1
    done = study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint, reason="ill-health", key_path=key)
    assert done.scrubbed
    # the study still open (as the workbench keeps it): the file and its -wal, as grep reads them
    runs = windows(mine)
    allowed = found_in(file_bytes(without), runs)  # a guide question the interviewer read out
    assert len(allowed) < len(runs) / 10
    assert found_in(file_bytes(path), runs) - allowed == set()
    assert quoted.encode() not in file_bytes(path)
    memos = [m.text for m in study.memos()]
    assert any(REMOVED in m for m in memos)
    assert all(quoted not in m for m in memos)
    assert b"Stuart Hollis" not in key.read_bytes()  # their real name, in the key file
    study.close()
    assert found_in(file_bytes(path), runs) - allowed == set()


def test_the_search_index_forgets_their_words(tmp_path: Path) -> None:
    path = tmp_path / "demo.thematica"
    study = build(str(path))
    quoted = participant_words(study, 6)
    assert study.search(f'"{quoted}"').hits
    plan = study.withdrawal_plan(WHO, by=LEAD)
    mine = {w.folded for w in words(their_text(study))}
    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint)
    assert not study.search(f'"{quoted}"').hits
    kept = {w.folded for t in study.transcripts() for w in words(study.transcript(str(t.id)).text)}
    only_theirs = mine - kept
    assert len(only_theirs) > 20  # words no other interview has: the check means something
    assert only_theirs & vocabulary(path) == set()
    assert study.search("pain").hits  # rebuilt, not emptied
    study.close()


def _counts(study: StudyService, level: Level) -> object:
    found = study.counts(level=level)
    return (
        found.total,
        found.participants,
        [(t.path, t.rolled_up, t.total, t.supporters, t.divergent) for t in found.themes],
        [(c.path, c.rolled_up, c.total, c.supporters) for c in found.codes],
    )


def _saturation(study: StudyService) -> object:
    report = study.saturation(level=Level.ONE)
    steps = [replace(step, transcript_id=0) for step in report.interviews]
    return steps, report.guest, report.francis, report.not_yet_coded


def test_counts_saturation_and_report_equal_a_study_built_without_them(
    demo: tuple[StudyService, Path], without: Path
) -> None:
    study, key = demo
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint, key_path=key)
    with StudyService.open(str(without)) as other:
        for level in (Level.ONE, Level.TWO):
            assert _counts(study, level) == _counts(other, level)
        assert _saturation(study) == _saturation(other)
        assert [p.label for p in study.participants()] == [p.label for p in other.participants()]
        assert findings(gather(study)) == findings(gather(other))
    # what the plan said the counts would become is what they became
    after = {t.path: (t.rolled_up, t.total) for t in study.counts(level=Level.TWO).themes}
    assert plan.themes and all(after[c.path] == c.after for c in plan.themes)
    assert plan.participants_after == study.counts(level=Level.TWO).total == 9


def test_the_audit_keeps_one_line_and_no_pointer_to_them(
    demo: tuple[StudyService, Path],
) -> None:
    study, key = demo
    tid = study.transcript(WHO).id
    coding = study.add_coding(WHO, ("Role", "Stick to the body"), CODER, 0, 5)
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint, reason="distress", key_path=key)
    entries = study.audit_log().entries
    line = [e for e in entries if e.action == "participant.withdraw"]
    assert len(line) == 1
    assert (line[0].actor, line[0].details["label"], line[0].details["reason"]) == (
        LEAD,
        WHO,
        "distress",
    )
    assert line[0].at.date() == study.withdrawals()[0].withdrawn_at.date()
    for e in entries:
        assert e.target not in (f"transcript {tid}", f"coding {coding}"), e
        assert e.details.get("transcript_id") != tid
        assert tid not in e.details.get("transcript_ids", [])
    assert [(w.label, w.withdrawn_by, w.reason) for w in study.withdrawals()] == [
        (WHO, LEAD, "distress")
    ]


def test_postgres_no_row_refers_to_them(postgres_location: str, tmp_path: Path) -> None:
    study = build(postgres_location)
    mine = their_text(study)
    tid = study.transcript(WHO).id
    pid_engine = make_engine(postgres_location)
    with pid_engine.connect() as conn:
        pid = conn.execute(
            text("SELECT id FROM participants WHERE label = :l"), {"l": WHO}
        ).scalar()
        their_turns = list(
            conn.execute(
                text("SELECT id FROM turns WHERE transcript_id = :t"), {"t": tid}
            ).scalars()
        )
    add_notes(study, participant_words(study))
    plan = study.withdrawal_plan(WHO, by=LEAD)
    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint)
    rows = snapshot(postgres_location)
    shared = " ".join(
        " ".join(study.transcript(str(t.id)).text.split()) for t in study.transcripts()
    ) + " ".join(q.text for q in study.guide())
    runs = {run for run in windows(mine) if " ".join(run) not in shared}  # theirs alone
    assert len(runs) > 1000
    for table, found in rows.items():
        for row in found:
            cells = [c for c in row if isinstance(c, str)]
            if table == "withdrawals" or (table == "audit_log" and "participant.withdraw" in row):
                continue
            assert not any(WHO in c for c in cells), (table, row)
            for cell in cells:
                assert not any(" ".join(run) in " ".join(cell.split()) for run in runs), table
    assert not [r for r in rows["transcripts"] if r[0] == tid]
    with pid_engine.connect() as conn:  # no column that points at a transcript names theirs
        for table in Base.metadata.sorted_tables:
            if "transcript_id" in table.c:
                found = conn.execute(
                    select(func.count()).select_from(table).where(table.c.transcript_id == tid)
                ).scalar()
                assert found == 0, table.name
            if "participant_id" in table.c:
                found = conn.execute(
                    select(func.count()).select_from(table).where(table.c.participant_id == pid)
                ).scalar()
                assert found == 0, table.name
    assert not [r for r in rows["participant_values"] if r[0] == pid]
    with pid_engine.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM search_turns WHERE turn_id = ANY(:ids)"),
            {"ids": their_turns},
        ).scalar()
    assert their_turns and left == 0
    pid_engine.dispose()
    assert json.loads(json.dumps([w.label for w in study.withdrawals()])) == [WHO]
    study.close()


def test_without_confirmation_nothing_changes(
    demo: tuple[StudyService, Path], location: str
) -> None:
    study, key = demo
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    before, key_before = snapshot(location), key.read_bytes()
    with pytest.raises(ThematicaError, match="confirm"):
        study.withdraw(WHO, by=LEAD, confirm="", key_path=key)
    with pytest.raises(ConflictError, match="not what was confirmed"):
        study.withdraw(WHO, by=LEAD, confirm="0" * 16, key_path=key)
    assert snapshot(location) == before and key.read_bytes() == key_before
    # a plan made stale by a change since (a new coding of theirs) is refused too
    study.add_coding(WHO, ("Role", "Stick to the body"), CODER, 0, 5)
    stale = snapshot(location)
    with pytest.raises(ConflictError, match="the study changed since"):
        study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint, key_path=key)
    assert snapshot(location) == stale and key.read_bytes() == key_before


def test_refusals_leave_the_file_byte_identical(tmp_path: Path) -> None:
    path, key = tmp_path / "demo.thematica", tmp_path / "demo.thematica-key"
    build(str(path), key=key).close()
    before, key_before = file_bytes(path), key.read_bytes()
    with StudyService.open(str(path)) as study:
        study.withdrawal_plan(WHO, by=LEAD, key_path=key)
        for attempt in (
            lambda: study.withdraw(WHO, by=LEAD, confirm="", key_path=key),
            lambda: study.withdraw(WHO, by=LEAD, confirm="0" * 16, key_path=key),
            lambda: study.withdraw(WHO, by=CODER, confirm="0" * 16, key_path=key),
            lambda: study.withdraw("Physio 99", by=LEAD, confirm="x", key_path=key),
        ):
            with pytest.raises(ThematicaError):
                attempt()
    assert file_bytes(path) == before
    assert key.read_bytes() == key_before


def test_bad_input_is_refused_and_changes_nothing(
    demo: tuple[StudyService, Path], location: str
) -> None:
    study, key = demo
    before = snapshot(location)
    with pytest.raises(NotFoundError, match="no participant 'Physio 99'"):
        study.withdrawal_plan("Physio 99", by=LEAD)
    with pytest.raises(AccessDenied, match="only a lead can withdraw a participant; Tom Okafor"):
        study.withdrawal_plan(WHO, by=CODER)
    with pytest.raises(AccessDenied, match="only a lead"):
        study.as_member(READER).withdrawal_plan(WHO)
    with pytest.raises(AccessDenied, match="only a lead"):
        study.as_member(CODER).withdraw_participant(WHO, confirm="x")
    with pytest.raises(NotFoundError, match="no team member"):
        study.withdrawal_plan(WHO, by="Nobody")
    with pytest.raises(ThematicaError, match="unknown withdrawal reason 'bored'"):
        study.withdraw(WHO, by=LEAD, confirm="x", reason="bored")
    assert snapshot(location) == before
    plan = study.as_member(LEAD).withdrawal_plan(WHO.lower(), key_path=key)
    study.as_member(LEAD).withdraw_participant(WHO, confirm=plan.fingerprint, key_path=key)
    after = snapshot(location)
    with pytest.raises(ConflictError, match="Physio 4 already withdrew on"):
        study.withdrawal_plan(WHO, by=LEAD)
    with pytest.raises(ConflictError, match="already withdrew"):
        study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint)
    assert snapshot(location) == after


def test_a_withdrawn_label_is_never_given_again(demo: tuple[StudyService, Path]) -> None:
    study, _key = demo
    plan = study.withdrawal_plan("Physio 7", by=LEAD)
    assert plan.label == "Physio 7"  # the highest Physio number in the demo
    study.withdraw("Physio 7", by=LEAD, confirm=plan.fingerprint)
    attrs: dict[str, object] = {}
    with pytest.raises(ConflictError, match="Physio 7 withdrew from the study"):
        study.import_register(
            Register((), (Participant("Physio 7", "Physiotherapist", attrs),)), source="new.csv"
        )
    added = study.import_register(
        Register((), (Participant("", "Physiotherapist", attrs),)),
        source="new.csv",
        prefixes={"Physiotherapist": "Physio"},
    )
    assert [p.label for p in added] == ["Physio 8"]


def test_the_plan_names_backups_that_still_hold_them(tmp_path: Path) -> None:
    path = tmp_path / "demo.thematica"
    study = build(str(path))
    backup = tmp_path / "demo.thematica.backup-rev0009-20261203T120000"
    backup.write_bytes(b"")
    assert study.withdrawal_plan(WHO, by=LEAD).backups == (str(backup),)
    study.close()


def test_the_lineage_forgets_their_codings_and_a_merge_still_undoes(
    demo: tuple[StudyService, Path],
) -> None:
    study, _key = demo
    theirs = {c.id for c in study.codings(transcript=WHO, level=Level.ONE)}
    source = next(c for c in study.codings(transcript=WHO, level=Level.ONE)).code
    target = next(c.path for c in study.codes(Level.ONE) if c.path != source and len(c.path) > 1)
    entry = study.merge_codes(source, target, by=LEAD)
    plan = study.withdrawal_plan(WHO, by=LEAD)
    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint)
    engine = make_engine(study.location)
    try:
        with engine.connect() as conn:
            details = json.loads(
                conn.execute(
                    text("SELECT details FROM lineage WHERE id = :i"), {"i": entry}
                ).scalar()
            )
    finally:
        engine.dispose()
    assert details["codings"] and not theirs & set(details["codings"])
    study.undo(entry, by=LEAD)
    assert {c.code for c in study.codings(code=source, level=Level.ONE)} == {source}


def test_a_participant_not_yet_interviewed_withdraws_too(demo: tuple[StudyService, Path]) -> None:
    study, _key = demo
    attrs: dict[str, object] = {}
    study.import_register(Register((), (Participant("OT 9", "OT", attrs),)), source="new.csv")
    plan = study.withdrawal_plan("OT 9", by=LEAD)
    assert plan.transcripts == () and plan.codings == () and plan.themes == ()
    assert plan.participants_before == plan.participants_after == 10
    study.withdraw("OT 9", by=LEAD, confirm=plan.fingerprint, reason="lost-contact")
    assert "OT 9" not in [p.label for p in study.participants()]
    assert study.counts(level=Level.TWO).total == 10


def test_their_key_file_entries_go(tmp_path: Path) -> None:
    from thematica.service.anonymising import AnonymisingStudy

    path, key = tmp_path / "demo.thematica", tmp_path / "demo.thematica-key"
    study = build(str(path), key=key)
    tid = study.transcript(WHO).id
    anon = AnonymisingStudy(study, key)
    anon.scan([WHO, "Physio 1"])
    theirs = [f for f in anon.findings(None) if f.transcript_id == tid]
    assert theirs and len(theirs) < len(anon.findings(None))
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    assert plan.key is not None and plan.key.findings == len(theirs)
    anon.decide(LEAD, accept_all=True)
    anon.apply(LEAD, pending="skip")
    plan = study.withdrawal_plan(WHO, by=LEAD, key_path=key)
    assert plan.key is not None and plan.key.replacements > 0 and plan.anonymisation_log > 0

    def key_rows(table: str, where: str) -> int:
        conn = sqlite3.connect(key)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])
        finally:
            conn.close()

    study.withdraw(WHO, by=LEAD, confirm=plan.fingerprint, key_path=key)
    assert key_rows("replacements", f"transcript_id = {tid}") == 0
    assert key_rows("findings", f"transcript_id = {tid}") == 0
    assert key_rows("replacements", f"transcript_id != {tid}") > 0  # another's stay
    assert key_rows("identities", f"label = '{WHO}'") == 0
    assert key_rows("identities", "label = 'Physio 1'") == 1
    assert b"Stuart Hollis" not in key.read_bytes()
    study.close()
