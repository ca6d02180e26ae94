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


# What to tell the user for each of SQLite's primary result codes that the world, not
# QuizApp, is to blame for.  {retry} says what to do again once it is fixed, and what was
# lost ("answer again (this answer was not saved)").
_SENTENCES = {
    sqlite3.SQLITE_BUSY: (
        "The database {path} is locked by another program (is QuizApp already running?); "
        "close it and {retry}."
    ),
    sqlite3.SQLITE_LOCKED: (
        "The database {path} is held by another task of QuizApp at this moment; "
        "wait a little and {retry}."
    ),
    sqlite3.SQLITE_FULL: (
        "The disk holding the database {path} is full; free some space and {retry}."
    ),
    sqlite3.SQLITE_READONLY: (
        "The database {path} is read-only (the file, its folder or its disk cannot be written), "
        "and QuizApp needs to write it; make it writable and {retry}."
    ),
    sqlite3.SQLITE_CORRUPT: (
        "The database {path} is damaged ({detail}); restore it from a backup copy, "
        "such as a .bak file beside it."
    ),
    sqlite3.SQLITE_NOTADB: (
        "The file {path} is not a QuizApp database, or it is damaged beyond reading; "
        "choose another file."
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "Cannot open the database {path}: its folder is missing or cannot be entered, "
        "or QuizApp cannot create files in it."
    ),
    sqlite3.SQLITE_IOERR: (
        "The disk failed while reading or writing the database {path} ({name}); "
        "check the disk and {retry}."
    ),
    sqlite3.SQLITE_PERM: (
        "QuizApp is not permitted to use the database {path} ({name}); "
        "check its permissions and {retry}."
    ),
    sqlite3.SQLITE_AUTH: (
        "QuizApp is not permitted to use the database {path} ({name}); "
        "check its permissions and {retry}."
    ),
}
ENVIRONMENTAL_CODES = frozenset(_SENTENCES)
RETRY = "try again"


def sqlite_error(error: BaseException) -> BaseException:
    """The driver's own exception under a SQLAlchemy one (or ``error`` itself)."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        return error.orig
    return error


def result_code(error: BaseException) -> int | None:
    """SQLite's primary result code of ``error``: SQLITE_IOERR for SQLITE_IOERR_WRITE, …

    None when the error does not come from SQLite.
    """
    code = getattr(sqlite_error(error), "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_environmental(error: BaseException) -> bool:
    """Whether SQLite failed because of the disk, the file or another program, not a bug."""
    return result_code(error) in ENVIRONMENTAL_CODES


def describe_failure(path: Path, error: BaseException, retry: str = RETRY) -> EnvironmentProblem:
    """One sentence for the user about why the database at ``path`` failed.

    Sorted by SQLite's result code, never by the wording of its message.  ``retry``
    ends the sentence where trying again can help: "answer again (this answer was
    not saved)".
    """
    original = sqlite_error(error)
    code = result_code(original)
    sentence = None if code is None else _SENTENCES.get(code)
    if sentence is None:
        return EnvironmentProblem(f"Cannot use the database {path}: {original}.")
    name = getattr(original, "sqlite_errorname", "")
    return EnvironmentProblem(sentence.format(path=path, retry=retry, name=name, detail=original))
