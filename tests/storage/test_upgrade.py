"""An upgrade keeps everything studied, and a copy of the file from before it."""

from __future__ import annotations

import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from quizapp.bootstrap import open_app
from quizapp.domain import Rating
from quizapp.services import ManualClock
from quizapp.storage import Database, migrate
from tests.conftest import SMALL_BANK

HEAD = migrate.SCHEMA_HEAD
NEXT_MIGRATION = '''"""A later schema: cards get a colour.

Revision ID: 9002
Revises: HEAD
"""

import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("colour", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("colour")
'''


def install_next_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our migrations plus one more, as the next QuizApp release would ship them."""
    scripts = tmp_path / "migrations"
    shutil.copytree(str(resources.files("quizapp.storage") / "migrations"), scripts)
    migration = NEXT_MIGRATION.replace("HEAD", migrate.SCHEMA_HEAD)
    (scripts / "versions" / "9002_card_colour.py").write_text(migration)
    original = migrate._alembic_config

    def config_with_newer_scripts():  # type: ignore[no-untyped-def]
        config = original()
        config.set_main_option("script_location", str(scripts))
        return config

    monkeypatch.setattr(migrate, "_alembic_config", config_with_newer_scripts)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9002")


def test_upgrade_keeps_reviews_and_leaves_a_backup(
    db_path: Path, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(db_path, clock=clock, seed_banks=[SMALL_BANK])  # this release
    session = app.study(None)
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):
        session.answer(rating, 1000)
    app.close()

    install_next_release(tmp_path, monkeypatch)
    upgraded = Database.open(db_path)
    upgraded.close()

    assert upgraded.backup is not None
    with sqlite3.connect(upgraded.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert old.execute("SELECT COUNT(*) FROM reviews").fetchone() == (3,)
    with sqlite3.connect(db_path) as new:
        assert new.execute("SELECT version_num FROM alembic_version").fetchone() == ("9002",)
        assert new.execute("SELECT rating FROM reviews ORDER BY id").fetchall() == [
            (3,),
            (1,),
            (4,),
        ]
        assert new.execute("SELECT COUNT(*) FROM cards WHERE colour = 0").fetchone() == (7,)


def test_the_first_schema_upgrades_to_the_current_one_keeping_reviews(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(migrate, "SCHEMA_HEAD", "0001")
        Database.open(db_path).close()
    with sqlite3.connect(db_path) as old:  # what the first release wrote
        old.executescript(
            """
            INSERT INTO presets VALUES (1, 'Default', 0.9, '[60, 600]', '[600]', 36500, 20, 200, 1);
            INSERT INTO decks VALUES (1, 'Deck', 1);
            INSERT INTO notes VALUES (1, 'g1', 'basic', '{"front": "f", "back": "b"}', '', '',
                                      'bank.yaml', 0, 0);
            INSERT INTO cards VALUES (1, 1, 0, 1, 2, NULL, 3.1, 5.0, 86400000, 0, 0, 0);
            INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before,
                                 due_before, state_after, due_after, imported)
                 VALUES (1, 0, 3, 2500, 0, 0, 0, 2, 86400000, 0);
            """
        )

    upgraded = Database.open(db_path)
    with upgraded.transaction() as store:
        assert store.reviews.count() == 1
        assert store.cards.get(1).memory.stability == 3.1
        assert store.notes.get(1).source == "bank.yaml"
    upgraded.close()
    assert upgraded.backup is not None
    assert upgraded.backup.name.startswith("collection.db.before-upgrade-0001-")
