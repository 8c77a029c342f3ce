"""An index of codings by code (then transcript and coder): counting a level's codes per
participant reads only that level's codings instead of every coding in the study (issue 15:
counts, the matrix and saturation on the large study).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_codings_code_transcript",
        "codings",
        ["code_id", "transcript_id", "coder_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_codings_code_transcript", table_name="codings")
