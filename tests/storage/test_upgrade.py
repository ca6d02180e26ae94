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

NEXT_MIGRATION = '''"""A later schema: cards get a flag.

Revision ID: 9002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("flag", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("flag")
'''


def install_next_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our migrations plus one more, as the next QuizApp release would ship them."""
    scripts = tmp_path / "migrations"
    shutil.copytree(str(resources.files("quizapp.storage") / "migrations"), scripts)
    (scripts / "versions" / "9002_card_flag.py").write_text(NEXT_MIGRATION)
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
    app = open_app(db_path, clock=clock, seed_bank=SMALL_BANK)  # this release
    session = app.study(None)
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):
        session.answer(rating, 1000)
    app.close()

    install_next_release(tmp_path, monkeypatch)
    upgraded = Database.open(db_path)
    upgraded.close()

    assert upgraded.backup is not None
    with sqlite3.connect(upgraded.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT COUNT(*) FROM reviews").fetchone() == (3,)
    with sqlite3.connect(db_path) as new:
        assert new.execute("SELECT version_num FROM alembic_version").fetchone() == ("9002",)
        assert new.execute("SELECT rating FROM reviews ORDER BY id").fetchall() == [
            (3,),
            (1,),
            (4,),
        ]
        assert new.execute("SELECT COUNT(*) FROM cards WHERE flag = 0").fetchone() == (7,)
