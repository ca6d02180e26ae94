"""The due queue of a set of decks: what to show next, and how much is left today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from quizapp.domain import Card, CardState, SchedulingPreset
from quizapp.storage import HotStore

LEARNING_STATES = (CardState.LEARNING, CardState.RELEARNING)
# As in Anki: when nothing else is left, learning cards due this soon are shown early.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Cards left to study now: new (within today's limit), learning, and review.

    Learning counts the cards due within :data:`LEARN_AHEAD`, which are shown
    early once nothing else is left.
    """

    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        """All three together."""
        return self.new + self.learning + self.due


@dataclass(frozen=True, slots=True)
class DueQueue:
    """The queue of some decks at one moment, with the limits of their preset."""

    # New cards are always available; they wait only on the daily limit.
    NEW_CARDS_DUE: ClassVar[datetime] = datetime(9000, 1, 1, tzinfo=UTC)

    deck_ids: tuple[int, ...]
    preset: SchedulingPreset
    now: datetime
    day_start: datetime

    def counts(self, store: HotStore, done_today: tuple[int, int] | None = None) -> QueueCounts:
        """What is left to study now, after today's limits.

        ``done_today`` is (new cards, reviews) already answered today, when the
        caller keeps count; otherwise it is read from the review log.
        """
        if done_today is None:
            done_today = store.reviews.answered_since(self.deck_ids, self.day_start)
        new_done, reviews_done = done_today
        new, learning, due = store.cards.queue_counts(
            self.deck_ids,
            new_limit=self.preset.new_per_day - new_done,
            learning_until=self.now + LEARN_AHEAD,
            review_until=self.now,
            review_limit=self.preset.reviews_per_day - reviews_done,
        )
        return QueueCounts(new=new, learning=learning, due=due)

    def next_card(self, store: HotStore, counts: QueueCounts) -> Card | None:
        """The card to show next: learning due now, reviews, new cards, then learning ahead."""
        card = store.cards.next_due(self.deck_ids, LEARNING_STATES, self.now)
        if card is not None:
            return card
        if counts.due:
            return store.cards.next_due(self.deck_ids, (CardState.REVIEW,), self.now)
        if counts.new:
            return store.cards.next_due(self.deck_ids, (CardState.NEW,), self.NEW_CARDS_DUE)
        return store.cards.next_due(self.deck_ids, LEARNING_STATES, self.now + LEARN_AHEAD)
