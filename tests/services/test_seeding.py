"""First run: a new collection is filled from the bundled bank, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quizapp.banks import load_native_bank
from quizapp.bootstrap import bundled_banks, open_app
from quizapp.services import ManualClock
from quizapp.services.stats import collection_stats


def test_first_run_seeds_every_note_of_the_bundled_bank(db_path: Path, clock: ManualClock) -> None:
    batches = [load_native_bank(path) for path in bundled_banks()]
    notes = [item for batch in batches for item in batch.notes]
    expected_cards = sum(len(item.note.faces) for item in notes)

    app = open_app(db_path, clock=clock)
    stats = collection_stats(app.database, app.decks)
    app.close()

    assert stats["notes"] == sum(len(batch.notes) for batch in batches)
    assert stats["cards"] == expected_cards
    assert stats["reviews"] == 0
    assert {deck["name"] for deck in stats["decks"]} >= {
        name for batch in batches for name in batch.deck_names
    }


def test_reopening_does_not_seed_twice(db_path: Path, clock: ManualClock) -> None:
    open_app(db_path, clock=clock).close()
    app = open_app(db_path, clock=clock)
    stats = collection_stats(app.database, app.decks)
    app.close()
    batches = [load_native_bank(path) for path in bundled_banks()]
    assert stats["notes"] == sum(len(batch.notes) for batch in batches)


def test_deleted_bundled_cards_do_not_come_back(db_path: Path, clock: ManualClock) -> None:
    open_app(db_path, clock=clock).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("DELETE FROM cards")
        connection.execute("DELETE FROM notes")
    app = open_app(db_path, clock=clock)
    stats = collection_stats(app.database, app.decks)
    app.close()
    assert stats["cards"] == 0
