"""Accounts: passwords, invitation links and the lead's management of the team.

Passwords are hashed with Argon2id (``argon2-cffi``) with the parameters in :data:`HASHER`:
OWASP's recommended minimum for Argon2id (19 MiB of memory, 2 passes, 1 lane, a 16-byte salt and
a 32-byte hash), about 50 ms on a small server, so a sign-in stays quick while each guess at a
stolen hash costs the same. The stored PHC string (``$argon2id$v=19$m=19456,t=2,p=1$...``)
records them, so a hash made with other parameters still verifies, and is replaced with one made
with these on the member's next successful sign-in.

An invitation is a random 256-bit token (``secrets.token_urlsafe(32)``) shown once, as a link;
the study stores only its SHA-256. It sets the member's password, works once and expires after
:data:`INVITATION_DAYS` days. A new invitation for a member who had a password is a *reset*: the
old password stops working at once (it may be the reason for the reset), the member's sessions
end and any older invitation of theirs is void.

Who may manage the team: an active lead; the administrator (whoever holds the study file or the
database credentials: the command line acts as administrator); and anyone while the study has no
lead at all, so that a new study can be set up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from thematica.domain import MemberRole, Scope, TeamMember
from thematica.errors import AccessDenied, ConflictError, NotFoundError, ThematicaError
from thematica.service import audit
from thematica.service import register as reg
from thematica.service.administrator import ADMINISTRATOR as ADMINISTRATOR  # re-exported
from thematica.service.administrator import Acting, Administrator
from thematica.storage.models import (
    AnonymisationLogRow,
    CodeRow,
    CodingRow,
    InvitationRow,
    JournalEntryRow,
    LineageRow,
    MemoRow,
    ReconciliationRow,
    SignInSessionRow,
    TeamMemberRow,
    TranscriptRow,
)

HASHER: Final = PasswordHasher(
    time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing is the slow part: no one needs more, and it bounds the work
INVITATION_DAYS = 7
MAX_EMAIL = 320


def actor_name(by: Acting) -> str:
    return "(administrator)" if isinstance(by, Administrator) else by


@dataclass(frozen=True)
class Invitation:
    """A new invitation. ``token`` exists only here: the study stores its hash."""

    member: str
    token: str
    expires_at: dt.datetime

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/invite/{self.token}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every time stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# -- passwords -----------------------------------------------------------------------------


def check_password(password: str, name: str) -> None:
    """The rules a new password must meet; one line saying which is not met."""
    if len(password) < MIN_PASSWORD:
        raise ThematicaError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ThematicaError(f"a password has at most {MAX_PASSWORD} characters")
    if not password.strip():
        raise ThematicaError("a password cannot be only spaces")
    folded = "".join(password.split()).casefold()
    if folded == "".join(name.split()).casefold():
        raise ThematicaError("a password cannot be the member's name")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# -- lookups and rules ---------------------------------------------------------------------


def member_row(session: Session, name: str) -> TeamMemberRow:
    row = session.scalar(
        select(TeamMemberRow).where(
            func.lower(TeamMemberRow.name) == " ".join(name.split()).lower()
        )
    )
    if row is None:
        raise NotFoundError(f"no team member {name!r}")
    return row


def _active_leads(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(TeamMemberRow)
            .where(
                TeamMemberRow.role == MemberRole.LEAD.value, TeamMemberRow.deactivated_at.is_(None)
            )
        )
        or 0
    )


def require_manager(session: Session, by: Acting) -> None:
    """Only an active lead (or the administrator, or anyone before the study has a lead)."""
    if isinstance(by, Administrator):
        return
    row = session.scalar(
        select(TeamMemberRow).where(func.lower(TeamMemberRow.name) == by.strip().lower())
    )
    if row is not None and row.role == MemberRole.LEAD.value and row.deactivated_at is None:
        return
    if not session.scalar(select(exists().where(TeamMemberRow.role == MemberRole.LEAD.value))):
        return  # setting up: no lead yet
    role = row.role if row is not None else "not a member"
    raise AccessDenied(f"only a lead can manage the team; {by} is {_a(role)}")


def _a(role: str) -> str:
    return role if role == "not a member" else f"a {role}"


def _keep_a_lead(session: Session, row: TeamMemberRow, what: str) -> None:
    if (
        row.role == MemberRole.LEAD.value
        and row.deactivated_at is None
        and _active_leads(session) <= 1
    ):
        raise ConflictError(
            f"{row.name} is the study's only active lead: make another member lead before {what}"
        )


def end_sessions(session: Session, member_id: int, *, keep: str | None = None) -> int:
    """End every open session of a member (except the one whose token hash is ``keep``)."""
    query = update(SignInSessionRow).where(
        SignInSessionRow.member_id == member_id, SignInSessionRow.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(SignInSessionRow.token_hash != keep)
    result = session.execute(
        query.values(ended_at=now()), execution_options={"synchronize_session": False}
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _void_invitations(session: Session, member_id: int) -> None:
    session.execute(
        update(InvitationRow)
        .where(InvitationRow.member_id == member_id, InvitationRow.used_at.is_(None))
        .values(expires_at=now()),
        execution_options={"synchronize_session": False},
    )


# -- the lead's operations -----------------------------------------------------------------


def add_member(
    session: Session,
    name: str,
    role: MemberRole,
    *,
    by: Acting,
    client: str,
    email: str | None = None,
    anonymised_only: bool = False,
) -> TeamMember:
    require_manager(session, by)
    email = _email(email)
    member = reg.add_team_member(session, name, role, anonymised_only=anonymised_only)
    session.flush()
    row = member_row(session, member.name)
    row.email = email
    audit.record(
        session,
        actor=actor_name(by),
        action="member.added",
        target=member.name,
        client=client,
        details={"role": role.value, "anonymised_only": member.anonymised_only},
    )
    return reg.member_of(row)


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > MAX_EMAIL or "@" not in email or any(c.isspace() for c in email):
        raise ThematicaError(f"{email[:100]!r} is not an e-mail address")
    return email


def invite(session: Session, name: str, *, by: Acting, client: str) -> Invitation:
    """A new one-time link for ``name`` to set a password (a reset if they had one)."""
    require_manager(session, by)
    row = member_row(session, name)
    if row.deactivated_at is not None:
        raise ConflictError(f"{row.name} is deactivated; an invitation would not let them in")
    reset = row.password_hash is not None
    _void_invitations(session, row.id)
    ended = end_sessions(session, row.id)
    row.password_hash = None
    token = secrets.token_urlsafe(32)
    at = now()
    expires = at + dt.timedelta(days=INVITATION_DAYS)
    session.add(
        InvitationRow(
            token_hash=digest(token),
            member_id=row.id,
            created_by=actor_name(by),
            created_at=at,
            expires_at=expires,
        )
    )
    audit.record(
        session,
        actor=actor_name(by),
        action="invitation.created",
        target=row.name,
        client=client,
        details={"reset": reset, "sessions_ended": ended, "expires_at": expires.isoformat()},
    )
    return Invitation(row.name, token, expires)


def invitation_row(session: Session, token: str) -> tuple[InvitationRow, TeamMemberRow]:
    """The open invitation with ``token`` and its member, or one line saying it cannot be used."""
    found = session.execute(
        select(InvitationRow, TeamMemberRow)
        .join(TeamMemberRow, TeamMemberRow.id == InvitationRow.member_id)
        .where(InvitationRow.token_hash == digest(token))
    ).first()
    if (
        found is None
        or found[0].used_at is not None
        or aware(found[0].expires_at) <= now()
        or found[1].deactivated_at is not None
    ):
        raise NotFoundError(
            "this invitation link cannot be used: it was used already, replaced by a newer one or "
            "has expired; ask a lead for a new one"
        )
    return found[0], found[1]


def set_password(
    session: Session, name: str, password: str, *, by: Acting, client: str
) -> TeamMember:
    """The administrator or a lead sets a member's password (``team passwd``); their sessions
    end and open invitations are void."""
    require_manager(session, by)
    row = member_row(session, name)
    check_password(password, row.name)
    row.password_hash = hash_password(password)
    _void_invitations(session, row.id)
    ended = end_sessions(session, row.id)
    audit.record(
        session,
        actor=actor_name(by),
        action="password.set",
        target=row.name,
        client=client,
        details={"sessions_ended": ended},
    )
    return reg.member_of(row)


def change_password(
    session: Session, name: str, old: str, new: str, *, client: str, keep: str | None
) -> TeamMember:
    """A member changes their own password; every other session of theirs ends."""
    row = member_row(session, name)
    if row.deactivated_at is not None:
        raise AccessDenied(f"{row.name} is deactivated")
    if row.password_hash is not None and not verify(row.password_hash, old):
        raise AccessDenied("the current password is not right; nothing was changed")
    check_password(new, row.name)
    first = row.password_hash is None
    row.password_hash = hash_password(new)
    _void_invitations(session, row.id)
    ended = end_sessions(session, row.id, keep=keep)
    audit.record(
        session,
        actor=row.name,
        action="password.set" if first else "password.changed",
        target=row.name,
        client=client,
        details={"sessions_ended": ended},
    )
    return reg.member_of(row)


def set_role(
    session: Session, name: str, role: MemberRole, *, by: Acting, client: str
) -> TeamMember:
    """A new role; the member's sessions end, so every page they have open is reloaded under it."""
    require_manager(session, by)
    row = member_row(session, name)
    if row.role == role.value:
        return reg.member_of(row)
    if role is not MemberRole.LEAD:
        _keep_a_lead(session, row, "changing their role")
    before = row.role
    row.role = role.value
    if role is MemberRole.READER:
        row.anonymised_only = True
    ended = end_sessions(session, row.id)
    audit.record(
        session,
        actor=actor_name(by),
        action="member.role",
        target=row.name,
        client=client,
        details={"from": before, "to": role.value, "sessions_ended": ended},
    )
    return reg.member_of(row)


