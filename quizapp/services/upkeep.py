"""What opening a collection tidies up after an interrupted run."""

from __future__ import annotations

from quizapp.storage import Database
from quizapp.storage.media import MediaStore


def finish_interrupted_imports(database: Database, media: MediaStore) -> int:
    """Move in the media of imports that committed but were stopped before moving them,
    and remove those of imports that never committed; how many files were moved in."""
    with database.quick() as store:
        return media.recover(store.connection)
