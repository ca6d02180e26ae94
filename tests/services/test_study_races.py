"""Two programs on one collection, imports that delete, a full disk: nothing is lost or crashes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from random import Random
from typing import Any

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import Rating
from quizapp.errors import QuizAppError, UserError
from quizapp.services import ManualClock
from quizapp.services.banks import BankChoice, ImportOptions
from quizapp.services.study import CARD_CHANGED, CARD_GONE
from tests.conftest import SMALL_BANK

REPO = Path(__file__).parents[2]
SAME_BANK_DELETING = ImportOptions(delete_missing=True, bank=BankChoice.SAME)


def second_app(db_path: Path, clock: ManualClock) -> App:
    """Another QuizApp on the same file (its own engine and connections)."""
    return open_app(db_path, clock=clock, rng=Random(99), seed_banks=[SMALL_BANK])


def card_row(db_path: Path, card_id: int) -> tuple[Any, ...] | None:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT state, due, stability FROM cards WHERE id = ?", (card_id,)
        ).fetchone()


def review_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])


def test_a_stale_answer_does_not_overwrite_what_another_window_wrote(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    first = small_app.study(None)
    assert first.current is not None
    card_id = first.current.card.id
    other = second_app(db_path, clock)
    try:
        second = other.study(None)
        assert second.current is not None
        assert second.current.card.id == card_id
        second.answer(Rating.EASY, 1000)
    finally:
        other.close()
    written = card_row(db_path, card_id)

    shown = first.answer(Rating.AGAIN, 1000)

    assert card_row(db_path, card_id) == written  # the other window's Easy stands
    assert review_count(db_path) == 1
    assert shown is not None
    assert shown.notice == CARD_CHANGED
    assert not first.can_undo


def test_two_processes_answering_keep_every_answer(small_app: App, db_path: Path) -> None:
    session = small_app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    script = "\n".join(
        [
            "from datetime import datetime, UTC",
            "from pathlib import Path",
            "from quizapp.bootstrap import open_app",
            "from quizapp.domain import Rating",
            "from quizapp.services import ManualClock",
            "clock = ManualClock(datetime(2026, 11, 25, 9, 31, tzinfo=UTC))",
            f"app = open_app(Path({str(db_path)!r}), clock=clock, seed_banks=[])",
            "session = app.study(None)",
            f"assert session.current.card.id == {card_id}",
            "session.answer(Rating.HARD, 1500)",
            "app.close()",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    after_other = card_row(db_path, card_id)

    shown = session.answer(Rating.GOOD, 1000)

    assert card_row(db_path, card_id) == after_other
    assert shown is not None
    assert shown.notice == CARD_CHANGED
    with sqlite3.connect(db_path) as connection:
        ratings = connection.execute("SELECT rating FROM reviews").fetchall()
    assert ratings == [(int(Rating.HARD),)]


def test_a_card_deleted_by_an_import_meanwhile_is_skipped_with_a_sentence(
    small_app: App, db_path: Path, clock: ManualClock, tmp_path: Path
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    doomed = session.current.note.guid
    # The teacher's revised bank no longer has the card on screen; imported from elsewhere.
    bank = SMALL_BANK.read_text(encoding="utf-8")
    revised = tmp_path / SMALL_BANK.name
    local_id = doomed.split("/", 1)[1]
    revised.write_text(_without_note(bank, local_id), encoding="utf-8")
    other = second_app(db_path, clock)
    try:
        # Told it is the same bank (the CLI's --same-bank): a file of that name was imported
        # from another folder.
        other.banks.import_file(revised, options=SAME_BANK_DELETING)
    finally:
        other.close()

    shown = session.answer(Rating.GOOD, 1000)

    assert shown is not None
    assert shown.notice == CARD_GONE
    assert shown.note.guid != doomed
    assert review_count(db_path) == 0


def test_undo_skips_answers_whose_card_was_deleted_meanwhile(
    small_app: App, db_path: Path, clock: ManualClock, tmp_path: Path
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    kept = session.current.note.guid
    session.answer(Rating.GOOD, 1000)
    assert session.current is not None
    doomed = session.current.note.guid
    session.answer(Rating.GOOD, 1000)
    revised = tmp_path / SMALL_BANK.name
    revised.write_text(
        _without_note(SMALL_BANK.read_text(encoding="utf-8"), doomed.split("/", 1)[1]),
        encoding="utf-8",
    )
    other = second_app(db_path, clock)
    try:
        other.banks.import_file(revised, options=SAME_BANK_DELETING)
    finally:
        other.close()

    shown = session.undo()  # the last answer's card is gone: the one before is undone

    assert shown is not None
    assert shown.note.guid == kept
    assert review_count(db_path) == 0
    assert not session.can_undo
    with pytest.raises(UserError, match="nothing to undo"):
        session.undo()


def test_an_answer_that_failed_on_a_full_disk_cannot_be_undone(small_app: App) -> None:
    session = small_app.study(None)
    assert session.current is not None
    shown_card = session.current.card.id
    _fill_the_disk(small_app, shown_card)

    with pytest.raises(QuizAppError) as failure:
        session.answer(Rating.GOOD, 1000)

    assert "full" in failure.value.user_message
    assert not session.can_undo
    assert session.current is not None
    assert session.current.card.id == shown_card
    with pytest.raises(UserError, match="nothing to undo"):
        session.undo()


def _fill_the_disk(app: App, card_id: int) -> None:
    """Make the collection's file unable to grow, and full, as on a full disk.

    The driver connection every answer uses may have no more pages than the file
    has; then answers to the card on screen are written until no more fit, so that
    the next one needs a page.
    """
    now_ms = round(app.clock.now().timestamp() * 1000)
    failures = 0
    with app.database.quick() as store:
        connection = store.connection
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
    while failures < 30:
        try:
            with app.database.quick() as store:
                store.connection.exec_driver_sql(
                    "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, "
                    "state_before, due_before, state_after, due_after, imported, uid) "
                    "VALUES (?, ?, 3, 0, 0, 0, 0, 1, 0, 0, lower(hex(randomblob(16))))",
                    (card_id, now_ms),
                )
        except QuizAppError:  # SQLITE_FULL: the file may not grow
            failures += 1


def _without_note(bank: str, local_id: str) -> str:
    """The YAML bank text without the note whose id is ``local_id``."""
    lines = bank.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {local_id}")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        len(lines[end]) - len(lines[end].lstrip()) > indent or not lines[end].strip()
    ):
        end += 1
    return "".join(lines[:start] + lines[end:])
