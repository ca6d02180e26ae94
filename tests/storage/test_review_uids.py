"""Answers get ids that travel between machines and sort in the order they were given."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.bootstrap import App
from quizapp.domain import Rating
from quizapp.services import ManualClock
from quizapp.storage.stamps import time_ordered_uid


def test_uids_are_version_7_uuids_in_time_order_and_unique() -> None:
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    times = [start + timedelta(milliseconds=step * 7) for step in range(500)]
    uids = [time_ordered_uid(at) for at in times]
    assert uids == sorted(uids)
    assert len(set(uids)) == len(uids)
    assert {uuid.UUID(uid).version for uid in uids} == {7}
    assert {uuid.UUID(uid).variant for uid in uids} == {uuid.RFC_4122}
    # The same millisecond twice still gives two ids.
    assert time_ordered_uid(start) != time_ordered_uid(start)
    # Milliseconds since 1970 lead the id.
    assert int(uids[0][:12], 16) == int(start.timestamp() * 1000)


def test_answers_studied_are_stored_with_time_ordered_uids(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    session = small_app.study(None)
    for _ in range(5):
        session.answer(Rating.GOOD, 2000)
        clock.advance(timedelta(seconds=30))
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT uid FROM reviews ORDER BY reviewed_at, id").fetchall()
    uids = [uid for (uid,) in rows]
    assert len(uids) == 5
    assert uids == sorted(uids)
    assert all(uuid.UUID(uid).version == 7 for uid in uids)
