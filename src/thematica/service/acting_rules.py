"""The access rules, in one place: what a bound team member (:class:`~thematica.domain.Actor`)
may do. :class:`~thematica.service.acting.MemberStudy` checks them in every public method, so
neither the workbench nor the command line re-derives a rule.

| who                         | may                                                          |
|-----------------------------|--------------------------------------------------------------|
| every active member         | read the study as their scope allows; keep their own journal |
| coder (and lead)            | code, change their own codings and memos, edit codes, themes |
| lead                        | also: reveal, reconcile (and undo), set blind coding, apply  |
|                             | anonymisation, manage the team, export; change others' work  |
| anonymised-only (``Scope``) | no original text by any path: transcripts not fully          |
|                             | anonymised, their turns, codings' text, quotes, search hits, |
|                             | file names, anonymisation findings, exports                  |
| blind (study codes blind,   | no other coder's level-one coding in a transcript not yet    |
| not a lead)                 | revealed: listings, counts, quotes, search filters, level-one|
|                             | analysis (agreement, matrix, co-occurrence, saturation)      |

A reader writes nothing but their own journal (entries and field notes, which only they can
read): no codings, memos, codes or themes.
"""

from __future__ import annotations

from thematica.domain import Actor, Coding, Level, MemberRole, Scope
from thematica.errors import AccessDenied
from thematica.service.core import StudyService


class Rules:
    """The actor, and the checks every :class:`MemberStudy` method calls."""

    def __init__(self, service: StudyService, actor: Actor) -> None:
        self._service = service
        self._actor = actor
        self._blind_now: bool | None = None

    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def name(self) -> str:
        return self._actor.name

    @property
    def role(self) -> MemberRole:
        return self._actor.role

    @property
    def is_lead(self) -> bool:
        return self._actor.role is MemberRole.LEAD

    @property
    def can_code(self) -> bool:
        """Leads and coders change the analysis; readers read."""
        return self._actor.role is not MemberRole.READER

    @property
    def sees_originals(self) -> bool:
        return self._actor.scope is Scope.ALL

    @property
    def blind(self) -> bool:
        """Whether other coders' level-one work is closed to this member: the study codes blind
        and they are not a lead (a lead sees level-one analysis; single codings follow the
        per-transcript rule in ``blind_rule.hidden_codings`` for everyone)."""
        if self._blind_now is None:
            self._blind_now = not self.is_lead and self._service.blind_coding()
        return self._blind_now

    def require_coder(self, what: str = "change the study") -> None:
        if not self.can_code:
            raise AccessDenied(f"{self.name} is a reader and cannot {what}")

    def require_lead(self, what: str) -> None:
        if not self.is_lead:
            raise AccessDenied(f"only a lead can {what}; {self.name} is a {self.role.value}")

    def require_originals(self, what: str) -> None:
        if not self.sees_originals:
            raise AccessDenied(f"{self.name} sees anonymised text only and cannot {what}")

    def require_level_open(self, level: Level, what: str) -> None:
        """Level-one figures would show a blind coder how the others coded."""
        if level is Level.ONE and self.blind:
            raise AccessDenied(
                "the study codes blind: until the lead ends blind coding, only a lead sees "
                f"level-one {what}"
            )

    # -- which text: named safely, readable ---------------------------------------------

    def readable_transcripts(self) -> set[int] | None:
        """The transcripts this member may read; None: all of them."""
        return self._service.readable_transcripts(self.name)

    def resolve(self, ref: str) -> int:
        """Transcript ``ref``'s id, named as this member may name it (a member who sees
        anonymised text only names transcripts by number or participant label)."""
        return self._service.resolve_for(ref, self.name)

    def require_readable(self, ref: str) -> int:
        """Transcript ``ref``'s id if this member may read it, else AccessDenied."""
        return self._service.require_readable(ref, self.name)

    def readable_coding(self, coding_id: int) -> Coding:
        """A coding this member may see, in a transcript they may read (else 404 or 403)."""
        found = self._service.coding(coding_id, visible_to=self.name)
        self.require_readable(str(found.transcript_id))
        return found

    def check_memo_target(self, target: str) -> None:
        """Memos on text this member may not read are not theirs to see or write."""
        kind, _, ident = target.partition(":")
        kind = kind.strip().lower()
        if kind == "transcript":
            self.require_readable(ident)
        elif kind == "coding" and ident.strip().isdigit():
            self.readable_coding(int(ident))


__all__ = ["Rules"]
