"""Filling a new collection from the bundled banks, once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizapp.services.clock import Clock
from quizapp.storage import Database
from quizapp.storage.media import MediaStore

SEEDED_KEY = "seeded_from"


def seed_if_new(
    database: Database, bank_paths: Sequence[Path], clock: Clock, media: MediaStore
) -> bool:
    """Import the bundled banks into a collection that was never seeded; True if it did.

    A collection is seeded once: a learner who deletes the bundled cards does
    not get them back at the next start.
    """
    with database.quick() as store:
        if store.meta.get(SEEDED_KEY) is not None:
            return False
    # Only a new collection gets here, so an existing one starts without the bank code.
    from quizapp.banks.errors import BankError
    from quizapp.banks.formats import read_bank
    from quizapp.domain import BankFormat
    from quizapp.services.importing import insert_batch
    from quizapp.services.validation import exercise_issues

    batches = [read_bank(path, BankFormat.YAML) for path in bank_paths]
    for batch in batches:
        issues = exercise_issues(batch)
        if issues:
            raise BankError(issues)
    with media.staged() as staging:
        with database.transaction() as store:
            if store.meta.get(SEEDED_KEY) is not None:
                return False
            staging.attach(store.connection)
            for batch in batches:
                insert_batch(store, batch, clock.now(), staging)
            store.meta.set(SEEDED_KEY, ", ".join(path.name for path in bank_paths))
            staging.record()
        with database.transaction() as store:
            staging.publish(store.connection)
    return True
