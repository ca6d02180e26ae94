"""Create and upgrade the schema with Alembic, after a checked backup copy of the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.errors import EnvironmentProblem
from quizapp.storage.backup import backup_database
from quizapp.storage.driver import Runner

if TYPE_CHECKING:  # SQLAlchemy and Alembic are imported only when a migration has to run.
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

# The newest revision this version of QuizApp knows; a test keeps it equal to
# Alembic's head, so that start-up can skip loading Alembic when nothing is due.
SCHEMA_HEAD = "0005"


def current_revision(connection: Runner) -> str | None:
    """The schema revision stamped in the database, or None for a database without one.

    Read with SQL alone, on a driver connection or a SQLAlchemy one: opening an
    up-to-date collection loads neither SQLAlchemy nor Alembic.
    """
    has_table = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if has_table is None:
        return None
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if revision is None else str(revision)


def user_tables(connection: Runner) -> list[str]:
    """Every table in the file that neither SQLite nor Alembic made itself."""
    rows = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
    )
    return [row[0] for row in rows]


def known_revisions() -> list[str]:
    """Every revision in our migration scripts, oldest first."""
    script = _script_directory()
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def upgrade_schema(connection: Connection, db_path: Path) -> Path | None:
    """Bring the schema to :data:`SCHEMA_HEAD`; returns the backup made, if any.

    Raises :class:`EnvironmentProblem` for a file from a newer QuizApp or one that
    is not ours.  A database that has a schema is copied aside, and the copy read
    back, before any change; if that fails, nothing is changed.
    """
    revision = current_revision(connection)
    if revision == SCHEMA_HEAD:
        return None
    if revision is None and user_tables(connection):
        raise EnvironmentProblem(
            f"The file {db_path} is an SQLite database, but not a QuizApp one; "
            "choose another file with --db."
        )
    if revision is not None and revision not in known_revisions():
        raise EnvironmentProblem(
            f"The database {db_path} was written by a newer version of QuizApp "
            f"(schema {revision}); update QuizApp to open it."
        )
    backup = backup_database(db_path, revision) if revision is not None else None
    _run_alembic_upgrade(connection)
    return backup


def _script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("quizapp.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def _run_alembic_upgrade(connection: Connection) -> None:
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, SCHEMA_HEAD)
