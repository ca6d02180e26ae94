"""Opening, migrating and guarding the collection database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from quizapp.errors import EnvironmentProblem
from quizapp.storage import Database, hot_sql
from quizapp.storage.card_repository import NewCard
from quizapp.storage.migrate import SCHEMA_HEAD, backup_database, known_revisions
from quizapp.storage.models import Base


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    opened = Database.open(db_path)
    yield opened
    opened.close()


def _sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def test_empty_file_is_migrated_to_the_newest_schema(database: Database, db_path: Path) -> None:
    with _sqlite(db_path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"presets", "decks", "notes", "cards", "reviews", "meta"} <= tables
    assert version == (SCHEMA_HEAD,)
    assert database.backup is None  # nothing to keep from an empty file


def test_schema_head_constant_matches_the_last_migration() -> None:
    assert known_revisions()[-1] == SCHEMA_HEAD


def _not_full_text(name: str | None, type_: str, parent_names: object) -> bool:
    """The FTS5 tables of the search index (and their shadow tables) have no model."""
    full_text = ("search_fts", "search_vocab")
    return not (type_ == "table" and name is not None and name.startswith(full_text))


def test_migrations_build_exactly_the_models(database: Database) -> None:
    with database.transaction() as store:
        context = MigrationContext.configure(
            store.connection, opts={"include_name": _not_full_text}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_connection_has_wal_and_foreign_keys(database: Database) -> None:
    with database.transaction() as store:
        journal = store.connection.execute(text("PRAGMA journal_mode")).scalar()
        foreign_keys = store.connection.execute(text("PRAGMA foreign_keys")).scalar()
    assert journal == "wal"
    assert foreign_keys == 1


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), database.transaction() as store:
        store.connection.execute(
            text(
                "INSERT INTO cards (note_id, face, deck_id, state, due, suspended, buried) "
                "VALUES (999, 0, 999, 0, 0, 0, 0)"
            )
        )


def test_reopening_an_up_to_date_file_keeps_its_data(db_path: Path) -> None:
    first = Database.open(db_path)
    with first.transaction() as store:
        store.meta.set("marker", "kept")
    first.close()
    second = Database.open(db_path)
    with second.transaction() as store:
        assert store.meta.get("marker") == "kept"
    assert second.backup is None
    second.close()


def _query_plan(database: Database, sql: str) -> str:
    with database.transaction() as store:
        rows = store.connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in rows)


def _filled(sql: str, *values: int) -> str:
    for value in values:
        sql = sql.replace("?", str(value), 1)
    return sql


def test_next_card_query_uses_the_deck_due_index(database: Database) -> None:
    plan = _query_plan(database, _filled(hot_sql.next_card(2, 2), 1, 2, 1, 3, 0))
    assert "SEARCH cards USING INDEX ix_cards_studyable" in plan
    assert "SCAN cards" not in plan


def test_queue_counts_read_only_the_index(database: Database) -> None:
    values = (1, 2, 20, 1, 2, 0, 9999, 1, 2, 0, 200)
    plan = _query_plan(database, _filled(hot_sql.queue_counts(2), *values))
    assert plan.count("USING COVERING INDEX ix_cards_studyable") == 3
    assert "SCAN cards" not in plan


def test_counting_todays_answers_reads_todays_reviews_not_every_card(database: Database) -> None:
    plan = _query_plan(database, _filled(hot_sql.answered_today(3), 0, 1, 2, 3))
    assert plan.startswith("SEARCH reviews USING INDEX ix_reviews_time")
    assert "SCAN" not in plan


def test_a_newer_schema_is_refused_with_a_sentence(db_path: Path) -> None:
    Database.open(db_path).close()
    with _sqlite(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(EnvironmentProblem, match="newer version of QuizApp") as caught:
        Database.open(db_path)
    assert str(db_path) in caught.value.user_message


def test_a_file_that_is_not_sqlite_is_refused(db_path: Path) -> None:
    db_path.write_bytes(b"These are my lecture notes, not a database.\n" * 100)
    with pytest.raises(EnvironmentProblem, match="not a QuizApp database"):
        Database.open(db_path)
    assert db_path.read_bytes().startswith(b"These are my lecture notes")


def test_another_apps_sqlite_file_is_refused_untouched(db_path: Path) -> None:
    with _sqlite(db_path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(EnvironmentProblem, match="not a QuizApp one"):
        Database.open(db_path)
    with _sqlite(db_path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    assert tables == ["recipes"]


def test_a_locked_database_gives_a_sentence(db_path: Path) -> None:
    Database.open(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
        with pytest.raises(EnvironmentProblem, match="locked by another program"):
            Database.open(db_path, busy_timeout_ms=100)
    finally:
        holder.close()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="it is a folder"):
        Database.open(tmp_path)


def test_backup_copies_everything_even_in_wal_mode(database: Database, db_path: Path) -> None:
    with database.transaction() as store:
        store.meta.set("answers", "42")  # still in the WAL, not yet in the main file
    backup = backup_database(db_path, SCHEMA_HEAD)
    with _sqlite(backup) as connection:
        value = connection.execute("SELECT value FROM meta WHERE key = 'answers'").fetchone()
    assert value == ("42",)
    assert backup.name.startswith(f"{db_path.name}.before-upgrade-{SCHEMA_HEAD}-")


def test_times_come_back_utc_aware(database: Database) -> None:
    moment = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=UTC)
    with database.transaction() as store:
        store.decks.default_preset_id()
        store.connection.execute(
            text(
                "INSERT INTO notes (guid, kind, content, explanation, tags, source, "
                "created_at, modified_at) VALUES ('g', 'basic', '{\"front\": \"f\", "
                "\"back\": \"b\"}', '', '', '', 0, 0)"
            )
        )
        deck = store.decks.ensure("Deck", store.decks.default_preset_id())
        store.cards.insert_new([NewCard(1, 0, deck.id)], moment)
        card = store.cards.get(1)
    assert card.memory.due == moment
    assert card.memory.due.tzinfo is not None


def test_finding_a_banks_notes_probes_the_guid_index(database: Database) -> None:
    with database.transaction() as store:
        store.connection.exec_driver_sql(hot_sql.CREATE_WANTED_GUIDS)
        rows = store.connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + hot_sql.NOTES_OF_WANTED_GUIDS
        )
        plan = " | ".join(str(row[-1]) for row in rows)
    assert "SEARCH n USING INDEX sqlite_autoindex_notes_1 (guid=?)" in plan
    assert "SCAN n" not in plan
