"""Why SQLite failed, told by its result code, in one sentence for the user.

No SQLAlchemy here: the driver-level path (:mod:`quizapp.storage.driver`) and
SQLAlchemy's engines report failures through the same sentences.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quizapp.errors import EnvironmentProblem

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
    original = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
    return original if isinstance(original, BaseException) else error


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
