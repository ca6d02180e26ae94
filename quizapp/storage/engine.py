"""Engines on SQLite files: WAL, foreign keys, real transactions, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from quizapp.errors import EnvironmentProblem

BUSY_TIMEOUT_MS = 3000
AUTOCHECKPOINT_PAGES = 4000


def create_sqlite_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the SQLite file ``path``, each connection set up for QuizApp.

    Every connection gets foreign keys on, WAL journaling, ``synchronous=NORMAL``
    (a committed answer survives the process being killed), and waits up to
    ``busy_timeout_ms`` for another program's lock before giving up.
    pysqlite's own transaction handling is switched off so that SQLAlchemy's
    ``begin()`` is a real ``BEGIN`` (the recipe from SQLAlchemy's SQLite docs).
    """
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # 16 MB of page cache (SQLite's default is 2 MB): a study day touches cards
            # scattered over a large collection.
            cursor.execute("PRAGMA cache_size = -16000")
            # Checkpoints copy the WAL back into the file.  The app runs them when the
            # learner pauses (Database.checkpoint); this automatic one is the backstop,
            # rare enough not to land in the middle of a quick run of answers.
            cursor.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def describe_failure(path: Path, error: BaseException) -> EnvironmentProblem:
    """One sentence for the user about why the database at ``path`` failed."""
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return EnvironmentProblem(
            f"The database {path} is locked by another program "
            "(is QuizApp already running?); close it and try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return EnvironmentProblem(
            f"The file {path} is not a QuizApp database, or it is damaged ({original})."
        )
    if "readonly" in text or "read-only" in text:
        return EnvironmentProblem(f"The database {path} is read-only; QuizApp needs to write it.")
    return EnvironmentProblem(f"Cannot open the database {path}: {original}.")
