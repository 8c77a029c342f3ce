"""Source units: how many units of its REFI-QDA source each character of a transcript stood
for where that was not one (JSON; null for every other transcript), so character totals can
follow the source tool's (``agreement --convention nvivo``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("transcripts", sa.Column("source_units", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcripts") as batch:
        batch.drop_column("source_units")
