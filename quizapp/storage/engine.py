"""Engines on SQLite files: WAL, foreign keys, real transactions, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from quizapp.storage.driver import BUSY_TIMEOUT_MS, set_up
from quizapp.storage.failures import (
    ENVIRONMENTAL_CODES,
    RETRY,
    describe_failure,
    is_environmental,
    result_code,
    sqlite_error,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ENVIRONMENTAL_CODES",
    "RETRY",
    "create_sqlite_engine",
    "describe_failure",
    "is_environmental",
    "result_code",
    "sqlite_error",
]


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
        set_up(dbapi_connection, busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine
