"""SQLite through the driver alone: connections set up for QuizApp, and their transactions.

Opening a collection, counting a deck and answering a card run their SQL here,
on :mod:`sqlite3` itself: importing SQLAlchemy costs more than everything a
``quizapp stats`` on 100,000 cards does, so it is loaded only for what needs it
(migrations, and the queries written with its expression language).  A
:class:`DriverConnection` answers the part of SQLAlchemy's ``Connection`` API
the repositories' SQL strings use (``exec_driver_sql`` and its results), so a
repository method written that way runs on either.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT_MS = 3000
AUTOCHECKPOINT_PAGES = 4000
# Connections kept open for the next transaction: the UI thread and a background task.
_IDLE_KEPT = 2

Params = Sequence[Any] | Sequence[Sequence[Any]]


class Runner(Protocol):
    """What runs a repository's SQL: a :class:`DriverConnection` or SQLAlchemy's Connection."""

    def exec_driver_sql(self, statement: str, parameters: Any = ...) -> Any:
        """Run ``statement`` with ``?`` parameters."""
        ...


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection to the SQLite file ``path``, set up as every QuizApp connection is.

    Foreign keys on, WAL journaling, ``synchronous=NORMAL`` (a committed answer
    survives the process being killed), a wait of up to ``busy_timeout_ms`` for
    another program's lock, and no implicit transactions: each is a real BEGIN.
    """
    connection = sqlite3.connect(
        path, timeout=busy_timeout_ms / 1000, check_same_thread=False, isolation_level=None
    )
    try:
        set_up(connection, busy_timeout_ms)
    except BaseException:
        connection.close()
        raise
    return connection


def set_up(connection: sqlite3.Connection, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Give a fresh connection QuizApp's settings (also used for SQLAlchemy's connections)."""
    connection.isolation_level = None
    cursor = connection.cursor()
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


class DriverResult:
    """The rows of one statement, read as SQLAlchemy's ``Result`` reads them."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        """How many rows an UPDATE or DELETE changed."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the row an INSERT made."""
        return self._cursor.lastrowid

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    def all(self) -> list[tuple[Any, ...]]:
        """Every row."""
        return self._cursor.fetchall()

    def first(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        row: tuple[Any, ...] | None = self._cursor.fetchone()
        self._cursor.close()
        return row

    def one(self) -> tuple[Any, ...]:
        """The only row; raises :class:`LookupError` if there is none."""
        row = self.first()
        if row is None:
            raise LookupError("the query found no row")
        return row

    def scalar(self) -> Any:
        """The first column of the first row, or None."""
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        """The first column of the only row."""
        return self.one()[0]

    def scalars(self) -> Iterator[Any]:
        """The first column of every row."""
        return (row[0] for row in self._cursor)


class DriverConnection:
    """One sqlite3 connection inside a transaction, with SQLAlchemy's driver-level call.

    ``key`` names the database file, as stamps and caches know it.
    """

    def __init__(self, connection: sqlite3.Connection, key: str) -> None:
        self.dbapi = connection
        self.key = key

    def exec_driver_sql(self, statement: str, parameters: Params = ()) -> DriverResult:
        """Run ``statement`` with ``?`` parameters; a list of tuples runs it once for each."""
        if parameters and isinstance(parameters, list) and isinstance(parameters[0], tuple | list):
            return DriverResult(self.dbapi.executemany(statement, parameters))
        return DriverResult(self.dbapi.execute(statement, parameters))


class ConnectionPool:
    """The driver connections of one database file, reused from one transaction to the next."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[DriverConnection]:
        """BEGIN … COMMIT on a connection of the pool; ROLLBACK if the block fails."""
        connection = self._take()
        try:
            connection.execute("BEGIN")
            try:
                yield DriverConnection(connection, str(self.path))
            except BaseException:
                connection.rollback()
                raise
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            self._give_back(connection)
            raise
        self._give_back(connection)

    def execute(self, statement: str) -> None:
        """Run ``statement`` outside any transaction (a checkpoint)."""
        connection = self._take()
        try:
            connection.execute(statement).fetchall()
        finally:
            self._give_back(connection)

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return connect(self.path, self._busy_timeout_ms)

    def _give_back(self, connection: sqlite3.Connection) -> None:
        with self._lock:
            if len(self._idle) < _IDLE_KEPT:
                self._idle.append(connection)
                return
        connection.close()
