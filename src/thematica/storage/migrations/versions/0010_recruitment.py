"""Recruitment: the sample-size plan and stopping rule, the screening criteria, candidates (by a
pseudonymous id only), their screening answers and consent records.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recruitment_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("base", sa.Integer(), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.String(length=16), nullable=False),
        sa.Column("initial", sa.Integer(), nullable=False),
        sa.Column("stop", sa.Integer(), nullable=False),
        sa.Column("sampling", sa.Text(), server_default="", nullable=False),
        sa.Column("setting", sa.Text(), server_default="", nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_by", sa.String(length=200), nullable=True),
        sa.Column("stop_memo", sa.Text(), nullable=True),
        sa.Column("stop_interviews", sa.Integer(), nullable=True),
        sa.Column("stop_verdict", sa.Text(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_recruitment_plan_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_plan")),
    )
    op.create_table(
        "recruitment_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_criteria")),
        sa.UniqueConstraint("key", name=op.f("uq_recruitment_criteria_key")),
    )
    op.create_table(
        "recruitment_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("group_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("approach", sa.String(length=200), server_default="", nullable=False),
        sa.Column("approached_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=True),
        sa.Column("excluded_by", sa.Integer(), nullable=True),
        sa.Column("interviewed_on", sa.Date(), nullable=True),
        sa.Column("participant_label", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["excluded_by"],
            ["recruitment_criteria.id"],
            name=op.f("fk_recruitment_candidates_excluded_by_recruitment_criteria"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_candidates")),
        sa.UniqueConstraint("ref", name=op.f("uq_recruitment_candidates_ref")),
        sa.UniqueConstraint(
            "participant_label", name=op.f("uq_recruitment_candidates_participant_label")
        ),
    )
    op.create_table(
        "recruitment_answers",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["recruitment_candidates.id"],
            name=op.f("fk_recruitment_answers_candidate_id_recruitment_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["recruitment_criteria.id"],
            name=op.f("fk_recruitment_answers_criterion_id_recruitment_criteria"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "candidate_id", "criterion_id", name=op.f("pk_recruitment_answers")
        ),
    )
    op.create_table(
        "recruitment_consents",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("consented_on", sa.Date(), nullable=False),
        sa.Column("sheet_version", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.String(length=64), nullable=False),
        sa.Column("form_location", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["recruitment_candidates.id"],
            name=op.f("fk_recruitment_consents_candidate_id_recruitment_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_recruitment_consents")),
    )


def downgrade() -> None:
    op.drop_table("recruitment_consents")
    op.drop_table("recruitment_answers")
    op.drop_table("recruitment_candidates")
    op.drop_table("recruitment_criteria")
    op.drop_table("recruitment_plan")
