"""Blind level-one coding: a study setting, and when (and by whom) each transcript was revealed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs: no table is rebuilt
    op.add_column(
        "study", sa.Column("blind_coding", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "transcripts", sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("transcripts", sa.Column("revealed_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcripts") as batch:
        batch.drop_column("revealed_by")
        batch.drop_column("revealed_at")
    with op.batch_alter_table("study") as batch:
        batch.drop_column("blind_coding")
