"""The anonymisation review as one bound member sees it: their own name on every step, and
applying only for a lead. ``MemberStudy.anonymiser`` hands out this, never the administrator's
:class:`AnonymisingStudy`, so no caller can apply, or act under another name, by going round
``MemberStudy.apply_anonymisation``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from thematica.service import anonymise as an
from thematica.service.anonymising import AnonymisingStudy

if TYPE_CHECKING:
    from thematica.service import StudyService
    from thematica.service.acting_rules import Rules


class MemberAnonymiser(AnonymisingStudy):
    def __init__(self, service: StudyService, key_path: Path, rules: Rules) -> None:
        super().__init__(service, key_path)
        self._rules = rules

    def apply(
        self, actor: str, *, pending: str = "refuse", expect: str | None = None
    ) -> an.ApplyReport:
        self._rules.require_lead("apply anonymisation")
        return super().apply(self._rules.name, pending=pending, expect=expect)

    def original(self, ref: str, start: int, end: int, actor: str) -> tuple[str, str]:
        return super().original(ref, start, end, self._rules.name)

    def decide(self, actor: str, **decisions: object) -> int:
        return super().decide(self._rules.name, **decisions)
