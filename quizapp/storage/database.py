"""The collection database: open it (migrating first), then one transaction per action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from quizapp.errors import EnvironmentProblem
from quizapp.storage.engine import BUSY_TIMEOUT_MS, create_sqlite_engine, describe_failure
from quizapp.storage.migrate import upgrade_schema
from quizapp.storage.repositories import Store


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
        file cannot be opened, is locked, is not ours, or is from a newer QuizApp.
        """
        path = path.expanduser()
        if path.is_dir():
            raise EnvironmentProblem(f"Cannot open the database {path}: it is a folder.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EnvironmentProblem(
                f"Cannot create the folder for the database {path}: {error.strerror}."
            ) from error
        engine = create_sqlite_engine(path, busy_timeout_ms)
        try:
            with engine.begin() as connection:
                backup = upgrade_schema(connection, path)
        except DBAPIError as error:
            engine.dispose()
            raise describe_failure(path, error) from error
        except EnvironmentProblem:
            engine.dispose()
            raise
        return cls(path, engine, backup)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One user action: everything in it is committed together, or nothing is."""
        try:
            with self._engine.begin() as connection:
                yield Store(connection)
        except DBAPIError as error:
            if _is_environmental(error):
                raise describe_failure(self.path, error) from error
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
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")
        except DBAPIError:
            pass  # closing goes on: the statistics are only an optimisation
        self._engine.dispose()


def _is_environmental(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return any(word in text for word in ("locked", "busy", "disk", "readonly", "malformed"))
