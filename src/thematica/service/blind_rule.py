"""Blind coding's rule, as a condition on codings, in the one place it is written: while the
study codes blind, a member does not see other coders' level-one codings in transcripts the
lead has not revealed (the agreed level-two layer is always visible).

It comes in two forms from one definition (:func:`_hidden_from`): :func:`hidden_codings`, with
the member's id, for statements built per call; :data:`HIDDEN_FROM_VIEWER`, taking the
member's id as the parameter ``viewer``, for statements built once (the hot path's: see
ARCHITECTURE.md, "The statements a request runs are built once")."""

from __future__ import annotations

from sqlalchemy import BindParameter, ColumnElement, Integer, bindparam, select
from sqlalchemy.orm import Session

from thematica.domain import Level
from thematica.storage.models import CodeRow, CodingRow, StudyRow, TranscriptRow


def hidden_codings(session: Session, member: int) -> ColumnElement[bool] | None:
    """The codings hidden from ``member`` (their id), or ``None`` when the study does not code
    blind."""
    return _hidden_from(member) if codes_blind(session) else None


def codes_blind(session: Session) -> bool:
    """Whether the study codes blind (the condition :func:`hidden_codings` applies then)."""
    study = session.get(StudyRow, 1)
    return study is not None and bool(study.blind_coding)


def _hidden_from(member: int | BindParameter[int]) -> ColumnElement[bool]:
    return (
        CodingRow.transcript_id.in_(
            select(TranscriptRow.id).where(TranscriptRow.revealed_at.is_(None))
        )
        & CodingRow.code_id.in_(select(CodeRow.id).where(CodeRow.level == int(Level.ONE)))
        & (CodingRow.coder_id != member)
    )


HIDDEN_FROM_VIEWER = _hidden_from(bindparam("viewer", type_=Integer))
"""Blind coding's condition for a statement built once: it takes the member's id as the
parameter ``viewer``. Apply it only while :func:`codes_blind`, as :func:`hidden_codings` does."""


__all__ = ["HIDDEN_FROM_VIEWER", "codes_blind", "hidden_codings"]
