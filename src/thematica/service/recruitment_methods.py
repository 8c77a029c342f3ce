"""Recruitment methods of :class:`~thematica.service.StudyService` (part of the class), and
:class:`LeadRecruitment`, the same for a bound team member: the recruitment log is a lead's
(``MemberStudy.recruitment()``); every member may see the stopping view. One transaction per
change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from thematica.domain import MemberRole
from thematica.errors import AccessDenied
from thematica.lazy import lazy_module
from thematica.service import audit
from thematica.service import codebook as cb
from thematica.service.sessions import Sessions
from thematica.storage.models import TeamMemberRow

if TYPE_CHECKING:
    from thematica.analysis.stopping import StoppingView
    from thematica.service import recruitment as log
    from thematica.service import recruitment_plan as planning
    from thematica.service.acting_rules import Rules
    from thematica.service.core import StudyService
    from thematica.service.recruitment_types import (
        Candidate,
        Criterion,
        NewCandidate,
        Plan,
        PlanChange,
        RecruitmentLog,
    )
else:  # loaded at first use
    log = lazy_module("thematica.service.recruitment")
    planning = lazy_module("thematica.service.recruitment_plan")


class RecruitmentMethods(Sessions):
    # -- the recruitment log (revision 0010) -----------------------------------------------

    def recruitment(self) -> RecruitmentLog:
        """The plan, the criteria, every candidate and the flow, read once."""
        with self._session() as session:
            return planning.recruitment_log(session)

    def recruitment_plan(self) -> Plan:
        with self._session() as session:
            return planning.plan(session)

    def set_recruitment_plan(self, change: PlanChange) -> Plan:
        with self._transaction() as session:
            return planning.set_plan(session, change)

    def stopping_view(self) -> StoppingView:
        """Interviews done of the maximum, the saturation curve and whether the study's
        stopping rule says recruitment may stop."""
        with self._session() as session:
            return planning.view(session)

    def record_stop(self, memo: str, *, by: str) -> Plan:
        """A lead records the decision to stop recruiting, with a memo the report cites."""
        with self._transaction() as session:
            return planning.record_stop(session, _lead(session, by), memo)

    def add_criterion(self, key: str, text: str, *, kind: str = "inclusion") -> Criterion:
        with self._transaction() as session:
            return log.add_criterion(session, key, text, kind)

    def add_candidates(self, new: Sequence[NewCandidate], *, source: str = "") -> int:
        with self._transaction() as session:
            return log.add_candidates(session, new, source)

    def candidate(self, ref: str) -> Candidate:
        with self._session() as session:
            return log.candidate(session, ref)

    def screen_candidate(
        self,
        ref: str,
        answers: Mapping[str, bool],
        *,
        on: dt.date | None = None,
        all_met: bool = False,
    ) -> Candidate:
        with self._transaction() as session:
            return log.screen(session, ref, on or dt.date.today(), answers, all_met=all_met)

    def record_consent(
        self,
        ref: str,
        *,
        sheet_version: str,
        form_version: str,
        form_location: str,
        by: str,
        on: dt.date | None = None,
        group: str = "",
    ) -> Candidate:
        """Consent: the candidate becomes a participant with the next label of their group."""
        with self._transaction() as session:
            return log.consent(
                session,
                ref,
                on or dt.date.today(),
                sheet_version=sheet_version,
                form_version=form_version,
                form_location=form_location,
                by=audit.member(session, by),
                group=group,
            )

    def set_candidate_status(
        self, ref: str, status: str, *, on: dt.date | None = None, reason: str = ""
    ) -> Candidate:
        with self._transaction() as session:
            return log.set_status(session, ref, status, on or dt.date.today(), reason)


def _lead(session: Session, by: str) -> str:
    row = session.get(TeamMemberRow, cb.member_id(session, by))
    assert row is not None
    if row.role != MemberRole.LEAD.value:
        raise AccessDenied(
            f"only a lead can record the decision to stop; {row.name} is a {row.role}"
        )
    return row.name


class LeadRecruitment:
    """The recruitment log for a bound member: a lead's to read and change (the log names
    who was approached and why they declined, which is for the lead who runs recruitment)."""

    def __init__(self, service: StudyService, rules: Rules) -> None:
        rules.require_lead("keep the recruitment log")
        self._service = service
        self._name = rules.name

    def log(self) -> RecruitmentLog:
        return self._service.recruitment()

    def set_plan(self, change: PlanChange) -> Plan:
        return self._service.set_recruitment_plan(change)

    def record_stop(self, memo: str) -> Plan:
        return self._service.record_stop(memo, by=self._name)

    def add_criterion(self, key: str, text: str, *, kind: str = "inclusion") -> Criterion:
        return self._service.add_criterion(key, text, kind=kind)

    def add_candidates(self, new: Sequence[NewCandidate], *, source: str = "") -> int:
        return self._service.add_candidates(new, source=source)

    def screen(
        self,
        ref: str,
        answers: Mapping[str, bool],
        *,
        on: dt.date | None = None,
        all_met: bool = False,
    ) -> Candidate:
        return self._service.screen_candidate(ref, answers, on=on, all_met=all_met)

    def consent(
        self,
        ref: str,
        *,
        sheet_version: str,
        form_version: str,
        form_location: str,
        on: dt.date | None = None,
        group: str = "",
    ) -> Candidate:
        return self._service.record_consent(
            ref,
            sheet_version=sheet_version,
            form_version=form_version,
            form_location=form_location,
            by=self._name,
            on=on,
            group=group,
        )

    def set_status(
        self, ref: str, status: str, *, on: dt.date | None = None, reason: str = ""
    ) -> Candidate:
        return self._service.set_candidate_status(ref, status, on=on, reason=reason)
