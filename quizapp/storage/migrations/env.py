"""Alembic environment: runs on the connection that QuizApp hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from quizapp.storage.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("QuizApp migrations run only through quizapp.storage.migrate")

# render_as_batch: SQLite alters tables by copying them; Alembic's batch mode does that.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
