"""Exercise values on reviews, notes' text format and bank, a covering queue index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("shown", sa.JSON(), nullable=True))
    with op.batch_alter_table("notes") as batch:
        batch.add_column(
            sa.Column("text_format", sa.String(10), nullable=False, server_default="plain")
        )
    op.create_index("ix_notes_source", "notes", ["source"])
    # Counting due cards reads only this index: no card row is visited to check
    # that it is not suspended or buried.
    op.drop_index("ix_cards_deck_state_due", table_name="cards")
    op.create_index(
        "ix_cards_studyable", "cards", ["deck_id", "state", "suspended", "buried", "due"]
    )


def downgrade() -> None:
    op.drop_index("ix_cards_studyable", table_name="cards")
    op.create_index("ix_cards_deck_state_due", "cards", ["deck_id", "state", "due"])
    op.drop_index("ix_notes_source", table_name="notes")
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("text_format")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("shown")
