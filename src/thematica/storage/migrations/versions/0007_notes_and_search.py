"""Memos (on codes, theme nodes, transcripts), the reflexive journal, and a full-text index of turns.

The index is derived from the text: the turns' words, split and folded in Python
(:mod:`thematica.words`), so both backends index the same words. SQLite gets a contentless
FTS5 table of them (the text is not stored twice), PostgreSQL a table of ``tsvector``
documents with a GIN index. Existing studies get their index built here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematica.storage import search_index

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "memos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("transcript_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "(CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN node_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN transcript_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_memos_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["team_members.id"],
            name=op.f("fk_memos_author_id_team_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_memos_code_id_codes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["theme_nodes.id"],
            name=op.f("fk_memos_node_id_theme_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_memos_transcript_id_transcripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memos")),
    )
    for column in ("code_id", "node_id", "transcript_id"):
        op.create_index(op.f(f"ix_memos_{column}"), "memos", [column], unique=False)
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "kind IN ('journal', 'field-note')", name=op.f("ck_journal_entries_known_kind")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["team_members.id"],
            name=op.f("fk_journal_entries_author_id_team_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
    )
    op.create_index(
        op.f("ix_journal_entries_author_id"), "journal_entries", ["author_id"], unique=False
    )
    for table, column, target in (
        ("journal_transcripts", "transcript_id", "transcripts"),
        ("journal_codes", "code_id", "codes"),
    ):
        op.create_table(
            table,
            sa.Column("entry_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["entry_id"],
                ["journal_entries.id"],
                name=op.f(f"fk_{table}_entry_id_journal_entries"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                [column],
                [f"{target}.id"],
                name=op.f(f"fk_{table}_{column}_{target}"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("entry_id", column, name=op.f(f"pk_{table}")),
        )
    _create_search_index()


def _create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # contentless: it holds each turn's words as thematica.words folds them, joined by
        # spaces, which the ascii tokenizer only splits again (the text is not stored twice)
        op.execute(
            "CREATE VIRTUAL TABLE search_turns USING fts5(words, content='', columnsize=0, "
            "tokenize='ascii')"
        )
    else:
        op.execute(
            "CREATE TABLE search_turns (turn_id integer PRIMARY KEY REFERENCES turns(id) "
            "ON DELETE CASCADE, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX search_turns_document ON search_turns USING gin (document)")
    search_index.rebuild(op.get_bind())  # words folded in Python, as queries are


def downgrade() -> None:
    op.execute("DROP TABLE search_turns")
    op.drop_table("journal_codes")
    op.drop_table("journal_transcripts")
    op.drop_index(op.f("ix_journal_entries_author_id"), table_name="journal_entries")
    op.drop_table("journal_entries")
    for column in ("transcript_id", "node_id", "code_id"):
        op.drop_index(op.f(f"ix_memos_{column}"), table_name="memos")
    op.drop_table("memos")
