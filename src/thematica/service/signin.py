"""Signing in: sessions, invitations redeemed, sign-out and the limit on failed attempts.

* A session is a random 256-bit token (``secrets.token_urlsafe(32)``) that only the browser
  holds; the study stores its SHA-256, so a copy of the database signs no one in. Each session
  has its own CSRF token. A session ends on sign-out, after :data:`DEFAULT_IDLE` without a
  request (configurable), when its member changes their password (their other sessions), is
  given a new role, a reset invitation or a password by a lead, or is deactivated.
  ``last_seen_at`` is written at most once a minute per session, to keep requests fast.
* A failed sign-in says the same thing, after the same work, whether the name exists or not:
  an unknown name is checked against a dummy hash, so neither the message nor the time tells
  which names are members.
* Failures are counted per account (``account:NAME``, lower-cased, for names that do not exist
  too) and per client address (``client:ADDRESS``). After :data:`ACCOUNT_FREE` failures for an
  account, or :data:`CLIENT_FREE` from one address (a team behind one address shares it), each
  further attempt must wait ``2^(n - free)`` seconds after the last failure, at most
  :data:`MAX_DELAY`. A successful sign-in clears the account's count; a count left alone for
  :data:`FORGET_AFTER` starts again from zero.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematica.domain import TeamMember
from thematica.errors import ThematicaError
from thematica.service import audit
from thematica.service import register as reg
from thematica.service.accounts import (
    HASHER,
    aware,
    check_password,
    digest,
    end_sessions,
    hash_password,
    invitation_row,
    now,
    verify,
)
from thematica.storage.models import SignInFailureRow, SignInSessionRow, TeamMemberRow

DEFAULT_IDLE: Final = dt.timedelta(hours=8)
TOUCH_EVERY: Final = dt.timedelta(minutes=1)
ACCOUNT_FREE: Final = 5
CLIENT_FREE: Final = 20
MAX_DELAY: Final = dt.timedelta(minutes=15)
FORGET_AFTER: Final = dt.timedelta(hours=1)
GENERIC: Final = "the name or the password is not right"


class SignInRefused(ThematicaError):
    """A failed sign-in: always the same message, whatever was wrong."""


class TooManyAttempts(SignInRefused):
    """Too many failed sign-ins for this account or from this address: wait and try again."""


@dataclass(frozen=True)
class SignedIn:
    """A new session. ``token`` goes into the cookie and exists only here."""

    member: TeamMember
    token: str
    csrf: str


@dataclass(frozen=True)
class Account:
    """Who a session belongs to, and the CSRF token its forms must carry."""

    member: TeamMember
    csrf: str


@cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def _delay(failures: int, free: int) -> dt.timedelta:
    if failures < free:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** min(failures - free, 20)), MAX_DELAY)


def _keys(name: str, client: str) -> tuple[tuple[str, int], ...]:
    account = ("account:" + " ".join(name.split()).lower())[:300]
    keys = [(account, ACCOUNT_FREE)]
    if client:
        keys.append((("client:" + client)[:300], CLIENT_FREE))
    return tuple(keys)


def _waiting(session: Session, keys: tuple[tuple[str, int], ...], at: dt.datetime) -> bool:
    for key, free in keys:
        row = session.get(SignInFailureRow, key)
        if row is None or at - aware(row.last_failure_at) > FORGET_AFTER:
            continue
        if at < aware(row.last_failure_at) + _delay(row.failures, free):
            return True
    return False


def _count_failure(session: Session, keys: tuple[tuple[str, int], ...], at: dt.datetime) -> None:
    for key, _free in keys:
        row = session.get(SignInFailureRow, key, with_for_update=True)
        if row is None:
            session.add(SignInFailureRow(key=key, failures=1, last_failure_at=at))
        elif at - aware(row.last_failure_at) > FORGET_AFTER:
            row.failures, row.last_failure_at = 1, at
        else:
            row.failures, row.last_failure_at = row.failures + 1, at


def _start(session: Session, row: TeamMemberRow, client: str, at: dt.datetime) -> SignedIn:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        SignInSessionRow(
            token_hash=digest(token),
            member_id=row.id,
            csrf_token=csrf,
            created_at=at,
            last_seen_at=at,
            client=client[:200],
        )
    )
    return SignedIn(reg.member_of(row), token, csrf)


def attempt(session: Session, name: str, password: str, client: str) -> SignedIn | SignInRefused:
    """Check a sign-in and write its outcome (counts, audit entry, session). Returns the refusal
    rather than raising it, so the caller commits what was written before raising."""
    at = now()
    keys = _keys(name, client)
    target = " ".join(name.split())[:200]
    if _waiting(session, keys, at):
        audit.record(
            session,
            actor=target,
            action="signin.failure",
            target=target,
            client=client,
            details={"reason": "too many attempts"},
        )
        return TooManyAttempts(
            f"{GENERIC}, or there were too many attempts: wait a while and try again"
        )
    row = session.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == target.lower())
    )
    stored = row.password_hash if row is not None else None
    good = verify(stored or _dummy_hash(), password) and stored is not None
    if row is None or not good or row.deactivated_at is not None:
        _count_failure(session, keys, at)
        audit.record(session, actor=target, action="signin.failure", target=target, client=client)
        return SignInRefused(GENERIC)
    assert stored is not None
    if HASHER.check_needs_rehash(stored):
        row.password_hash = hash_password(password)
    failures = session.get(SignInFailureRow, keys[0][0])
    if failures is not None:
        session.delete(failures)
    audit.record(session, actor=row.name, action="signin.success", target=row.name, client=client)
    return _start(session, row, client, at)


def redeem(session: Session, token: str, password: str, client: str) -> SignedIn:
    """Set the password an invitation is for, use the invitation up and sign the member in."""
    invitation, row = invitation_row(session, token)
    check_password(password, row.name)
    at = now()
    invitation.used_at = at
    row.password_hash = hash_password(password)
    end_sessions(session, row.id)
    audit.record(session, actor=row.name, action="invitation.used", target=row.name, client=client)
    audit.record(session, actor=row.name, action="password.set", target=row.name, client=client)
    return _start(session, row, client, at)


def account(session: Session, token: str, idle: dt.timedelta) -> tuple[Account | None, bool]:
    """The member a session token belongs to (None when it is unknown, ended, idle too long or
    its member deactivated), and whether the session row needs writing (touched or ended)."""
    found = session.execute(
        select(SignInSessionRow, TeamMemberRow)
        .join(TeamMemberRow, TeamMemberRow.id == SignInSessionRow.member_id)
        .where(SignInSessionRow.token_hash == digest(token), SignInSessionRow.ended_at.is_(None))
    ).first()
    if found is None:
        return None, False
    row, member = found
    at = now()
    if member.deactivated_at is not None or member.password_hash is None:
        return None, True
    if at - aware(row.last_seen_at) > idle:
        return None, True
    return Account(reg.member_of(member), row.csrf_token), at - aware(
        row.last_seen_at
    ) > TOUCH_EVERY


def touch(session: Session, token: str, idle: dt.timedelta) -> None:
    """Write down that a session was used now, or end it if it may no longer be used."""
    row = session.scalar(
        select(SignInSessionRow).where(SignInSessionRow.token_hash == digest(token))
    )
    if row is None or row.ended_at is not None:
        return
    member = session.get(TeamMemberRow, row.member_id)
    at = now()
    if (
        member is None
        or member.deactivated_at is not None
        or member.password_hash is None
        or at - aware(row.last_seen_at) > idle
    ):
        row.ended_at = at
    else:
        row.last_seen_at = at


def sign_out(session: Session, token: str, client: str) -> str | None:
    """End one session; the member it belonged to, if it was open."""
    row = session.scalar(
        select(SignInSessionRow).where(SignInSessionRow.token_hash == digest(token))
    )
    if row is None or row.ended_at is not None:
        return None
    row.ended_at = now()
    member = session.get(TeamMemberRow, row.member_id)
    name = member.name if member is not None else ""
    audit.record(session, actor=name, action="signin.signout", target=name, client=client)
    return name


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


_ANY_PASSWORD = select(TeamMemberRow.id).where(TeamMemberRow.password_hash.is_not(None)).limit(1)


def any_password(session: Session) -> bool:
    """Whether any member has a password (then everyone signs in): asked on every request."""
    return session.scalar(_ANY_PASSWORD) is not None


__all__ = [
    "DEFAULT_IDLE",
    "GENERIC",
    "Account",
    "SignInRefused",
    "SignedIn",
    "TooManyAttempts",
    "account",
    "attempt",
    "csrf_matches",
    "end_sessions",
    "redeem",
]
