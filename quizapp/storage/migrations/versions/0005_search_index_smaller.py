"""A smaller search index, written as notes are: texts kept once, no copies of them.

Schema 0004 kept each note's texts twice (in the FTS5 table's own content and, as sort
keys, in ``search_notes``) and every tag twice (by tag and by note): 113 MB on 100,000
cards.  Now:

* ``search_texts`` — per note, each search field's texts (one column per field, as
  :data:`~quizapp.search.fields.SEARCH_FIELDS`); the only copy of them;
* ``search_fts`` — the FTS5 word index over ``search_texts`` (external content, no
  column sizes kept): the index holds the words and where they are, not the texts;
* ``search_notes`` — kind, tags, source and times; ``question`` and ``answer`` sort keys
  only where no text field holds them as shown (a cloze's gaps, a true/false answer, a
  choice, a number): the others sort by their fields in ``search_texts``;
* ``search_tags`` — by tag only: a note's old tags, kept in ``search_notes``, say which
  rows to delete.

The vocabulary (``search_words``, ``search_vocab``), ``search_card_stats`` and the
triggers of 0004 stay.  The index is rebuilt from ``notes``: every note is queued in
``search_pending``, indexed at the next search (a few seconds for 100,000 notes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIELD_COLUMNS = (
    "front",
    "back",
    "statement",
    "question",
    "choices",
    "answers",
    "feedback",
    "unit",
    "pairs",
    "distractors",
    "text",
    "extra",
    "answer",
    "steps",
    "explanation",
)
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_notes_kind", table_name="search_notes")
    op.drop_table("search_notes")
    op.drop_index("ix_search_tags_note", table_name="search_tags")
    op.execute("DELETE FROM search_tags")
    op.create_table(
        "search_texts",
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in FIELD_COLUMNS),
    )
    op.create_table(
        "search_notes",
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("modified_at", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
    )
    op.create_index("ix_search_notes_kind", "search_notes", ["kind"])
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(FIELD_COLUMNS)}, "
        f"content = 'search_texts', content_rowid = 'note_id', columnsize = 0, {TOKENIZE})"
    )
    op.execute("DELETE FROM search_pending")
    op.execute("INSERT INTO search_pending (note_id) SELECT id FROM notes")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_notes_kind", table_name="search_notes")
    op.drop_table("search_notes")
    op.drop_table("search_texts")
    op.execute("DELETE FROM search_tags")
    op.create_index("ix_search_tags_note", "search_tags", ["note_id"])
    op.create_table(
        "search_notes",
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("modified_at", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
    )
    op.create_index("ix_search_notes_kind", "search_notes", ["kind"])
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(FIELD_COLUMNS)}, {TOKENIZE})"
    )
    op.execute("DELETE FROM search_pending")
    op.execute("INSERT INTO search_pending (note_id) SELECT id FROM notes")
