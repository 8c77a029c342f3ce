"""Theme framework (nodes, code assignments with a stance, interlinks), code origins, lineage log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_origins",
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_code_origins_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["origin_id"],
            ["codes.id"],
            name=op.f("fk_code_origins_origin_id_codes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_id", "origin_id", name=op.f("pk_code_origins")),
    )
    op.create_table(
        "theme_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["theme_nodes.id"],
            name=op.f("fk_theme_nodes_parent_id_theme_nodes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_nodes")),
    )
    op.create_index(op.f("ix_theme_nodes_parent_id"), "theme_nodes", ["parent_id"], unique=False)
    op.create_table(
        "node_codes",
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "stance IN ('supports', 'divergent')", name=op.f("ck_node_codes_known_stance")
        ),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_node_codes_code_id_codes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["theme_nodes.id"],
            name=op.f("fk_node_codes_node_id_theme_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("node_id", "code_id", name=op.f("pk_node_codes")),
    )
    op.create_table(
        "node_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_node_id", sa.Integer(), nullable=False),
        sa.Column("to_node_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_node_id"],
            ["theme_nodes.id"],
            name=op.f("fk_node_links_from_node_id_theme_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_node_id"],
            ["theme_nodes.id"],
            name=op.f("fk_node_links_to_node_id_theme_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_links")),
        sa.UniqueConstraint(
            "from_node_id", "to_node_id", "label", name=op.f("uq_node_links_from_node_id")
        ),
    )
    op.create_table(
        "lineage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage")),
    )


def downgrade() -> None:
    op.drop_table("lineage")
    op.drop_table("node_links")
    op.drop_table("node_codes")
    op.drop_index(op.f("ix_theme_nodes_parent_id"), table_name="theme_nodes")
    op.drop_table("theme_nodes")
    op.drop_table("code_origins")
