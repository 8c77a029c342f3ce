"""Accounts, invitations, sign-in, sessions and the limit on failed sign-ins, called through the
service without the web layer. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import StudyService, signin
from thematica.service import accounts as acc
from thematica.service.accounts import ADMINISTRATOR
from thematica.service.signin import GENERIC, SignInRefused, TooManyAttempts
from thematica.storage.models import (
    AuditRow,
    InvitationRow,
    SignInSessionRow,
    TeamMemberRow,
)

LEAD, CODER, READER = "Rachel Ames", "Tom Okafor", "Helen Marsh"
GOOD, OTHER = "correct horse battery", "staple of the harbour"


class Clock:
    """The time the account code sees, moved by hand."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at

    def forward(self, **kwargs: float) -> None:
        self.at += dt.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(acc, "now", c)
    monkeypatch.setattr(signin, "now", c)
    yield c


@pytest.fixture
def team(study: StudyService) -> StudyService:
    study.add_member(LEAD, MemberRole.LEAD, by=ADMINISTRATOR)
    study.add_member(CODER, MemberRole.CODER, by=LEAD)
    study.add_member(READER, MemberRole.READER, by=LEAD)
    study.set_password(LEAD, GOOD)
    return study


def rows(study: StudyService, model: type) -> list:  # type: ignore[type-arg]
    with Session(study.engine) as s:
        return list(s.scalars(select(model)))


def audit(study: StudyService) -> list[tuple[str, str, str]]:
    return [(r.action, r.actor, r.target) for r in rows(study, AuditRow)]


def test_passwords_are_argon2id_with_their_parameters_and_never_stored_plain(
    team: StudyService,
) -> None:
    (stored,) = [r.password_hash for r in rows(team, TeamMemberRow) if r.name == LEAD]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert GOOD not in stored
    assert next(m for m in team.team() if m.name == LEAD).has_password
    # nothing in the audit log holds the password or the hash
    log = json.dumps([(r.action, r.target, r.details) for r in rows(team, AuditRow)])
    assert GOOD not in log and stored not in log


def test_an_outdated_hash_is_replaced_on_sign_in(team: StudyService) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID)
    with Session(team.engine) as s, s.begin():
        row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.name == LEAD))
        assert row is not None
        row.password_hash = weak.hash(GOOD)
    team.sign_in(LEAD, GOOD)
    (stored,) = [r.password_hash for r in rows(team, TeamMemberRow) if r.name == LEAD]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short one", "at least 12 characters"),
        ("            ", "only spaces"),
    ],
)
def test_password_rules(team: StudyService, password: str, message: str) -> None:
    with pytest.raises(ThematicaError, match=message):
        team.set_password(CODER, password)


def test_a_password_cannot_be_the_members_name(team: StudyService) -> None:
    team.add_member("Maximilian Oberhausen", MemberRole.CODER, by=LEAD)
    with pytest.raises(ThematicaError, match="cannot be the member's name"):
        team.set_password("Maximilian Oberhausen", "maximilian  OBERHAUSEN")


def test_invitation_sets_the_password_once_and_signs_in(team: StudyService) -> None:
    member, invitation = team.add_member(
        "Priya Shah", MemberRole.CODER, by=LEAD, email="priya@example.org", invite=True
    )
    assert invitation is not None and member.email == "priya@example.org"
    assert len(invitation.token) >= 43
    assert invitation.link("http://127.0.0.1:8765/") == (
        f"http://127.0.0.1:8765/invite/{invitation.token}"
    )
    (stored,) = rows(team, InvitationRow)
    assert stored.token_hash == acc.digest(invitation.token) and invitation.token not in str(
        [stored.token_hash, stored.created_by]
    )
    assert team.invitation_for(invitation.token) == "Priya Shah"
    with pytest.raises(ThematicaError, match="at least 12"):
        team.redeem_invitation(invitation.token, "short")
    signed = team.redeem_invitation(invitation.token, OTHER)
    assert signed.member.name == "Priya Shah" and signed.member.has_password
    assert team.session_account(signed.token) is not None
    with pytest.raises(NotFoundError, match="cannot be used"):
        team.redeem_invitation(invitation.token, OTHER + "!")
    with pytest.raises(NotFoundError):
        team.invitation_for("made-up")
    assert team.sign_in("Priya Shah", OTHER).member.name == "Priya Shah"
    actions = [a for a, _, _ in audit(team)]
    assert "invitation.created" in actions and "invitation.used" in actions


