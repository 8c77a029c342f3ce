"""Corrections: the log of corrections made to transcripts while listening (text, speaker,
split, merge; before/after unless they went to the anonymisation key file) and the flags on
codings whose words a correction changed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("in_key", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('text', 'speaker', 'split', 'merge')", name=op.f("ck_corrections_known_kind")
        ),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_corrections_transcript_id_transcripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(
        op.f("ix_corrections_transcript_id"), "corrections", ["transcript_id"], unique=False
    )
    op.create_table(
        "coding_flags",
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("correction_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["codings.id"],
            name=op.f("fk_coding_flags_coding_id_codings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["corrections.id"],
            name=op.f("fk_coding_flags_correction_id_corrections"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("coding_id", name=op.f("pk_coding_flags")),
    )


def downgrade() -> None:
    op.drop_table("coding_flags")
    op.drop_index(op.f("ix_corrections_transcript_id"), table_name="corrections")
    op.drop_table("corrections")
