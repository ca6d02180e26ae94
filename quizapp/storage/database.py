"""The collection database: open it (migrating first), then one transaction per action.

Two kinds of transaction share one file: :meth:`Database.quick` runs the hot
repositories on the driver alone (opening, counting decks, studying), and
:meth:`Database.transaction` the full ones on SQLAlchemy, whose engine is made
the first time it is needed.  Opening an up-to-date collection and studying it
never import SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.errors import EnvironmentProblem
from quizapp.storage import migrate, stamps
from quizapp.storage.driver import BUSY_TIMEOUT_MS, ConnectionPool
from quizapp.storage.failures import describe_failure, is_environmental
from quizapp.storage.hot_repositories import HotStore

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from quizapp.storage.repositories import Store

# What a failed action tells the user to do, when the service does not say.
TRANSACTION_RETRY = "try again (what you were doing was not saved)"
# ANALYZE reads this many rows of each index at most, so that closing a large
# collection never waits for a full scan (SQLite's advice for PRAGMA optimize).
ANALYSIS_LIMIT = 400


class Database:
    """An open, up-to-date QuizApp database file."""

    def __init__(
        self,
        path: Path,
        pool: ConnectionPool,
        backup: Path | None,
        engine: Engine | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = path
        self.backup = backup
        self._pool = pool
        self._engine = engine
        self._busy_timeout_ms = busy_timeout_ms
        self._engine_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
        """Open (creating if need be) and upgrade the database at ``path``.

        Raises :class:`EnvironmentProblem` with one sentence for the user when the
        file cannot be opened, is locked, is not ours, or is from a newer QuizApp,
        or when its folder cannot be made or entered.
        """
        path = _prepare_folder(path)
        pool = ConnectionPool(path, busy_timeout_ms)
        engine = None
        backup = None
        try:
            with pool.transaction() as connection:
                revision = migrate.current_revision(connection)
            if revision != migrate.SCHEMA_HEAD:
                engine, backup = _upgrade(path, busy_timeout_ms)
        except sqlite3.Error as error:
            pool.close()
            raise describe_failure(path, error) from error
        except OSError as error:
            pool.close()
            raise EnvironmentProblem(
                f"Cannot open the database {path}: {_reason(error)}."
            ) from error
        except BaseException:
            pool.close()
            raise
        return cls(path, pool, backup, engine, busy_timeout_ms)

    @contextmanager
    def quick(self, retry: str = TRANSACTION_RETRY) -> Iterator[HotStore]:
        """One action on the hot repositories, run by the driver alone (no SQLAlchemy).

        For what start-up and studying do: reading decks and cards, counting, and
        writing an answer.  Fails as :meth:`transaction` does.
        """
        try:
            with self._pool.transaction() as connection:
                yield HotStore(connection)
        except sqlite3.Error as error:
            if is_environmental(error):
                raise describe_failure(self.path, error, retry) from error
            raise

    @contextmanager
    def transaction(self, retry: str = TRANSACTION_RETRY) -> Iterator[Store]:
        """One user action: everything in it is committed together, or nothing is.

        When the disk, the file or another program makes it fail, it raises
        :class:`EnvironmentProblem`; ``retry`` ends that sentence, saying what to do
        again and what was lost: "answer again (this answer was not saved)".
        """
        from sqlalchemy.exc import DBAPIError

        from quizapp.storage.repositories import Store

        try:
            with self.engine().begin() as connection:
                yield Store(connection)
        except DBAPIError as error:
            if is_environmental(error):
                raise describe_failure(self.path, error, retry) from error
            raise

    def engine(self) -> Engine:
        """The SQLAlchemy engine on this file, made (and SQLAlchemy loaded) on first use."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    from quizapp.storage.engine import create_sqlite_engine

                    self._engine = create_sqlite_engine(self.path, self._busy_timeout_ms)
        return self._engine

    def warm_up(self) -> None:
        """Load SQLAlchemy and make its engine now (off the UI thread, once a card is up),
        so that the first action that needs it does not wait for it."""
        self.engine()
        from quizapp.storage import repositories  # noqa: F401 (loads the full repositories)

    def checkpoint(self) -> None:
        """Copy what the WAL holds back into the database file, without blocking writers.

        Run when the learner pauses, so answers never wait for it.
        """
        try:
            self._pool.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as error:
            raise describe_failure(self.path, error) from error

    def close(self) -> None:
        """Release every connection, after SQLite has tuned its statistics and checkpointed."""
        try:
            # In a transaction that commits: what ANALYZE learns is kept for the next start.
            with self._pool.transaction() as connection:
                connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                connection.exec_driver_sql("PRAGMA optimize")
        except sqlite3.Error:
            pass  # closing goes on: the statistics are only an optimisation
        self._pool.close()
        if self._engine is not None:
            self._engine.dispose()
        stamps.forget(str(self.path))


def _upgrade(path: Path, busy_timeout_ms: int) -> tuple[Engine, Path | None]:
    """Create or upgrade the schema with Alembic (SQLAlchemy loaded only for this)."""
    from sqlalchemy.exc import DBAPIError

    from quizapp.storage.engine import create_sqlite_engine

    engine = create_sqlite_engine(path, busy_timeout_ms)
    try:
        with engine.begin() as connection:
            backup = migrate.upgrade_schema(connection, path)
    except DBAPIError as error:
        engine.dispose()
        raise describe_failure(path, error) from error
    except BaseException:
        engine.dispose()
        raise
    return engine, backup


def _prepare_folder(path: Path) -> Path:
    """``path`` with ``~`` expanded, once its folder exists; one sentence if it cannot."""
    try:
        path = path.expanduser()
    except RuntimeError as error:  # no home folder to expand ~ to
        raise EnvironmentProblem(f"Cannot open the database {path}: {error}.") from error
    try:
        if path.is_dir():
            raise EnvironmentProblem(f"Cannot open the database {path}: it is a folder.")
    except OSError as error:  # a folder on the way that cannot be entered
        raise EnvironmentProblem(f"Cannot open the database {path}: {_reason(error)}.") from error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EnvironmentProblem(
            f"Cannot create the folder for the database {path}: {_reason(error)}."
        ) from error
    return path


def _reason(error: OSError) -> str:
    """The system's words for ``error``, and the file it was about: "Permission denied (/x)"."""
    reason = error.strerror or str(error)
    return f"{reason} ({error.filename})" if error.filename else reason