def set_anonymised_only(
    session: Session, name: str, flag: bool, *, by: Acting, client: str
) -> TeamMember:
    require_manager(session, by)
    member = reg.set_anonymised_only(session, name, flag)
    audit.record(
        session,
        actor=actor_name(by),
        action="member.anonymised_only",
        target=member.name,
        client=client,
        details={"anonymised_only": flag},
    )
    return reg.member_of(member_row(session, name))


def deactivate(session: Session, name: str, *, by: Acting, client: str) -> TeamMember:
    """The member signs in no more; their codings, memos and journal stay, credited to them."""
    require_manager(session, by)
    row = member_row(session, name)
    if row.deactivated_at is not None:
        return reg.member_of(row)
    _keep_a_lead(session, row, "deactivating them")
    row.deactivated_at = now()
    ended = end_sessions(session, row.id)
    _void_invitations(session, row.id)
    audit.record(
        session,
        actor=actor_name(by),
        action="member.deactivated",
        target=row.name,
        client=client,
        details={"sessions_ended": ended},
    )
    return reg.member_of(row)


def reactivate(session: Session, name: str, *, by: Acting, client: str) -> TeamMember:
    require_manager(session, by)
    row = member_row(session, name)
    if row.deactivated_at is None:
        return reg.member_of(row)
    row.deactivated_at = None
    audit.record(
        session, actor=actor_name(by), action="member.reactivated", target=row.name, client=client
    )
    return reg.member_of(row)


