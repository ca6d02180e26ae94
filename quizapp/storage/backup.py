"""The copy of the database made before a schema upgrade: written, checked, then kept.

The copy is written under a ``.partial`` name and renamed only once it reads back
whole, so that a file named ``.bak`` is always a complete copy, even after a crash.
If it cannot be written or checked, what was written is removed and the upgrade
does not start: :class:`EnvironmentProblem` says why, and that nothing was changed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from quizapp.errors import EnvironmentProblem

PARTIAL_SUFFIX = ".partial"
# Why the copy could not be written, by SQLite's primary result code.
_WRITE_FAILURES = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "its folder or disk is read-only",
    sqlite3.SQLITE_CANTOPEN: "it cannot be created in the database's folder",
    sqlite3.SQLITE_PERM: "QuizApp is not permitted to create it",
    sqlite3.SQLITE_BUSY: "another program holds the database",
    sqlite3.SQLITE_LOCKED: "another program holds the database",
    sqlite3.SQLITE_CORRUPT: "the database is damaged",
}
# The same, for the errors the operating system reports itself.
_OS_FAILURES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full (your quota is used up)",
    errno.EFBIG: "it would be larger than this system allows a file to be",
    errno.EROFS: "its folder or disk is read-only",
    errno.EACCES: "QuizApp is not permitted to create it",
    errno.EPERM: "QuizApp is not permitted to create it",
}


class BackupFailed(Exception):
    """The copy was written wrong: the reason, in words for the user."""


def backup_path(db_path: Path, revision: str) -> Path:
    """Where the copy of ``db_path`` at schema ``revision`` goes: beside it, stamped in UTC."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return db_path.with_name(f"{db_path.name}.before-upgrade-{revision}-{stamp}.bak")


def backup_database(db_path: Path, revision: str, target: Path | None = None) -> Path:
    """Copy the database (consistent even in WAL mode), check the copy, return its path.

    Raises :class:`EnvironmentProblem` when the copy cannot be written or does not
    read back as the same database at ``revision``; nothing is left behind then.
    """
    target = target if target is not None else backup_path(db_path, revision)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        pages = _copy(db_path, partial)
        _check(partial, pages, revision)
        _sync(partial)
        partial.replace(target)
    except (sqlite3.Error, OSError, BackupFailed) as error:
        _remove(partial)
        raise EnvironmentProblem(
            f"Cannot upgrade {db_path}: the backup copy could not be written "
            f"({_why(error)}); nothing was changed."
        ) from error
    return target


def _copy(db_path: Path, partial: Path) -> int:
    """Copy ``db_path`` to ``partial`` with SQLite's backup API; the pages copied."""
    _remove(partial)  # left by a copy that was interrupted
    source = sqlite3.connect(db_path)
    try:
        destination = sqlite3.connect(partial)
        try:
            # No rollback journal: a copy that fails is deleted, never rolled back, and
            # the copy is synced once, whole, before it is renamed.
            destination.execute("PRAGMA journal_mode = OFF")
            source.backup(destination)
            return int(destination.execute("PRAGMA page_count").fetchone()[0])
        finally:
            destination.close()
    finally:
        source.close()


def _check(partial: Path, pages: int, revision: str) -> None:
    """Read the copy back from the disk: whole, every page there, at ``revision``."""
    copy = sqlite3.connect(f"{partial.resolve().as_uri()}?mode=ro", uri=True)
    try:
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupFailed(f"it does not read back whole: {verdict}")
        found = int(copy.execute("PRAGMA page_count").fetchone()[0])
        if found != pages:
            raise BackupFailed(f"it reads back {found} pages of {pages}")
        stamped = copy.execute("SELECT version_num FROM alembic_version").fetchone()
        if stamped != (revision,):
            raise BackupFailed(f"it reads back at schema {stamped}, not {revision}")
    finally:
        copy.close()


def _sync(path: Path) -> None:
    """Make the copy durable before it takes its final name."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(partial: Path) -> None:
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _why(error: BaseException) -> str:
    if isinstance(error, BackupFailed):
        return str(error)
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        return _WRITE_FAILURES.get(code, f"writing it failed: {error}")
    if isinstance(error, OSError) and error.errno in _OS_FAILURES:
        return _OS_FAILURES[error.errno]
    return f"writing it failed: {error}"
