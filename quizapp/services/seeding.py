"""Filling a new collection from the bundled bank, once."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks import load_native_bank
from quizapp.services.clock import Clock
from quizapp.services.importing import ImportSummary, insert_batch
from quizapp.storage import Database

SEEDED_KEY = "seeded_from"


def seed_if_new(database: Database, bank_path: Path, clock: Clock) -> ImportSummary | None:
    """Import the bundled bank into a collection that was never seeded.

    A collection is seeded once: a learner who deletes the bundled cards does
    not get them back at the next start.
    """
    with database.transaction() as store:
        if store.meta.get(SEEDED_KEY) is not None:
            return None
    batch = load_native_bank(bank_path)
    with database.transaction() as store:
        if store.meta.get(SEEDED_KEY) is not None:
            return None
        summary = insert_batch(store, batch, clock.now())
        store.meta.set(SEEDED_KEY, bank_path.name)
    return summary
