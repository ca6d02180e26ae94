"""Each way SQLite can fail because of the world gets its own sentence, found by result code.

Every failure is provoked for real on a real file where SQLite allows it: a full
database (``max_page_count``), a write lock held by another connection, a read-only
connection, a damaged file, a file of garbage, a path that leads nowhere, a write
the operating system refuses, an authorizer that says no.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from sqlalchemy.exc import DBAPIError

from quizapp.bootstrap import open_app
from quizapp.domain import Rating
from quizapp.errors import EnvironmentProblem
from quizapp.services import ManualClock, StudySession
from quizapp.storage import Database
from quizapp.storage.engine import describe_failure, result_code
from tests.conftest import SMALL_BANK

REPO = Path(__file__).resolve().parents[2]
RETRY = "import again (nothing of this import was saved)"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    opened = Database.open(db_path)
    yield opened
    opened.close()


def _fill_until_full(database: Database, retry: str) -> None:
    """Write, in one transaction, more than the database may grow by."""
    with database.transaction(retry) as store:
        pages = store.connection.exec_driver_sql("PRAGMA page_count").scalar()
        store.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        for number in range(1000):
            store.meta.set(f"filler {number}", "x" * 4000)


def _meta_count(db_path: Path, pattern: str) -> int:
    with sqlite3.connect(db_path) as connection:
        row = connection.execute("SELECT COUNT(*) FROM meta WHERE key LIKE ?", (pattern,))
        return int(row.fetchone()[0])


def test_a_full_database_says_the_disk_is_full_and_keeps_nothing_of_the_action(
    database: Database, db_path: Path
) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        _fill_until_full(database, RETRY)
    assert caught.value.user_message == (
        f"The disk holding the database {db_path} is full; free some space and {RETRY}."
    )
    assert result_code(caught.value.__cause__) == sqlite3.SQLITE_FULL  # type: ignore[arg-type]
    assert _meta_count(db_path, "filler %") == 0


def _answer_until_refused(session: StudySession) -> tuple[int, EnvironmentProblem]:
    """Answer Again (the card stays in learning, due at once) until an answer fails."""
    for answered in range(2000):
        try:
            session.answer(Rating.AGAIN, 1200)
        except EnvironmentProblem as error:
            return answered, error
    raise AssertionError("2000 answers fitted in a full database")


def test_a_full_disk_during_an_answer_keeps_every_answer_before_it(
    db_path: Path, clock: ManualClock
) -> None:
    app = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[SMALL_BANK])
    try:
        with app.database.quick() as store:  # the driver connection every answer uses
            pages = store.connection.exec_driver_sql("PRAGMA page_count").scalar()
            store.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        session = app.study(None)
        answered, refused = _answer_until_refused(session)
        assert answered > 0  # the pages there were held the first answers
        assert session.current is not None  # the card is still there to answer again
    finally:
        app.close()
    assert refused.user_message == (
        f"The disk holding the database {db_path} is full; free some space and answer again "
        "(this answer was not saved)."
    )
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM reviews").fetchone() == (answered,)


def test_a_write_lock_held_by_another_program_says_locked(db_path: Path) -> None:
    Database.open(db_path).close()
    database = Database.open(db_path, busy_timeout_ms=100)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(EnvironmentProblem) as caught, database.transaction(RETRY) as store:
            store.meta.set("answer", "42")
    finally:
        holder.close()
        database.close()
    assert caught.value.user_message == (
        f"The database {db_path} is locked by another program (is QuizApp already running?); "
        f"close it and {RETRY}."
    )
    assert _meta_count(db_path, "answer") == 0


def _drop_a_table_being_read(database: Database) -> None:
    with database.transaction(RETRY) as store:
        for number in range(20):
            store.meta.set(f"key {number}", "value")
        reading = store.connection.exec_driver_sql("SELECT key FROM meta")
        reading.fetchone()  # the statement stays open on the table
        store.connection.exec_driver_sql("DROP TABLE meta")


def test_a_table_in_use_by_the_same_connection_says_held_by_quizapp(
    database: Database, db_path: Path
) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        _drop_a_table_being_read(database)
    assert caught.value.user_message == (
        f"The database {db_path} is held by another task of QuizApp at this moment; "
        f"wait a little and {RETRY}."
    )
    assert _meta_count(db_path, "key %") == 0


def _write_on_a_read_only_connection(database: Database) -> None:
    # Root may write any file whatever its mode, so the connection itself is made read-only.
    with database.transaction(RETRY) as store:
        store.connection.exec_driver_sql("PRAGMA query_only = ON")
        try:
            store.meta.set("answer", "42")
        finally:
            store.connection.exec_driver_sql("PRAGMA query_only = OFF")


def test_a_read_only_database_says_read_only(database: Database, db_path: Path) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        _write_on_a_read_only_connection(database)
    assert caught.value.user_message == (
        f"The database {db_path} is read-only (the file, its folder or its disk cannot be "
        f"written), and QuizApp needs to write it; make it writable and {RETRY}."
    )


def test_a_damaged_database_says_damaged_and_points_at_the_backups(db_path: Path) -> None:
    Database.open(db_path).close()
    with sqlite3.connect(db_path) as connection:
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
        (version_page,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchone()
    data = bytearray(db_path.read_bytes())
    start = (version_page - 1) * page_size
    data[start : start + page_size] = Random(5).randbytes(page_size)
    db_path.write_bytes(bytes(data))
    with pytest.raises(EnvironmentProblem) as caught:
        Database.open(db_path)
    assert caught.value.user_message.startswith(f"The database {db_path} is damaged (")
    assert caught.value.user_message.endswith(
        "); restore it from a backup copy, such as a .bak file beside it."
    )


def test_a_file_of_garbage_says_it_is_not_a_quizapp_database(db_path: Path) -> None:
    db_path.write_bytes(Random(2).randbytes(64 * 1024))
    with pytest.raises(EnvironmentProblem) as caught:
        Database.open(db_path)
    assert caught.value.user_message == (
        f"The file {db_path} is not a QuizApp database, or it is damaged beyond reading; "
        "choose another file."
    )
    assert result_code(caught.value.__cause__) == sqlite3.SQLITE_NOTADB  # type: ignore[arg-type]


def test_a_path_that_leads_nowhere_says_it_cannot_be_opened(tmp_path: Path) -> None:
    db_path = tmp_path / "collection.db"
    db_path.symlink_to(tmp_path / "gone" / "away" / "collection.db")
    with pytest.raises(EnvironmentProblem) as caught:
        Database.open(db_path)
    assert caught.value.user_message == (
        f"Cannot open the database {db_path}: its folder is missing or cannot be entered, "
        "or QuizApp cannot create files in it."
    )


def _read_what_the_authorizer_refuses(database: Database) -> None:
    with database.transaction(RETRY) as store:
        driver = store.connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.set_authorizer(lambda *_: sqlite3.SQLITE_DENY)
        try:
            store.meta.get("seeded_from")
        finally:
            driver.set_authorizer(None)


def test_a_statement_the_authorizer_refuses_says_not_permitted(
    database: Database, db_path: Path
) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        _read_what_the_authorizer_refuses(database)
    assert caught.value.user_message == (
        f"QuizApp is not permitted to use the database {db_path} (SQLITE_AUTH); "
        f"check its permissions and {RETRY}."
    )


def test_sqlite_perm_says_not_permitted(db_path: Path) -> None:
    # SQLite gives SQLITE_PERM only for access modes a VFS cannot grant, which the
    # Unix VFS never refuses this way: the driver's error is built as SQLite raises it.
    error = sqlite3.OperationalError("access permission denied")
    error.sqlite_errorcode = sqlite3.SQLITE_PERM  # type: ignore[attr-defined]
    error.sqlite_errorname = "SQLITE_PERM"  # type: ignore[attr-defined]
    assert describe_failure(db_path, error, RETRY).user_message == (
        f"QuizApp is not permitted to use the database {db_path} (SQLITE_PERM); "
        f"check its permissions and {RETRY}."
    )


# The child fills the database, then limits the size of the files it writes: the
# operating system refuses the next page, which SQLite reports as SQLITE_IOERR_WRITE.
REFUSED_WRITE_CHILD = """
import json, resource, signal, sys
from pathlib import Path
from quizapp.errors import EnvironmentProblem
from quizapp.storage import Database

