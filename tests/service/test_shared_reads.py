"""A run of reads through ``StudyService.shared_reads`` shares one session and its lookups
(which transcripts a member may read, the codebook's paths), and every change ends what was
shared: the reads after it see it. The access rules hold the same inside a view. On SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from tests.service.test_member_rules import ANON, CODER, LEAD, PAIN, READER, team
from thematica.domain import Level, MemberRole
from thematica.errors import AccessDenied, NotFoundError
from thematica.service import StudyService
from thematica.service.acting import HIDDEN_FILE
from thematica.service.sessions import MEMO, SharedReads, memo
from thematica.storage.models import TeamMemberRow

__all__ = ["team"]  # the fixture, imported for the tests below


@contextmanager
def checkouts(service: StudyService) -> Iterator[list[int]]:
    """How many connections the reads inside the block took from the engine's pool."""
    taken = [0]

    def count(*_args: object) -> None:
        taken[0] += 1

    engine = service._engine
    event.listen(engine, "checkout", count)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", count)


def reads(study: StudyService) -> None:
    """What a transcript page asks for, as a coder."""
    me = study.as_member(CODER)
    me.transcript("P1")
    me.transcripts()
    me.codes()
    me.team()
    study.title()


def test_reads_in_a_view_share_one_connection(team: StudyService) -> None:
    with checkouts(team) as alone:
        reads(team)
    with team.shared_reads() as view, checkouts(team) as shared:
        reads(view)
    assert alone[0] > 3
    assert shared[0] == 1


def test_closing_a_view_keeps_the_study_open(team: StudyService) -> None:
    with team.shared_reads() as view:
        reads(view)
        view.close()  # closes the view's session only
        reads(view)  # a closed view opens a session again at its next read
    assert team._engine.pool.checkedout() == 0  # the view's session went back to the pool
    reads(team)
    assert team.title() == "Pain and low mood"


def test_a_change_in_a_view_is_seen_by_the_reads_after_it(team: StudyService) -> None:
    with team.shared_reads() as view:
        anon = view.as_member(ANON)
        with pytest.raises(AccessDenied):
            anon.transcript("P1")  # P1 is not anonymised: the memo now holds {P2}
        hidden = {t.participant for t in anon.transcripts() if t.source_name == HIDDEN_FILE}
        assert hidden == {"P1"}
        view.set_anonymised_only(ANON, False)
        assert anon.transcript("P1").id > 0  # the memo was dropped by the change
        assert "Nia Reed" not in {m.name for m in view.team()}  # the memo now holds the team
        view.add_team_member("Nia Reed", MemberRole.CODER)
        assert "Nia Reed" in {m.name for m in view.team()}
        assert view.as_member("Nia Reed").transcript("P1").id > 0  # member ids found afresh
        lead = view.as_member(LEAD)
        assert ("Pain",) in {c.path for c in lead.codes()}  # the memo holds the codebook
        lead.rename_code(PAIN, "Back pain")
        paths = {c.path for c in lead.codes()}
        assert ("Back pain",) in paths and ("Pain",) not in paths


def test_a_change_through_the_engine_ends_what_was_shared(team: StudyService) -> None:
    """The anonymisation layer writes with the engine itself; taking it drops the memo."""
    with team.shared_reads() as view:
        anon = view.as_member(ANON)
        with pytest.raises(AccessDenied):
            anon.transcript("P1")
        with Session(view.engine) as s, s.begin():
            s.execute(update(TeamMemberRow).values(anonymised_only=False))
        assert anon.transcript("P1").id > 0


def test_a_change_made_beside_the_view_is_seen_by_its_next_read(team: StudyService) -> None:
    """The workbench changes the team through the service itself, not the request's view, and
    the anonymisation layer commits with sessions of its own: the view's next read sees both."""
    with team.shared_reads() as view:
        assert "Nia Reed" not in {m.name for m in view.team()}  # memoised
        team.add_team_member("Nia Reed", MemberRole.CODER)  # the service, not the view
        assert "Nia Reed" in {m.name for m in view.team()}
        anon = view.as_member(ANON)
        with pytest.raises(AccessDenied):
            anon.transcript("P1")
        with Session(team._engine) as s, s.begin():  # as the anonymisation layer writes
            s.execute(update(TeamMemberRow).values(anonymised_only=False))
        assert anon.transcript("P1").id > 0


def test_rules_hold_in_a_view(team: StudyService) -> None:
    with team.shared_reads() as view:
        view.as_member(LEAD).transcript("P1")  # the lead's lookups are the lead's alone
        with pytest.raises(AccessDenied):
            view.as_member(ANON).transcript("P1")
        with pytest.raises(AccessDenied):
            view.as_member(READER).add_coding("P2", PAIN, 0, 4)
        with pytest.raises(AccessDenied):
            view.as_member(CODER).reveal("P1")
        assert view.as_member(CODER).transcript("P1").id > 0


def test_a_failed_read_leaves_the_view_usable(team: StudyService) -> None:
    with team.shared_reads() as view:
        me = view.as_member(CODER)
        with pytest.raises(NotFoundError):
            me.transcript("P99")
        assert me.transcript("P2").id > 0


def test_memo_holds_only_in_shared_sessions(team: StudyService) -> None:
    made: list[int] = []

    def compute() -> int:
        made.append(1)
        return len(made)

    with Session(team._engine) as alone:
        assert memo(alone, "k", compute) == 1
        assert memo(alone, "k", compute) == 2  # an unshared session may be changing: no memo
    shared = SharedReads(team._engine)
    try:
        session = shared.session()
        assert memo(session, "k", compute) == 3
        assert memo(session, "k", compute) == 3
        shared.end()
        assert session.info[MEMO] == {}
        assert memo(session, "k", compute) == 4
    finally:
        shared.close()


def test_a_view_answers_as_the_study_does(team: StudyService) -> None:
    team.add_team_member("Nia Reed", MemberRole.CODER)
    team.add_coding("P2", PAIN, CODER, 0, 2, level=Level.ONE)
    for name in (LEAD, CODER, READER, ANON):
        alone = team.as_member(name)
        with team.shared_reads() as view:
            shared = view.as_member(name)
            assert shared.transcripts() == alone.transcripts()
            assert shared.codes() == alone.codes()
            assert shared.transcript("P2") == alone.transcript("P2")
