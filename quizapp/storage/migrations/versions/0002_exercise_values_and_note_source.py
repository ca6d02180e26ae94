"""Reviews keep the exercise values shown; notes know their text format and are found by bank.

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


def downgrade() -> None:
    op.drop_index("ix_notes_source", table_name="notes")
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("text_format")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("shown")