db_path = Path(sys.argv[1])
database = Database.open(db_path)
with database.transaction() as store:
    store.meta.set("before", "kept")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, not the process
limit = db_path.stat().st_size + (db_path.parent / (db_path.name + "-wal")).stat().st_size
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
try:
    with database.transaction("answer again (this answer was not saved)") as store:
        for number in range(200):
            store.meta.set(f"filler {number}", "x" * 8000)
except EnvironmentProblem as error:
    print(json.dumps(error.user_message))
"""


def test_a_write_the_system_refuses_says_the_disk_failed(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", REFUSED_WRITE_CHILD, str(db_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == (
        f"The disk failed while reading or writing the database {db_path} (SQLITE_IOERR_WRITE); "
        "check the disk and answer again (this answer was not saved)."
    )
    assert _meta_count(db_path, "before") == 1
    assert _meta_count(db_path, "filler %") == 0


def test_errors_are_sorted_by_code_not_by_their_words(database: Database) -> None:
    # A bug whose message happens to hold "locked", "disk" and "readonly" stays a bug.
    with pytest.raises(DBAPIError) as caught, database.transaction() as store:
        store.connection.exec_driver_sql('SELECT * FROM "locked busy disk readonly"')
    assert not isinstance(caught.value, EnvironmentProblem)
    assert result_code(caught.value) == sqlite3.SQLITE_ERROR
