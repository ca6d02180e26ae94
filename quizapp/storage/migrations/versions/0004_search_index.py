"""The search index: note texts for full-text search, tags, and each card's answer counts.

On 100,000 cards, scanning the notes for a word, a tag or a card's number of answers
takes 100 to 150 ms on a slow machine; these tables answer the same in a few.  All of
them are derived data, rebuilt from ``notes`` and ``reviews``:

* ``search_pending`` — notes to (re)index: triggers add every note inserted, updated
  or deleted, and the search service indexes them before it searches;
* ``search_notes`` — per note, what a search reads without the wide ``notes`` row:
  kind, tags, source, times, and the sort keys of its question and answer;
* ``search_tags`` — one row per tag of a note, lower case, for ``tag:`` by index;
* ``search_fts`` — an FTS5 word index (``unicode61``, accents kept) with one column
  per field of QuizApp's note kinds, each holding that field's texts;
* ``search_words`` and ``search_vocab`` — every word of the index once, with its form
  without accents, and a trigram index of those forms: Anki's search finds ``dog``
  inside ``underdog``, so a term becomes the words that contain it, found in the
  vocabulary (tens of thousands of words) instead of in every text;
* ``search_card_stats`` — per card, its answers, lapses and first answer, kept by
  triggers on ``reviews``, for ``prop:reps``, ``prop:lapses`` and ``introduced:``.

The triggers use no virtual table, so that they run under ``trusted_schema = OFF``.
A later migration that rebuilds ``notes``, ``reviews`` or ``cards`` (Alembic's batch
mode copies the table) drops their triggers and must create them again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
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

TRIGGERS = (
    """
    CREATE TRIGGER search_note_added AFTER INSERT ON notes BEGIN
        INSERT OR IGNORE INTO search_pending (note_id) VALUES (new.id);
    END
    """,
    """
    CREATE TRIGGER search_note_changed AFTER UPDATE ON notes BEGIN
        INSERT OR IGNORE INTO search_pending (note_id) VALUES (old.id);
        INSERT OR IGNORE INTO search_pending (note_id) VALUES (new.id);
    END
    """,
    """
    CREATE TRIGGER search_note_deleted AFTER DELETE ON notes BEGIN
        INSERT OR IGNORE INTO search_pending (note_id) VALUES (old.id);
    END
    """,
    """
    CREATE TRIGGER search_review_added AFTER INSERT ON reviews BEGIN
        INSERT INTO search_card_stats (card_id, reviews, lapses, first_review)
        VALUES (new.card_id, 1, new.rating = 1 AND new.state_before = 2, new.reviewed_at)
        ON CONFLICT (card_id) DO UPDATE SET
            reviews = reviews + 1,
            lapses = lapses + excluded.lapses,
            first_review = min(coalesce(first_review, excluded.first_review),
                               excluded.first_review);
    END
    """,
    """
    CREATE TRIGGER search_review_deleted AFTER DELETE ON reviews BEGIN
        UPDATE search_card_stats SET
            reviews = reviews - 1,
            lapses = lapses - (old.rating = 1 AND old.state_before = 2),
            first_review = (SELECT min(reviewed_at) FROM reviews WHERE card_id = old.card_id)
        WHERE card_id = old.card_id;
    END
    """,
    """
    CREATE TRIGGER search_review_changed
    AFTER UPDATE OF card_id, rating, state_before, reviewed_at ON reviews BEGIN
        DELETE FROM search_card_stats WHERE card_id IN (old.card_id, new.card_id);
        INSERT INTO search_card_stats (card_id, reviews, lapses, first_review)
        SELECT card_id, count(*), sum(rating = 1 AND state_before = 2), min(reviewed_at)
        FROM reviews WHERE card_id IN (old.card_id, new.card_id) GROUP BY card_id;
    END
    """,
    """
    CREATE TRIGGER search_card_deleted AFTER DELETE ON cards BEGIN
        DELETE FROM search_card_stats WHERE card_id = old.id;
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "search_pending",
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=False),
    )
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
    op.create_table(
        "search_tags",
        sa.Column("tag", sa.Text(), primary_key=True),
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_tags_note", "search_tags", ["note_id"])
    op.create_table(
        "search_card_stats",
        sa.Column("card_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("first_review", sa.Integer(), nullable=True),
    )
    op.create_table(
        "search_words",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("word", sa.Text(), nullable=False, unique=True),
        sa.Column("folded", sa.Text(), nullable=False),
    )
    op.create_index("ix_search_words_folded", "search_words", ["folded"])
    columns = ", ".join(FIELD_COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, "
        "tokenize = 'unicode61 remove_diacritics 0')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_vocab USING fts5(folded, content = '', tokenize = 'trigram')"
    )
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO search_pending (note_id) SELECT id FROM notes")
    op.execute(
        "INSERT INTO search_card_stats (card_id, reviews, lapses, first_review) "
        "SELECT card_id, count(*), sum(rating = 1 AND state_before = 2), min(reviewed_at) "
        "FROM reviews GROUP BY card_id"
    )


def downgrade() -> None:
    for name in (
        "search_card_deleted",
        "search_review_changed",
        "search_review_deleted",
        "search_review_added",
        "search_note_deleted",
        "search_note_changed",
        "search_note_added",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_vocab")
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_words_folded", table_name="search_words")
    op.drop_table("search_words")
    op.drop_table("search_card_stats")
    op.drop_index("ix_search_tags_note", table_name="search_tags")
    op.drop_table("search_tags")
    op.drop_index("ix_search_notes_kind", table_name="search_notes")
    op.drop_table("search_notes")
    op.drop_table("search_pending")
