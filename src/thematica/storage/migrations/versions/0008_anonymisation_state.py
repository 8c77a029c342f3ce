"""Anonymisation state per transcript, and the marker of an ``anonymise apply`` under way.

Every transcript starts "none", never scanned: a study anonymised before this revision is closed
to readers and anonymised-only members until a lead runs ``anonymise scan`` and ``anonymise
apply`` with the key file again, which check each transcript and record its state (the study
alone cannot tell whether findings are still pending: they are in the key file).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs: no table is rebuilt
    op.add_column(
        "transcripts",
        sa.Column("anonymisation", sa.String(length=16), server_default="none", nullable=False),
    )
    op.add_column(
        "transcripts",
        sa.Column("anonymisation_scanned_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "anonymisation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymisation_runs")),
        sa.UniqueConstraint("token", name=op.f("uq_anonymisation_runs_token")),
    )


def downgrade() -> None:
    op.drop_table("anonymisation_runs")
    with op.batch_alter_table("transcripts") as batch:
        batch.drop_column("anonymisation_scanned_at")
        batch.drop_column("anonymisation")
