"""What a bound team member changes (part of :class:`~thematica.service.acting.MemberStudy`):
each method checks the rule first (``service/acting_rules.py``) and then stamps the change with
the member's name. The deeper service keeps its own checks (authorship, stale versions, blind
merges); these add the ones it did not make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from thematica.domain import (
    CodePath,
    Coding,
    Level,
    MemberRole,
    Stance,
    TeamMember,
    TranscriptSummary,
)
from thematica.service import notes
from thematica.service import reconcile as rc
from thematica.service import search as find
from thematica.service.acting_rules import Rules
from thematica.service.coding_edits import CodingChange

if TYPE_CHECKING:
    from thematica.service.anonymise import ApplyReport
    from thematica.service.anonymising import AnonymisingStudy
    from thematica.service.transcripts import ImportReport, TranscriptSource
    from thematica.service.withdrawal import WithdrawalPlan
    from thematica.service.withdrawal_methods import WithdrawalReport


class ChangeMethods(Rules):
    # -- codings ---------------------------------------------------------------------------

    def add_coding(
        self,
        transcript: str,
        code: CodePath,
        start: int,
        end: int,
        *,
        level: Level = Level.ONE,
        memo: str | None = None,
        create_code: bool = False,
    ) -> int:
        """Code a span in this member's name (level one; the agreed layer is the lead's)."""
        return self.add_coding_returning(
            transcript, code, start, end, level=level, memo=memo, create_code=create_code
        ).id

    def add_coding_returning(
        self,
        transcript: str,
        code: CodePath,
        start: int,
        end: int,
        *,
        level: Level = Level.ONE,
        memo: str | None = None,
        create_code: bool = False,
    ) -> Coding:
        """:meth:`add_coding`, answering with the coding as stored (the member's own, in a
        transcript they may read: nothing in it is withheld from them)."""
        self.require_coder("code")
        if level is not Level.ONE:
            self.require_lead("code the agreed (level-two) layer")
        tid = self.require_readable(transcript)
        return self._service.add_coding_returning(
            str(tid), code, self.name, start, end, level=level, memo=memo, create_code=create_code
        )

    def change_coding(
        self, coding_id: int, change: CodingChange, *, expected: dt.datetime | None = None
    ) -> Coding:
        self.readable_coding(coding_id)
        self.require_coder("change codings")
        return self._service.change_coding(coding_id, change, by=self.name, expected=expected)

    def remove_coding(self, coding_id: int, *, expected: dt.datetime | None = None) -> Coding:
        self.readable_coding(coding_id)
        self.require_coder("change codings")
        return self._service.remove_coding(coding_id, by=self.name, expected=expected)

    # -- transcripts: a lead who may see originals brings them in ---------------------------

    def import_transcripts(self, sources: Sequence[TranscriptSource]) -> ImportReport:
        """Import transcript files in this member's name, all or nothing (a bad file refuses
        the whole batch, naming every bad one): a lead's, and never a member who sees
        anonymised text only, since the files hold the original words."""
        self.require_may_import_transcripts()
        return self._service.import_transcripts(sources, by=self.name)

    def require_may_import_transcripts(self) -> None:
        """Refuse (AccessDenied) unless :meth:`import_transcripts` is this member's to use."""
        self.require_lead("import transcripts")
        self.require_originals("import transcripts (they hold the original words)")

    # -- the lead's: blind coding, reveal, reconciliation ----------------------------------

    def set_blind_coding(self, on: bool) -> None:
        self.require_lead("set blind coding")
        self._service.set_blind_coding(on, by=self.name)

    def reveal(self, ref: str) -> dt.datetime:
        self.require_lead("reveal a transcript")
        return self._service.reveal(str(self.resolve(ref)), by=self.name)

    def reveal_requires_checked(self) -> bool:
        """Whether the lead requires a transcript checked before it is revealed (everyone may
        know the rule)."""
        return self._service.reveal_requires_checked()

    def set_reveal_requires_checked(self, on: bool) -> None:
        """The lead's rule: a transcript is revealed only once checked against the recording."""
        self.require_lead("set whether a reveal needs a checked transcript")
        self._service.set_reveal_requires_checked(on, by=self.name)

    # -- checked against the recording: members who may see originals ---------------------

    def set_checking(self, ref: str, state: str) -> TranscriptSummary:
        """Mark transcript ``ref`` automatic, in checking or checked, in this member's name."""
        what = "mark a transcript checked against the recording"
        self.require_coder(what)
        self.require_originals(what)
        return self._service.set_checking(str(self.resolve(ref)), state, by=self.name)

    def reconcile(
        self,
        ref: str,
        code: CodePath,
        start: int,
        end: int,
        decision: str,
        *,
        coders: tuple[str, str] | None = None,
        edit: rc.Edit | None = None,
    ) -> rc.Decision:
        self.require_lead("reconcile")
        tid = str(self.require_readable(ref))
        return self._service.reconcile(
            tid, code, start, end, decision, by=self.name, coders=coders, edit=edit
        )

    def carry_agreements(self, ref: str, *, coders: tuple[str, str] | None = None) -> int:
        self.require_lead("reconcile")
        tid = str(self.require_readable(ref))
        return self._service.carry_agreements(tid, by=self.name, coders=coders)

    def undo_carried(self, ref: str, *, coders: tuple[str, str] | None = None) -> int:
        self.require_lead("reconcile")
        tid = str(self.require_readable(ref))
        return self._service.undo_carried(tid, by=self.name, coders=coders)

    def undo_reconciliation(
        self, decision: int, *, ref: str | None = None, expected: dt.datetime | None = None
    ) -> rc.Decision:
        self.require_lead("undo a reconciliation decision")
        tid = str(self.require_readable(ref)) if ref is not None else None
        return self._service.undo_reconciliation(decision, by=self.name, ref=tid, expected=expected)

    # -- the codebook (logged in the lineage) ----------------------------------------------

    def rename_code(
        self,
        path: CodePath,
        new_name: str,
        *,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the codebook")
        return self._service.rename_code(
            path, new_name, by=self.name, level=level, expected=expected
        )

    def describe_code(
        self,
        path: CodePath,
        *,
        description: str | None = None,
        colour: str | None = None,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the codebook")
        return self._service.describe_code(
            path,
            by=self.name,
            description=description,
            colour=colour,
            level=level,
            expected=expected,
        )

    def move_code(
        self,
        path: CodePath,
        new_parent: CodePath | None,
        *,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the codebook")
        return self._service.move_code(
            path, new_parent, by=self.name, level=level, expected=expected
        )

    def merge_codes(
        self,
        source: CodePath,
        target: CodePath,
        *,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the codebook")
        return self._service.merge_codes(
            source, target, by=self.name, level=level, expected=expected
        )

    def split_code(
        self,
        path: CodePath,
        new_name: str,
        codings: Sequence[int],
        *,
        level: Level = Level.ONE,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the codebook")
        return self._service.split_code(
            path, new_name, codings, by=self.name, level=level, expected=expected
        )

    def undo(self, entry: int) -> str:
        self.require_coder("change the codebook")
        return self._service.undo(entry, by=self.name)

    # -- the theme framework ---------------------------------------------------------------

    def add_theme(self, name: str, *, parent: int | None = None, description: str = "") -> int:
        self.require_coder("change the theme framework")
        return self._service.add_theme(name, by=self.name, parent=parent, description=description)

    def rename_theme(self, node_id: int, name: str, *, expected: str | None = None) -> int:
        self.require_coder("change the theme framework")
        return self._service.rename_theme(node_id, name, by=self.name, expected=expected)

    def describe_theme(self, node_id: int, description: str, *, expected: str | None = None) -> int:
        self.require_coder("change the theme framework")
        return self._service.describe_theme(node_id, description, by=self.name, expected=expected)

    def move_theme(
        self,
        node_id: int,
        parent: int | None,
        *,
        position: int | None = None,
        expected: str | None = None,
    ) -> int:
        self.require_coder("change the theme framework")
        return self._service.move_theme(
            node_id, parent, by=self.name, position=position, expected=expected
        )

    def shift_theme(self, node_id: int, direction: str, *, expected: str | None = None) -> int:
        self.require_coder("change the theme framework")
        return self._service.shift_theme(node_id, direction, by=self.name, expected=expected)

    def remove_theme(self, node_id: int, *, expected: str | None = None) -> int:
        self.require_coder("change the theme framework")
        return self._service.remove_theme(node_id, by=self.name, expected=expected)

    def assign_code(self, node_id: int, code_id: int, *, stance: Stance = Stance.SUPPORTS) -> int:
        self.require_coder("change the theme framework")
        return self._service.assign_code(node_id, code_id, by=self.name, stance=stance)

    def unassign_code(self, node_id: int, code_id: int) -> int:
        self.require_coder("change the theme framework")
        return self._service.unassign_code(node_id, code_id, by=self.name)

    def link_themes(self, from_node: int, to_node: int, label: str) -> int:
        self.require_coder("change the theme framework")
        return self._service.link_themes(from_node, to_node, label, by=self.name)

    def unlink_themes(self, link_id: int) -> int:
        self.require_coder("change the theme framework")
        return self._service.unlink_themes(link_id, by=self.name)

    # -- memos (coders and leads) and the journal (everyone's own) -------------------------

    def add_memo(self, target: str, text: str) -> notes.Memo:
        self.require_coder("write memos")
        self.check_memo_target(target)
        return self._service.add_memo(target, text, by=self.name)

    def edit_memo(self, ref: str, text: str, *, expected: dt.datetime | None = None) -> notes.Memo:
        self.require_coder("write memos")
        self._memo_ref(ref)
        return self._service.edit_memo(ref, text, by=self.name, expected=expected)

    def remove_memo(self, ref: str, *, expected: dt.datetime | None = None) -> notes.Memo:
        self.require_coder("write memos")
        self._memo_ref(ref)
        return self._service.remove_memo(ref, by=self.name, expected=expected)

    def _memo_ref(self, ref: str) -> None:
        if ref.strip().lower().startswith("coding:"):
            self.check_memo_target(ref)

    def add_journal_entry(
        self,
        text: str,
        *,
        kind: str = "journal",
        transcripts: Sequence[str] = (),
        codes: Sequence[int] = (),
    ) -> notes.JournalEntry:
        """Every member, readers included, keeps their own journal."""
        for ref in transcripts:
            self.resolve(ref)
        return self._service.add_journal_entry(
            text, by=self.name, kind=kind, transcripts=transcripts, codes=codes
        )

    def edit_journal_entry(
        self, entry: int, change: notes.EntryChange, *, expected: dt.datetime | None = None
    ) -> notes.JournalEntry:
        for ref in change.transcripts or ():
            self.resolve(ref)
        return self._service.edit_journal_entry(entry, change, by=self.name, expected=expected)

    def remove_journal_entry(
        self, entry: int, *, expected: dt.datetime | None = None
    ) -> notes.JournalEntry:
        return self._service.remove_journal_entry(entry, by=self.name, expected=expected)

    # -- search: code all results ----------------------------------------------------------

    def code_search_results(
        self,
        query: str,
        code: CodePath,
        *,
        wanted: find.SearchFilter | None = None,
        scope: str = "match",
        create_code: bool = False,
        expected: int | None = None,
        dry_run: bool = False,
    ) -> find.CodeAllPlan:
        self.require_coder("code")
        return self._service.code_search_results(
            query,
            code,
            by=self.name,
            wanted=wanted,
            scope=scope,
            create_code=create_code,
            expected=expected,
            dry_run=dry_run,
        )

    # -- the team and anonymisation: the lead's --------------------------------------------

    def add_team_member(
        self, name: str, role: MemberRole, *, anonymised_only: bool = False
    ) -> TeamMember:
        self.require_lead("manage the team")
        return self._service.add_team_member(name, role, anonymised_only=anonymised_only)

    def set_anonymised_only(self, name: str, flag: bool) -> TeamMember:
        self.require_lead("manage the team")
        return self._service.set_anonymised_only(name, flag)

    def anonymiser(self, key_path: Path) -> AnonymisingStudy:
        """The anonymisation review (findings hold original text): for members who see
        originals. Applying it is the lead's (:meth:`apply_anonymisation`)."""
        from thematica.service.acting_anonymise import MemberAnonymiser

        self.require_originals("review anonymisation findings")
        return MemberAnonymiser(self._service, key_path, self)

    def apply_anonymisation(self, key_path: Path, *, pending: str = "refuse") -> ApplyReport:
        self.require_lead("apply anonymisation")
        return self.anonymiser(key_path).apply(self.name, pending=pending)

    def apply_anonymisation_confirmed(self, key_path: Path, fingerprint: str) -> ApplyReport:
        """Apply the accepted findings, if ``fingerprint`` is that of the plan now (what the
        workbench showed the lead before they confirmed)."""
        self.require_lead("apply anonymisation")
        return self.anonymiser(key_path).apply_confirmed(self.name, fingerprint)

    # -- withdrawal: the lead's ----------------------------------------------------------

    def withdrawal_plan(self, label: str, *, key_path: Path | None = None) -> WithdrawalPlan:
        """What withdrawing participant ``label`` would remove, for the lead to confirm."""
        self.require_lead("withdraw a participant")
        return self._service.withdrawal_plan(label, by=self.name, key_path=key_path)

    def withdraw_participant(
        self,
        label: str,
        *,
        confirm: str,
        reason: str = "not-stated",
        key_path: Path | None = None,
    ) -> WithdrawalReport:
        """Remove participant ``label``'s data, as the plan with fingerprint ``confirm`` said."""
        self.require_lead("withdraw a participant")
        return self._service.withdraw(
            label, by=self.name, confirm=confirm, reason=reason, key_path=key_path
        )
