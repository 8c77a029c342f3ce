"""Checking transcripts against the recording: each transcript's state (automatic, checking,
checked), who set it and when, and the lead's rule that a transcript must be checked before it
is revealed for reconciliation.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs: no table is rebuilt
    op.add_column(
        "transcripts",
        sa.Column("checking", sa.String(length=16), server_default="automatic", nullable=False),
    )
    op.add_column("transcripts", sa.Column("checked_by", sa.String(length=200), nullable=True))
    op.add_column("transcripts", sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "study",
        sa.Column(
            "reveal_requires_checked", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("study") as batch:
        batch.drop_column("reveal_requires_checked")
    with op.batch_alter_table("transcripts") as batch:
        batch.drop_column("checked_at")
        batch.drop_column("checked_by")
        batch.drop_column("checking")
