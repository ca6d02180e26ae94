"""A collection written by each past release upgrades with everything it knew, ids included."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import bundled_path, open_app
from quizapp.services import ManualClock
from quizapp.services.banks import BankChoice, BankQuestion, ImportOptions
from quizapp.storage.migrate import SCHEMA_HEAD
from tests.conftest import DATA

PAST = DATA / "databases"
RELEASES = ["schema-0001.db", "schema-0002.db"]


def upgraded_copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copyfile(PAST / name, target)
    return target


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("notes", "cards", "reviews")
        }


@pytest.mark.parametrize("release", RELEASES)
def test_an_upgrade_keeps_every_note_card_and_answer(
    release: str, tmp_path: Path, clock: ManualClock
) -> None:
    path = upgraded_copy(release, tmp_path)
    before = counts(path)
    app = open_app(path, clock=clock, rng=Random(1), seed_banks=[])
    app.close()
    assert counts(path) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )
        uids = connection.execute("SELECT uid FROM reviews").fetchall()
        assert len({uid for (uid,) in uids}) == len(uids) == before["reviews"]
        assert connection.execute(
            "SELECT COUNT(*) FROM notes WHERE bank_id IS NULL"
        ).fetchone() == (0,)


@pytest.mark.parametrize("release", RELEASES)
def test_the_bundled_bank_given_again_matches_the_notes_it_made(
    release: str, tmp_path: Path, clock: ManualClock
) -> None:
    path = upgraded_copy(release, tmp_path)
    before = counts(path)
    app = open_app(path, clock=clock, rng=Random(1), seed_banks=[])
    try:
        report = app.banks.import_file(bundled_path("data", "ml-parameters.yaml"))
    finally:
        app.close()
    # Every note the release made is matched by its id (progress stays with it); only
    # notes the bank gained since are added.
    assert report.missing == ()
    after = counts(path)
    assert after["notes"] == before["notes"] + report.added
    assert after["reviews"] == before["reviews"]


def test_the_first_release_stored_bank_paths_and_unscoped_ids(tmp_path: Path) -> None:
    # What the migration has to carry forward, as the first release wrote it.
    with sqlite3.connect(PAST / "schema-0001.db") as connection:
        guid, source = connection.execute("SELECT guid, source FROM notes LIMIT 1").fetchone()
    assert "/" not in guid
    assert source.endswith("/data/ml-parameters.yaml")
    path = upgraded_copy("schema-0001.db", tmp_path)
    open_app(path, seed_banks=[]).close()
    with sqlite3.connect(path) as connection:
        guids = {g for (g,) in connection.execute("SELECT guid FROM notes")}
        sources = {s for (s,) in connection.execute("SELECT source FROM notes")}
    assert all(g.startswith("ml-parameters/") for g in guids)
    assert sources == {"ml-parameters.yaml"}


def test_a_teachers_bank_without_ids_is_asked_about_once_then_matched(
    tmp_path: Path, clock: ManualClock
) -> None:
    # Release 0002 remembered a bank by its file name only: where it came from is not
    # known, so the first re-import asks; told "same bank", it keeps every schedule.
    path = upgraded_copy("schema-0002.db", tmp_path)
    before = counts(path)
    gift = PAST / "teacher-quiz.gift"
    app = open_app(path, clock=clock, rng=Random(1), seed_banks=[])
    try:
        with pytest.raises(BankQuestion):
            app.banks.import_file(gift)
        report = app.banks.import_file(gift, options=ImportOptions(bank=BankChoice.SAME))
        again = app.banks.import_file(gift)
    finally:
        app.close()
    assert (report.added, report.unchanged) == (0, 3)
    assert again.unchanged == 3
    assert counts(path) == before
