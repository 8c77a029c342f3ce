"""Reconciliation: a decision per level-one disagreement, and the level-two codings it made.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconciliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("coding_ids", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept_a', 'accept_b', 'both', 'edit', 'drop')",
            name=op.f("ck_reconciliations_known_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_reconciliations_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_reconciliations_transcript_id_transcripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliations")),
        sa.UniqueConstraint(
            "transcript_id",
            "code_id",
            "start_offset",
            "end_offset",
            name=op.f("uq_reconciliations_transcript_id"),
        ),
    )
    op.create_index(
        op.f("ix_reconciliations_transcript_id"), "reconciliations", ["transcript_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reconciliations_transcript_id"), table_name="reconciliations")
    op.drop_table("reconciliations")
