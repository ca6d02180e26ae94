"""The collection database: open it (migrating first), then one transaction per action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from quizapp.errors import EnvironmentProblem
from quizapp.storage.engine import (
    BUSY_TIMEOUT_MS,
    create_sqlite_engine,
    describe_failure,
    is_environmental,
)
from quizapp.storage.migrate import upgrade_schema
from quizapp.storage.repositories import Store

# What a failed action tells the user to do, when the service does not say.
TRANSACTION_RETRY = "try again (what you were doing was not saved)"
# ANALYZE reads this many rows of each index at most, so that closing a large
# collection never waits for a full scan (SQLite's advice for PRAGMA optimize).
ANALYSIS_LIMIT = 400


class Database:
    """An open, up-to-date QuizApp database file."""

    def __init__(self, path: Path, engine: Engine, backup: Path | None) -> None:
        self.path = path
        self.backup = backup
        self._engine = engine

    @classmethod
    def open(cls, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
        """Open (creating if need be) and upgrade the database at ``path``.

        Raises :class:`EnvironmentProblem` with one sentence for the user when the
        file cannot be opened, is locked, is not ours, or is from a newer QuizApp,
        or when its folder cannot be made or entered.
        """
        path = _prepare_folder(path)
        engine = create_sqlite_engine(path, busy_timeout_ms)
        try:
            with engine.begin() as connection:
                backup = upgrade_schema(connection, path)
        except DBAPIError as error:
            engine.dispose()
            raise describe_failure(path, error) from error
        except OSError as error:
            engine.dispose()
            raise EnvironmentProblem(
                f"Cannot open the database {path}: {_reason(error)}."
            ) from error
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, backup)

    @contextmanager
    def transaction(self, retry: str = TRANSACTION_RETRY) -> Iterator[Store]:
        """One user action: everything in it is committed together, or nothing is.

        When the disk, the file or another program makes it fail, it raises
        :class:`EnvironmentProblem`; ``retry`` ends that sentence, saying what to do
        again and what was lost: "answer again (this answer was not saved)".
        """
        try:
            with self._engine.begin() as connection:
                yield Store(connection)
        except DBAPIError as error:
            if is_environmental(error):
                raise describe_failure(self.path, error, retry) from error
            raise

    def checkpoint(self) -> None:
        """Copy what the WAL holds back into the database file, without blocking writers.

        Run when the learner pauses, so answers never wait for it.
        """
        try:
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except DBAPIError as error:
            raise describe_failure(self.path, error) from error

    def close(self) -> None:
        """Release every connection, after SQLite has tuned its statistics and checkpointed."""
        try:
            # In a transaction that commits: what ANALYZE learns is kept for the next start.
            with self._engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                connection.exec_driver_sql("PRAGMA optimize")
        except DBAPIError:
            pass  # closing goes on: the statistics are only an optimisation
        self._engine.dispose()


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