def authorship(session: Session, row: TeamMemberRow) -> list[str]:
    """What the study credits to this member: a member with any of it is deactivated, not
    removed, so the record keeps its authors."""
    name = row.name
    checks = (
        (
            "codings",
            select(func.count()).select_from(CodingRow).where(CodingRow.coder_id == row.id),
        ),
        ("memos", select(func.count()).select_from(MemoRow).where(MemoRow.author_id == row.id)),
        (
            "journal entries",
            select(func.count())
            .select_from(JournalEntryRow)
            .where(JournalEntryRow.author_id == row.id),
        ),
        ("codes", select(func.count()).select_from(CodeRow).where(CodeRow.owner_id == row.id)),
        (
            "codebook changes",
            select(func.count()).select_from(LineageRow).where(LineageRow.actor == name),
        ),
        (
            "reconciliation decisions",
            select(func.count())
            .select_from(ReconciliationRow)
            .where(ReconciliationRow.decided_by == name),
        ),
        (
            "anonymisation records",
            select(func.count())
            .select_from(AnonymisationLogRow)
            .where(AnonymisationLogRow.actor == name),
        ),
        (
            "reveals",
            select(func.count())
            .select_from(TranscriptRow)
            .where(TranscriptRow.revealed_by == name),
        ),
    )
    return [f"{n} {what}" for what, query in checks if (n := session.scalar(query) or 0)]


def remove(session: Session, name: str, *, by: Acting, client: str) -> str:
    require_manager(session, by)
    row = member_row(session, name)
    credited = authorship(session, row)
    if credited:
        raise ConflictError(
            f"{row.name} has {', '.join(credited)} in the study: deactivate them instead "
            f"(thematica team deactivate), which keeps their work credited to them"
        )
    _keep_a_lead(session, row, "removing them")
    removed = row.name
    session.execute(delete(SignInSessionRow).where(SignInSessionRow.member_id == row.id))
    session.execute(delete(InvitationRow).where(InvitationRow.member_id == row.id))
    session.delete(row)
    audit.record(
        session, actor=actor_name(by), action="member.removed", target=removed, client=client
    )
    return removed


def team_server_problem(session: Session, study: str = "STUDY") -> str | None:
    """Why this study cannot be served to a network yet, or None: every active member who can
    see original text (leads, and coders not marked anonymised-only) needs a password, and at
    least one active lead must have one."""
    rows = session.scalars(
        select(TeamMemberRow)
        .where(TeamMemberRow.deactivated_at.is_(None))
        .order_by(TeamMemberRow.id)
    ).all()
    missing = [
        r.name for r in rows if r.password_hash is None and reg.member_of(r).scope is Scope.ALL
    ]
    if missing:
        names = ", ".join(missing)
        first = missing[0]
        return (
            f"a team server needs a password for every member who can see original text; "
            f"{names} {'has' if len(missing) == 1 else 'have'} none: set one with "
            f"'thematica team passwd {study} \"{first}\"' or send an invitation with "
            f"'thematica team invite {study} \"{first}\"' (or deactivate them: "
            f"'thematica team deactivate {study} NAME')"
        )
    if not any(r.role == MemberRole.LEAD.value and r.password_hash is not None for r in rows):
        return (
            "a team server needs a lead who can sign in: add one with "
            f"'thematica team add {study} NAME --role lead' and set their password with "
            f"'thematica team passwd {study} NAME'"
        )
    return None