def test_invitations_expire_after_seven_days(team: StudyService, clock: Clock) -> None:
    invitation = team.invite(CODER, by=LEAD)
    clock.forward(days=6, hours=23)
    assert team.invitation_for(invitation.token) == CODER
    clock.forward(hours=2)
    with pytest.raises(NotFoundError, match="expired"):
        team.redeem_invitation(invitation.token, OTHER)


def test_a_new_invitation_is_a_reset(team: StudyService) -> None:
    team.set_password(CODER, OTHER)
    session = team.sign_in(CODER, OTHER)
    first = team.invite(CODER, by=LEAD)
    second = team.invite(CODER, by=LEAD)
    assert team.session_account(session.token) is None  # the reset ends their sessions
    with pytest.raises(SignInRefused):
        team.sign_in(CODER, OTHER)  # and the old password no longer works
    with pytest.raises(NotFoundError):
        team.redeem_invitation(first.token, GOOD)  # the older link is void
    team.redeem_invitation(second.token, GOOD + "!")


def test_only_an_active_lead_or_the_administrator_manages_the_team(team: StudyService) -> None:
    for by in (CODER, READER, "Nobody"):
        with pytest.raises(AccessDenied, match="only a lead"):
            team.add_member("Sam", MemberRole.LEAD, by=by)
        with pytest.raises(AccessDenied):
            team.invite(CODER, by=by)
        with pytest.raises(AccessDenied):
            team.set_role(CODER, MemberRole.LEAD, by=by)
        with pytest.raises(AccessDenied):
            team.deactivate(LEAD, by=by)
        with pytest.raises(AccessDenied):
            team.set_password(LEAD, OTHER, by=by)
    assert team.set_role(CODER, MemberRole.LEAD, by=ADMINISTRATOR).role is MemberRole.LEAD
    team.deactivate(CODER, by=LEAD)
    with pytest.raises(AccessDenied):  # a deactivated lead manages nothing
        team.add_member("Sam", MemberRole.CODER, by=CODER)


def test_before_a_study_has_a_lead_anyone_may_set_it_up(study: StudyService) -> None:
    study.add_member("Ann Other", MemberRole.CODER, by="Ann Other")
    study.add_member("First Lead", MemberRole.LEAD, by="Ann Other")
    with pytest.raises(AccessDenied):
        study.add_member("Third", MemberRole.CODER, by="Ann Other")


def test_role_change_and_deactivation_end_sessions(team: StudyService) -> None:
    team.set_password(CODER, OTHER)
    one = team.sign_in(CODER, OTHER)
    team.set_role(CODER, MemberRole.READER, by=LEAD)
    assert team.session_account(one.token) is None
    coder = next(m for m in team.team() if m.name == CODER)
    assert coder.role is MemberRole.READER and coder.anonymised_only
    two = team.sign_in(CODER, OTHER)
    team.deactivate(CODER, by=LEAD)
    assert team.session_account(two.token) is None
    with pytest.raises(SignInRefused, match=GENERIC):
        team.sign_in(CODER, OTHER)
    assert not next(m for m in team.team() if m.name == CODER).active
    with pytest.raises(ConflictError, match="deactivated"):
        team.invite(CODER, by=LEAD)
    team.reactivate(CODER, by=LEAD)
    team.sign_in(CODER, OTHER)


