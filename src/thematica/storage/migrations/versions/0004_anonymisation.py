"""Anonymisation: the 'anonymised only' team flag and the anonymisation log (never originals).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite supports it natively, so the table (which codes and codings
    # reference) is not rebuilt.
    op.add_column(
        "team_members",
        sa.Column("anonymised_only", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "anonymisation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("detector", sa.String(length=32), nullable=False),
        sa.Column("replacement", sa.String(length=300), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_anonymisation_log_transcript_id_transcripts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymisation_log")),
    )


def downgrade() -> None:
    op.drop_table("anonymisation_log")
    with op.batch_alter_table("team_members") as batch:
        batch.drop_column("anonymised_only")
