"""Each study engine keeps a small pool of connections, on SQLite and on PostgreSQL, and a pooled
connection that went bad (a failure inside COMMIT, a server that dropped it) never serves again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from thematica.domain import MemberRole
from thematica.service import StudyService


@pytest.fixture
def study(location: str) -> Iterator[StudyService]:
    service = StudyService.create(location, title="Pool", research_question="How?")
    yield service
    service.close()


def _engine(study: StudyService) -> Engine:
    return study._engine


def _backend_id(engine: Engine) -> object:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return conn.execute(text("SELECT pg_backend_pid()")).scalar()
        return id(conn.connection.dbapi_connection)


def test_calls_reuse_a_pooled_connection(study: StudyService) -> None:
    """One connection serves call after call (PostgreSQL used to open one per call)."""
    engine = _engine(study)
    first = _backend_id(engine)
    study.info()
    study.add_team_member("Ann Lee", MemberRole.CODER)
    assert _backend_id(engine) == first


def _in_transaction(engine: Engine) -> int:
    """Connections to this database left inside a transaction, seen from a new connection."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                )
            ).scalar()
            or 0
        )


def test_a_failure_inside_commit_leaves_no_connection_in_a_transaction(
    postgres_location: str,
) -> None:

    study = StudyService.create(postgres_location, title="Pool", research_question="How?")
    engine = _engine(study)
    failures = [RuntimeError("the network dropped inside COMMIT")]

    def fail_once(*_args: Any) -> None:
        if failures:
            raise failures.pop()

    event.listen(engine, "commit", fail_once)
    try:
        with pytest.raises(RuntimeError, match="inside COMMIT"):
            study.add_team_member("Ann Lee", MemberRole.CODER)
        assert _in_transaction(engine) == 0
        assert [m.name for m in study.team()] == []  # the failed change is not half there
        study.add_team_member("Ann Lee", MemberRole.CODER)  # and the pool serves again
        assert [m.name for m in study.team()] == ["Ann Lee"]
        assert _in_transaction(engine) == 0
    finally:
        event.remove(engine, "commit", fail_once)
        study.close()


def test_a_connection_the_server_dropped_is_replaced(postgres_location: str) -> None:
    """A server restart or an idle timeout kills pooled connections: the next call gets a
    fresh one (pre-ping), not an error."""
    study = StudyService.create(postgres_location, title="Pool", research_question="How?")
    engine = _engine(study)
    try:
        study.info()
        killer = StudyService.open(postgres_location)
        with _engine(killer).connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        killer.close()
        assert study.info().title == "Pool"
        assert _backend_id(engine) is not None
    finally:
        study.close()


def test_a_failure_inside_a_sessions_own_commit_leaves_the_pool_usable(
    postgres_location: str,
) -> None:
    """As anonymisation commits the key and then the study: a session begun and committed by
    hand whose COMMIT fails must not put a connection still in its transaction back into the
    pool (the next checkout's ping would then fail: "can't change 'autocommit' now")."""
    from sqlalchemy.orm import Session

    study = StudyService.create(postgres_location, title="Pool", research_question="How?")
    engine = _engine(study)
    failures = [RuntimeError("the network dropped inside COMMIT")]

    def fail_once(*_args: Any) -> None:
        if failures:
            raise failures.pop()

    event.listen(engine, "commit", fail_once)
    try:
        with Session(engine) as session:
            session.begin()
            session.execute(text("SELECT 1"))
            with pytest.raises(RuntimeError, match="inside COMMIT"):
                session.commit()
        assert _in_transaction(engine) == 0
        for _ in range(6):  # every pooled connection serves again
            assert study.info().title == "Pool"
    finally:
        event.remove(engine, "commit", fail_once)
        study.close()