def test_the_last_active_lead_stays(team: StudyService) -> None:
    with pytest.raises(ConflictError, match="only active lead"):
        team.deactivate(LEAD, by=LEAD)
    with pytest.raises(ConflictError, match="only active lead"):
        team.set_role(LEAD, MemberRole.CODER, by=LEAD)
    with pytest.raises(ConflictError, match="only active lead"):
        team.remove_member(LEAD, by=ADMINISTRATOR)


def test_remove_refuses_members_with_work_and_says_deactivate(team: StudyService) -> None:
    team.add_journal_entry("Thinking about pain.", by=CODER)
    with pytest.raises(ConflictError, match="1 journal entries.*deactivate them instead"):
        team.remove_member(CODER, by=LEAD)
    assert any(m.name == CODER for m in team.team())
    assert team.remove_member(READER, by=LEAD) == READER
    assert [m.name for m in team.team()] == [LEAD, CODER]
    with pytest.raises(NotFoundError):
        team.remove_member("Nobody", by=LEAD)


def test_changing_ones_password_needs_the_old_one_and_ends_other_sessions(
    team: StudyService,
) -> None:
    here, elsewhere = team.sign_in(LEAD, GOOD), team.sign_in(LEAD, GOOD)
    with pytest.raises(AccessDenied, match="current password"):
        team.change_password(LEAD, "wrong password!", OTHER, keep=here.token)
    team.change_password(LEAD, GOOD, OTHER, keep=here.token)
    assert team.session_account(here.token) is not None
    assert team.session_account(elsewhere.token) is None
    with pytest.raises(SignInRefused):
        team.sign_in(LEAD, GOOD)
    team.sign_in(LEAD, OTHER)
    assert ("password.changed", LEAD, LEAD) in audit(team)


def test_sign_in_gives_a_fresh_token_each_time_and_sign_out_ends_it(team: StudyService) -> None:
    a, b = team.sign_in(LEAD, GOOD), team.sign_in("  rachel   AMES ", GOOD)
    assert a.token != b.token and a.csrf != b.csrf and len(a.token) >= 43
    found = team.session_account(a.token)
    assert found is not None and found.member.name == LEAD and found.csrf == a.csrf
    stored = {r.token_hash for r in rows(team, SignInSessionRow)}
    assert a.token not in stored and acc.digest(a.token) in stored
    assert team.sign_out(a.token, client="10.0.0.5") == LEAD
    assert team.session_account(a.token) is None
    assert team.session_account(b.token) is not None
    assert team.session_account("made-up") is None
    entries = audit(team)
    assert ("signin.success", LEAD, LEAD) in entries and ("signin.signout", LEAD, LEAD) in entries


def test_sessions_end_after_idle_time_and_are_touched_at_most_once_a_minute(
    team: StudyService, clock: Clock
) -> None:
    s = team.sign_in(LEAD, GOOD)
    seen = [r.last_seen_at for r in rows(team, SignInSessionRow)]
    clock.forward(seconds=30)
    team.session_account(s.token)
    assert [r.last_seen_at for r in rows(team, SignInSessionRow)] == seen  # not written
    clock.forward(hours=7, minutes=50)
    assert team.session_account(s.token) is not None  # touched now
    clock.forward(hours=7, minutes=59)
    assert team.session_account(s.token) is not None
    clock.forward(hours=8, minutes=1)
    assert team.session_account(s.token) is None
    assert all(r.ended_at is not None for r in rows(team, SignInSessionRow))
    short = team.sign_in(LEAD, GOOD)
    clock.forward(minutes=31)
    assert team.session_account(short.token, idle=dt.timedelta(minutes=30)) is None


