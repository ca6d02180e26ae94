"""The review log: appended, and shortened only by undo.

Besides answers, the log holds the manual changes of a card's schedule
(:mod:`quizapp.domain.manual`): rows of kind :data:`MANUAL_KIND` with no grade
(rating 0), the action in ``answer``.  Every reader of answers leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, RowMapping, and_, delete, func, or_, select

from quizapp.domain import CardState, MemoryState, Rating, ReviewKind, ReviewLog
from quizapp.domain.manual import ManualAction, ManualEntry
from quizapp.storage import hot_sql
from quizapp.storage.hot_repositories import HotReviews
from quizapp.storage.mapping import (
    review_from_row,
    review_params,
)
from quizapp.storage.models import ReviewRow
from quizapp.storage.stamps import device_stamps, time_ordered_uid

# As Anki's review log: kinds 0-2 are answers, 4 a manual change of the schedule.
MANUAL_KIND = 4
_ANSWERS = ReviewRow.rating > 0


class ReviewRepository(HotReviews):
    """The review log: appended, and shortened only by undo (hot half: :class:`HotReviews`)."""

    def insert_many(self, logs: Sequence[ReviewLog]) -> None:
        """Store many answers at once (an import)."""
        if logs:
            device = device_stamps(self._connection).device
            self._connection.exec_driver_sql(
                hot_sql.INSERT_REVIEW,
                [
                    review_params(log, log.uid or time_ordered_uid(log.reviewed_at), device)
                    for log in logs
                ],
            )

    def times_by_card(self, card_ids: Sequence[int]) -> dict[int, set[datetime]]:
        """When each of these cards was answered, to skip answers already imported."""
        found: dict[int, set[datetime]] = {}
        for start in range(0, len(card_ids), 500):
            rows = self._connection.execute(
                select(ReviewRow.card_id, ReviewRow.reviewed_at).where(
                    ReviewRow.card_id.in_(card_ids[start : start + 500]), _ANSWERS
                )
            )
            for card_id, reviewed_at in rows:
                found.setdefault(card_id, set()).add(reviewed_at)
        return found

    def history(self, card_id: int) -> list[ReviewLog]:
        """Every answer to ``card_id``, oldest first (manual changes left out)."""
        rows = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.card_id == card_id, _ANSWERS)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [review_from_row(row._mapping) for row in rows]

    def get(self, review_id: int) -> ReviewLog:
        """The answer with id ``review_id``."""
        found = self.find(review_id)
        if found is None:
            raise LookupError(f"no review {review_id}")
        return found

    def latest(self) -> ReviewLog | None:
        """The most recent answer given in this app (not imported), if any."""
        row = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.imported.is_(False), _ANSWERS)
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

    def append_manual(self, entry: ManualEntry) -> int:
        """Log a manual change of a card's schedule (forget, set due date); its id."""
        log = ReviewLog(
            card_id=entry.card_id,
            reviewed_at=entry.changed_at,
            rating=Rating.AGAIN,  # replaced by 0 below: a manual change has no grade
            duration_ms=0,
            kind=ReviewKind.LEARNING,
            before=entry.before,
            after=entry.after,
            answer=entry.action.value,
        )
        device = device_stamps(self._connection).device
        params = list(review_params(log, entry.uid or time_ordered_uid(log.reviewed_at), device))
        params[2], params[4] = 0, MANUAL_KIND  # rating, kind
        result = self._connection.exec_driver_sql(hot_sql.INSERT_REVIEW, tuple(params))
        assert result.lastrowid is not None
        return int(result.lastrowid)

    def manual_entries(self, card_id: int) -> list[ManualEntry]:
        """Every manual change of ``card_id``'s schedule, oldest first."""
        rows = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.card_id == card_id, ReviewRow.kind == MANUAL_KIND)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [_manual_entry(row._mapping) for row in rows]

    def counts(self, card_id: int) -> tuple[int, int]:
        """(reviews, lapses) of ``card_id`` since its counts were last reset.

        A lapse is an Again on a card in review; both count answers only.
        """
        since = self._connection.execute(
            select(ReviewRow.reviewed_at, ReviewRow.id)
            .where(
                ReviewRow.card_id == card_id,
                ReviewRow.kind == MANUAL_KIND,
                ReviewRow.answer == ManualAction.FORGET_RESET_COUNTS.value,
            )
            .order_by(ReviewRow.reviewed_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).first()
        conditions = [ReviewRow.card_id == card_id, _ANSWERS]
        if since is not None:
            at, review_id = since
            conditions.append(
                or_(
                    ReviewRow.reviewed_at > at,
                    and_(ReviewRow.reviewed_at == at, ReviewRow.id > review_id),
                )
            )
        lapse = and_(
            ReviewRow.rating == int(Rating.AGAIN), ReviewRow.kind == int(ReviewKind.REVIEW)
        )
        reviews, lapses = self._connection.execute(
            select(func.count(), func.coalesce(func.sum(lapse.cast(Integer)), 0)).where(*conditions)
        ).one()
        return int(reviews), int(lapses)

    def first_new_due(self, card_id: int) -> datetime | None:
        """Where ``card_id`` first stood in the new queue (the due of its first answer as new)."""
        due: datetime | None = self._connection.execute(
            select(ReviewRow.due_before)
            .where(
                ReviewRow.card_id == card_id,
                ReviewRow.state_before == int(CardState.NEW),
                _ANSWERS,
            )
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
            .limit(1)
        ).scalar()
        return due

    def count_of_cards(self, card_ids: Sequence[int]) -> int:
        """How many log rows these cards have (answers and manual changes: all would go)."""
        total = 0
        for start in range(0, len(card_ids), 900):
            total += int(
                self._connection.execute(
                    select(func.count())
                    .select_from(ReviewRow)
                    .where(ReviewRow.card_id.in_(card_ids[start : start + 900]))
                ).scalar_one()
            )
        return total


def _manual_entry(row: RowMapping) -> ManualEntry:
    """A manual change from its ``reviews`` row."""
    return ManualEntry(
        card_id=row["card_id"],
        changed_at=row["reviewed_at"],
        action=ManualAction(row["answer"]),
        before=MemoryState(
            state=CardState(row["state_before"]),
            due=row["due_before"],
            step=row["step_before"],
            stability=row["stability_before"],
            difficulty=row["difficulty_before"],
            last_review=row["last_review_before"],
        ),
        after=MemoryState(
            state=CardState(row["state_after"]),
            due=row["due_after"],
            step=row["step_after"],
            stability=row["stability_after"],
            difficulty=row["difficulty_after"],
            last_review=_last_review_after(row),
        ),
        uid=row["uid"],
        id=row["id"],
    )


def _last_review_after(row: RowMapping) -> datetime | None:
    """A manual change's last review after it (the log keeps none): none once the card
    starts over, the change itself for a new card given a due date, else unchanged."""
    if row["state_after"] == int(CardState.NEW):
        return None
    if row["state_before"] == int(CardState.NEW):
        return row["reviewed_at"]  # type: ignore[no-any-return]
    return row["last_review_before"]  # type: ignore[no-any-return]
