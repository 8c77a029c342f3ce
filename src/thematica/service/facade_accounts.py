"""The study service's account methods (part of :class:`StudyService`): the lead's management of
the team, passwords, invitations, signing in and out, and sessions. The rules are in
``service/accounts.py`` and ``service/signin.py``; every method here is one transaction.

Team management takes the acting member (``by``): an active lead, :data:`ADMINISTRATOR` (the
command line: holding the study file or the database credentials is an administrator's power),
or anyone while the study has no lead yet."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from thematica.domain import MemberRole, TeamMember
from thematica.lazy import lazy_module
from thematica.service.administrator import ADMINISTRATOR, Acting
from thematica.service.sessions import Sessions

if TYPE_CHECKING:
    from thematica.service import accounts as acc
    from thematica.service import signin
    from thematica.service.accounts import Invitation
else:  # loaded at first use (argon2 and the sign-in code): most commands need neither
    acc = lazy_module("thematica.service.accounts")
    signin = lazy_module("thematica.service.signin")


class AccountMethods(Sessions):
    # -- the team, managed by a lead (or the administrator) --------------------------------

    def add_member(
        self,
        name: str,
        role: MemberRole,
        *,
        by: Acting,
        email: str | None = None,
        anonymised_only: bool = False,
        invite: bool = False,
        client: str = "",
    ) -> tuple[TeamMember, Invitation | None]:
        """Add a member, and with ``invite`` a one-time link for them to set their password."""
        with self._transaction() as session:
            member = acc.add_member(
                session,
                name,
                role,
                by=by,
                client=client,
                email=email,
                anonymised_only=anonymised_only,
            )
            invitation = acc.invite(session, member.name, by=by, client=client) if invite else None
            return member, invitation

    def invite(self, name: str, *, by: Acting, client: str = "") -> Invitation:
        """A new invitation link for ``name`` (for a member with a password: a reset; the old
        password stops working and their sessions end)."""
        with self._transaction() as session:
            return acc.invite(session, name, by=by, client=client)

    def set_password(
        self, name: str, password: str, *, by: Acting = ADMINISTRATOR, client: str = "cli"
    ) -> TeamMember:
        with self._transaction() as session:
            return acc.set_password(session, name, password, by=by, client=client)

    def set_role(self, name: str, role: MemberRole, *, by: Acting, client: str = "") -> TeamMember:
        with self._transaction() as session:
            return acc.set_role(session, name, role, by=by, client=client)

    def mark_anonymised_only(
        self, name: str, flag: bool, *, by: Acting, client: str = ""
    ) -> TeamMember:
        with self._transaction() as session:
            return acc.set_anonymised_only(session, name, flag, by=by, client=client)

    def deactivate(self, name: str, *, by: Acting, client: str = "") -> TeamMember:
        with self._transaction() as session:
            return acc.deactivate(session, name, by=by, client=client)

    def reactivate(self, name: str, *, by: Acting, client: str = "") -> TeamMember:
        with self._transaction() as session:
            return acc.reactivate(session, name, by=by, client=client)

    def remove_member(self, name: str, *, by: Acting, client: str = "") -> str:
        """Remove a member who has no work in the study (otherwise: deactivate them)."""
        with self._transaction() as session:
            return acc.remove(session, name, by=by, client=client)

    def team_server_problem(self, study: str = "STUDY") -> str | None:
        """Why the study may not be served beyond this machine yet (None: it may); the commands
        that fix it name the study as ``study``."""
        with self._session() as session:
            return acc.team_server_problem(session, study)

    # -- members themselves ----------------------------------------------------------------

    def change_password(
        self, name: str, old: str, new: str, *, client: str = "", keep: str | None = None
    ) -> TeamMember:
        """``name`` changes their own password (the current one is required when they have one);
        their sessions end, except the one whose token is ``keep``."""
        with self._transaction() as session:
            return acc.change_password(
                session,
                name,
                old,
                new,
                client=client,
                keep=acc.digest(keep) if keep is not None else None,
            )

    def invitation_for(self, token: str) -> str:
        """The member an open invitation is for (or NotFoundError: used, replaced, expired)."""
        with self._session() as session:
            return acc.invitation_row(session, token)[1].name

    def redeem_invitation(self, token: str, password: str, *, client: str = "") -> signin.SignedIn:
        with self._transaction() as session:
            return signin.redeem(session, token, password, client)

    # -- signing in ------------------------------------------------------------------------

    def signin_required(self) -> bool:
        """Whether everyone signs in: as soon as any member has a password."""
        with self._session() as session:
            return signin.any_password(session)

    def sign_in(self, name: str, password: str, *, client: str = "") -> signin.SignedIn:
        """A new session, or :class:`signin.SignInRefused` (the same message for an unknown name
        and a wrong password; :class:`signin.TooManyAttempts` while attempts are held back)."""
        with self._transaction() as session:
            outcome = signin.attempt(session, name, password, client)
        if isinstance(outcome, signin.SignInRefused):
            raise outcome
        return outcome

    def session_account(
        self, token: str, *, idle: dt.timedelta | None = None
    ) -> signin.Account | None:
        """The member signed in with ``token`` and their CSRF token, or None (``idle``: after
        how long without a request a session ends; default 8 hours)."""
        idle = idle or signin.DEFAULT_IDLE
        with self._session() as session:
            found, write = signin.account(session, token, idle)
        if write:
            with self._transaction() as session:
                signin.touch(session, token, idle)
        return found

    def sign_out(self, token: str, *, client: str = "") -> str | None:
        with self._transaction() as session:
            return signin.sign_out(session, token, client)
