"""Media of an import that did not commit never stay behind, even when it is killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import (
    BasicContent,
    BatchMedia,
    BatchNote,
    ImportBatch,
    Note,
    NoteKind,
    TextFormat,
)
from quizapp.services import ManualClock, importing
from quizapp.storage.media import MediaStore

REPO = Path(__file__).parents[2]


def batch_with_media(count: int) -> ImportBatch:
    notes = tuple(
        BatchNote(
            Note(
                f"media-{i}",
                NoteKind.BASIC,
                BasicContent(f"<img src='f{i}.png'>", "b"),
                text_format=TextFormat.HTML,
                source="pictures.apkg",
            ),
            "Pictures",
        )
        for i in range(count)
    )
    media = tuple(BatchMedia(f"f{i}.png", f"picture {i}".encode()) for i in range(count))
    return ImportBatch(source="pictures.apkg", notes=notes, media=media, global_guids=True)


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def note_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0])


@pytest.fixture
def app(db_path: Path, clock: ManualClock) -> App:
    return open_app(db_path, clock=clock, rng=Random(1), seed_banks=[])


def test_an_import_that_fails_leaves_no_media(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> int:
        raise RuntimeError("the import broke after its media were written")

    monkeypatch.setattr(importing, "_write_cards", fail)
    with pytest.raises(RuntimeError):
        app.banks.import_batch(batch_with_media(20))
    assert files_in(app.media.folder) == []
    assert files_in(app.media.staging_root) == []
    assert note_count(app.database.path) == 0


def test_a_committed_import_moves_its_media_in(app: App) -> None:
    report = app.banks.import_batch(batch_with_media(5))
    assert report.media_added == 5
    assert len(files_in(app.media.folder)) == 5
    assert not app.media.staging_root.exists()


def test_an_import_killed_midway_leaves_no_orphan_files(db_path: Path) -> None:
    open_app(db_path, seed_banks=[]).close()
    media = MediaStore.beside(db_path)
    script = "\n".join(
        [
            "from pathlib import Path",
            "from quizapp.bootstrap import open_app",
            "from tests.services.test_media_staging import batch_with_media",
            f"app = open_app(Path({str(db_path)!r}), seed_banks=[])",
            "app.banks.import_batch(batch_with_media(10_000))",
        ]
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while len(files_in(media.staging_root)) < 200:
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert files_in(media.staging_root)  # the kill left staged files behind...

    open_app(db_path, seed_banks=[]).close()

    assert files_in(media.staging_root) == []  # ...which the next opening removed
    assert files_in(media.folder) == []
    assert note_count(db_path) == 0


def test_media_of_an_import_killed_after_its_commit_are_moved_in_at_the_next_opening(
    db_path: Path,
) -> None:
    app = open_app(db_path, seed_banks=[])
    media = app.media
    # As an import leaves things when it is killed between its commit and the move.
    with media.staged() as staging, app.database.transaction() as store:
        staging.attach(store.connection)
        stored = staging.add("a.png", b"a picture")
        staging.record()
    app.close()
    assert files_in(media.folder) == []

    open_app(db_path, seed_banks=[]).close()

    assert [path.name for path in files_in(media.folder)] == [stored]
    assert not media.staging_root.exists()
