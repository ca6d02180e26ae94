"""The review log: appended, and shortened only by undo."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from quizapp.domain import ReviewLog
from quizapp.storage import hot_sql
from quizapp.storage.mapping import (
    review_from_row,
    review_params,
)
from quizapp.storage.models import GraveRow, ReviewRow, to_millis
from quizapp.storage.stamps import device_stamps


class ReviewRepository:
    """The review log: appended, and shortened only by undo."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, log: ReviewLog) -> int:
        """Store one answer (with a new uid, unless it has one) and return its id."""
        device = device_stamps(self._connection).device
        params = review_params(log, log.uid or uuid.uuid4().hex, device)
        result = self._connection.exec_driver_sql(hot_sql.INSERT_REVIEW, params)
        assert result.lastrowid is not None
        return int(result.lastrowid)

    def insert_many(self, logs: Sequence[ReviewLog]) -> None:
        """Store many answers at once (an import)."""
        if logs:
            device = device_stamps(self._connection).device
            self._connection.exec_driver_sql(
                hot_sql.INSERT_REVIEW,
                [review_params(log, log.uid or uuid.uuid4().hex, device) for log in logs],
            )

    def times_by_card(self, card_ids: Sequence[int]) -> dict[int, set[datetime]]:
        """When each of these cards was answered, to skip answers already imported."""
        found: dict[int, set[datetime]] = {}
        for start in range(0, len(card_ids), 500):
            rows = self._connection.execute(
                select(ReviewRow.card_id, ReviewRow.reviewed_at).where(
                    ReviewRow.card_id.in_(card_ids[start : start + 500])
                )
            )
            for card_id, reviewed_at in rows:
                found.setdefault(card_id, set()).add(reviewed_at)
        return found

    def last_shown(self, card_id: int) -> dict[str, object] | None:
        """The exercise values shown at ``card_id``'s latest answer, if any."""
        shown = self._connection.execute(
            select(ReviewRow.shown)
            .where(ReviewRow.card_id == card_id)
            .order_by(ReviewRow.reviewed_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).scalar()
        return shown if isinstance(shown, dict) else None

    def history(self, card_id: int) -> list[ReviewLog]:
        """Every answer to ``card_id``, oldest first."""
        rows = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.card_id == card_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [review_from_row(row._mapping) for row in rows]

    def get(self, review_id: int) -> ReviewLog:
        """The answer with id ``review_id``."""
        found = self.find(review_id)
        if found is None:
            raise LookupError(f"no review {review_id}")
        return found

    def find(self, review_id: int) -> ReviewLog | None:
        """The answer with id ``review_id``, or None if it is gone (its card was deleted)."""
        row = self._connection.execute(
            select(ReviewRow.__table__).where(ReviewRow.id == review_id)
        ).first()
        return None if row is None else review_from_row(row._mapping)

    def latest(self) -> ReviewLog | None:
        """The most recent answer given in this app (not imported), if any."""
        row = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.imported.is_(False))
            .order_by(ReviewRow.id.desc())
            .limit(1)
        ).first()
        return None if row is None else review_from_row(row._mapping)

    def delete_of_cards(self, card_ids: Sequence[int]) -> None:
        """Delete every answer to these cards (only when the user deletes the cards)."""
        for start in range(0, len(card_ids), 900):
            self._connection.execute(
                delete(ReviewRow).where(ReviewRow.card_id.in_(card_ids[start : start + 900]))
            )

    def delete(self, review_id: int, now: datetime) -> None:
        """Remove one answer (undo), leaving a grave so other devices remove it too."""
        uid = self._connection.execute(
            select(ReviewRow.uid).where(ReviewRow.id == review_id)
        ).scalar()
        if uid is None:
            return
        self._connection.execute(delete(ReviewRow).where(ReviewRow.id == review_id))
        stamps = device_stamps(self._connection)
        self._connection.execute(
            insert(GraveRow).values(
                kind="review", uid=uid, modified_hlc=stamps.stamp(now), modified_by=stamps.device
            )
        )

    def count(self) -> int:
        """How many answers are recorded."""
        return int(
            self._connection.execute(select(func.count()).select_from(ReviewRow)).scalar_one()
        )

    def answered_since(self, deck_ids: Sequence[int], since: datetime) -> tuple[int, int]:
        """(new cards, reviews) answered in these decks since ``since``, for daily limits."""
        new, reviews = self._connection.exec_driver_sql(
            hot_sql.answered_today(len(deck_ids)), (to_millis(since), *deck_ids)
        ).one()
        return int(new), int(reviews)