def test_failures_look_the_same_for_unknown_names_and_wrong_passwords(team: StudyService) -> None:
    messages = set()
    for name, password in ((LEAD, "not the password"), ("Nobody At All", GOOD), (CODER, GOOD)):
        with pytest.raises(SignInRefused) as refused:
            team.sign_in(name, password, client="10.0.0.9")
        assert not isinstance(refused.value, TooManyAttempts)
        messages.add(str(refused.value))
    assert messages == {GENERIC}
    failures = [(a, t) for a, _, t in audit(team) if a == "signin.failure"]
    assert failures == [
        ("signin.failure", LEAD),
        ("signin.failure", "Nobody At All"),
        ("signin.failure", CODER),
    ]
    log = json.dumps([r.details for r in rows(team, AuditRow)])
    assert "not the password" not in log and GOOD not in log


def test_rate_limit_per_account_then_growing_delay(team: StudyService, clock: Clock) -> None:
    for n in range(5):
        with pytest.raises(SignInRefused) as refused:
            team.sign_in(LEAD, f"wrong password {n}", client=f"10.0.0.{n}")
        assert not isinstance(refused.value, TooManyAttempts)
    with pytest.raises(TooManyAttempts):  # even with the right password
        team.sign_in(LEAD, GOOD, client="10.0.0.99")
    clock.forward(seconds=1.5)
    with pytest.raises(SignInRefused):
        team.sign_in(LEAD, "wrong again!!", client="10.0.0.98")  # the 6th failure: 2 s
    clock.forward(seconds=1.5)
    with pytest.raises(TooManyAttempts):
        team.sign_in(LEAD, GOOD)
    clock.forward(seconds=1)
    team.sign_in(LEAD, GOOD)  # success clears the account's count
    for n in range(4):
        with pytest.raises(SignInRefused) as refused:
            team.sign_in(LEAD, f"wrong password {n}")
        assert not isinstance(refused.value, TooManyAttempts)


def test_rate_limit_for_names_that_do_not_exist_and_per_client(
    team: StudyService, clock: Clock
) -> None:
    for _ in range(5):
        with pytest.raises(SignInRefused):
            team.sign_in("Nobody", "whatever you like")
    with pytest.raises(TooManyAttempts) as held:
        team.sign_in("nobody", "whatever you like")
    assert str(held.value).startswith(GENERIC)
    # one address trying many names is held back after 20 failures
    for n in range(20):
        clock.forward(seconds=1)
        with pytest.raises(SignInRefused) as refused:
            team.sign_in(f"Name {n}", "whatever you like", client="192.0.2.7")
        assert not isinstance(refused.value, TooManyAttempts)
    with pytest.raises(TooManyAttempts):
        team.sign_in(LEAD, GOOD, client="192.0.2.7")
    team.sign_in(LEAD, GOOD, client="192.0.2.8")
    clock.forward(hours=2)  # a count left alone for an hour starts again
    team.sign_in(LEAD, GOOD, client="192.0.2.7")


def test_which_members_a_team_server_needs_passwords_for(team: StudyService) -> None:
    problem = team.team_server_problem()
    assert problem is not None and CODER in problem and READER not in problem
    assert "thematica team passwd" in problem and "thematica team invite" in problem
    team.add_member("Anon Coder", MemberRole.CODER, by=LEAD, anonymised_only=True)
    team.add_member("Gone", MemberRole.CODER, by=LEAD)
    team.deactivate("Gone", by=LEAD)
    problem = team.team_server_problem()
    assert problem is not None and "Anon Coder" not in problem and "Gone" not in problem
    team.set_password(CODER, OTHER)
    assert team.team_server_problem() is None


def test_a_team_server_needs_a_lead_who_can_sign_in(study: StudyService) -> None:
    assert study.team_server_problem() is not None
    study.add_member(READER, MemberRole.READER, by=ADMINISTRATOR)
    assert "needs a lead" in (study.team_server_problem() or "")


def test_signin_is_required_once_any_member_has_a_password(study: StudyService) -> None:
    study.add_member(LEAD, MemberRole.LEAD, by=ADMINISTRATOR)
    assert not study.signin_required()
    study.set_password(LEAD, GOOD)
    assert study.signin_required()
