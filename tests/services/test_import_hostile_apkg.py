"""An Anki package whose history reaches the edge of time imports without an overflow."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.bootstrap import App
from tests.unit.test_apkg_hostile import seconds, with_answers

EASY = 4


def test_answers_up_to_2200_are_replayed_and_later_ones_skipped(
    small_app: App, tmp_path: Path, db_path: Path
) -> None:
    # Easy after Easy: FSRS stretches the interval to its maximum of 100 years, which
    # from an answer in 9999 (or 9990) would be past the last date Python can hold.
    latest = datetime(2199, 12, 31, tzinfo=UTC)
    times = [seconds(latest - timedelta(days=400 - 50 * step)) for step in range(8)]
    times += [
        seconds(datetime(9990, 1, 1, tzinfo=UTC)),
        seconds(datetime(9999, 12, 31, tzinfo=UTC)),
    ]
    package = tmp_path / "edge.apkg"
    package.write_bytes(with_answers(times, ease=EASY))

    report = small_app.banks.import_file(package)

    assert report.reviews_added == 8
    with sqlite3.connect(db_path) as connection:
        (due,) = connection.execute(
            "SELECT c.due FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'cU1%zNUzk1'"
        ).fetchone()
    connection.close()
    assert datetime(2199, 1, 1, tzinfo=UTC) < datetime.fromtimestamp(due / 1000, UTC)
