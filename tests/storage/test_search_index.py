"""The full-text index: built for studies upgraded to 0007, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, text

from thematica.domain import MemberRole
from thematica.service import StudyService
from thematica.storage.database import APPLICATION_ID, make_engine, upgrade


def test_a_study_upgraded_to_0007_gets_its_index_built(location: str) -> None:
    engine = make_engine(location)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    upgrade(engine, "0006")
    body = "Interviewer: How was it?\nIt was a café of worries, co-operation helped."
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO study (id, title, research_question, approach, created_at) "
                "VALUES (1, 'Old', '', 'reflexive', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO transcripts (id, source_name, source_sha256, source_format, text, "
                "word_count, imported_at) VALUES (1, 't.txt', 'x', 'text', :body, 12, "
                "'2026-01-01 10:00:00')"
            ).bindparams(body=body)
        )
        conn.execute(
            text(
                "INSERT INTO turns (id, transcript_id, position, speaker, role, start_offset, "
                "end_offset) VALUES (1, 1, 0, 'Interviewer', 'interviewer', 0, 24), "
                "(2, 1, 1, 'P', 'participant', 25, :end)"
            ).bindparams(end=len(body))
        )
    engine.dispose()
    with StudyService.open(location, migrate_server=True) as study:
        assert study.migration is not None and study.migration.from_revision == "0006"
        hits = study.search("worries").hits
        assert [(h.turn, h.matches) for h in hits] == [
            (1, ((body.index("worries"), body.index("worries") + 7),))
        ]
        assert [h.turn for h in study.search("how").hits] == [0]
        assert [h.turn for h in study.search("co-operation").hits] == [1]
        assert study.search("nothing-like-this").hits == ()


def test_0007_downgrades_and_upgrades_again(location: str) -> None:
    from alembic import command

    from thematica.storage.database import _config

    with StudyService.create(location, title="T") as study:
        study.add_journal_entry("kept?", by=study.add_team_member("Ann", MemberRole.LEAD).name)
    engine = make_engine(location)
    with engine.begin() as conn:
        command.downgrade(_config(conn), "0006")
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    engine.dispose()
    assert not names & {"memos", "journal_entries", "search_turns", "search_turns_data"}
    with StudyService.open(location, migrate_server=True) as study:
        assert study.search("anything").hits == () and study.journal("Ann") == ()
