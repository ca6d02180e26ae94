"""The repositories' hot half: what opening a collection, counting its decks and answering
a card need, written as SQL strings run through ``exec_driver_sql``.

These classes run on a driver connection (:mod:`quizapp.storage.driver`, no
SQLAlchemy loaded) or on a SQLAlchemy connection alike; the full repositories
(card_repository.py, …) inherit them and add what is written with SQLAlchemy's
expression language.  :class:`HotStore` groups them for one driver transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from quizapp.domain import Card, CardState, Deck, MemoryState, Note, ReviewLog, SchedulingPreset
from quizapp.domain.manual import ManualAction
from quizapp.storage import hot_sql
from quizapp.storage.driver import Runner
from quizapp.storage.mapping import (
    card_from_row,
    deck_from_values,
    note_from_values,
    preset_from_values,
    review_from_values,
    review_params,
)
from quizapp.storage.stamps import device_stamps, time_ordered_uid
from quizapp.storage.times import maybe_from_millis, to_millis

# The manual entry after which reviews and lapses are counted from zero.
COUNTS_RESET = ManualAction.FORGET_RESET_COUNTS.value


class HotCards:
    """Cards on the answer-a-card path, and the due queue."""

    def __init__(self, connection: Runner) -> None:
        self._connection: Any = connection

    def get(self, card_id: int) -> Card:
        """The card with id ``card_id``."""
        return card_from_row(self._connection.exec_driver_sql(hot_sql.GET_CARD, (card_id,)).one())

    def find(self, card_id: int) -> Card | None:
        """The card with id ``card_id``, or None if it was deleted."""
        row = self._connection.exec_driver_sql(hot_sql.GET_CARD, (card_id,)).first()
        return None if row is None else card_from_row(row)

    def set_memory(self, card: Card, memory: MemoryState) -> bool:
        """Store a new scheduling state for ``card``, if its row is still as ``card`` was read.

        Returns False, changing nothing, when another program wrote the card (or
        deleted it) since: the caller reads it again instead of overwriting that.
        """
        last_review = None if memory.last_review is None else to_millis(memory.last_review)
        result = self._connection.exec_driver_sql(
            hot_sql.SET_MEMORY,
            (
                int(memory.state),
                memory.step,
                memory.stability,
                memory.difficulty,
                to_millis(memory.due),
                last_review,
                card.id,
                card.version,
            ),
        )
        return bool(result.rowcount == 1)

    def bury_siblings(self, card: Card) -> list[int]:
        """Bury the new and review cards of ``card``'s note but ``card``; their ids."""
        rows = self._connection.exec_driver_sql(hot_sql.BURY_SIBLINGS, (card.note_id, card.id))
        return [card_id for (card_id,) in rows]

    def unbury(self, card_ids: Sequence[int]) -> None:
        """Bring these buried cards back (undo of an answer that buried them)."""
        if card_ids:
            self._connection.exec_driver_sql(hot_sql.UNBURY_CARDS, (json.dumps(list(card_ids)),))

    def unbury_all(self) -> int:
        """Bring back every buried card (a new study day began); how many."""
        return int(self._connection.exec_driver_sql(hot_sql.UNBURY_ALL).rowcount)

    def next_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime
    ) -> Card | None:
        """The earliest-due studiable card in these decks and states, due by ``before``."""
        row = self._connection.exec_driver_sql(
            hot_sql.next_card(len(deck_ids), len(states)),
            (*deck_ids, *(int(state) for state in states), to_millis(before)),
        ).first()
        return None if row is None else card_from_row(row)

    def count_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime, limit: int
    ) -> int:
        """How many studiable cards are due by ``before``, counting no further than ``limit``."""
        if limit <= 0:
            return 0
        return int(
            self._connection.exec_driver_sql(
                hot_sql.count_due(len(deck_ids), len(states)),
                (*deck_ids, *(int(state) for state in states), to_millis(before), limit),
            ).scalar_one()
        )

    def queue_counts(
        self,
        deck_ids: Sequence[int],
        new_limit: int,
        learning_until: datetime,
        review_until: datetime,
        review_limit: int,
        learning_limit: int = 9999,
    ) -> tuple[int, int, int]:
        """New (up to ``new_limit``), learning and review cards due, in one query."""
        new, learning, review = self._connection.exec_driver_sql(
            hot_sql.queue_counts(len(deck_ids)),
            (
                *deck_ids,
                max(0, new_limit),
                *deck_ids,
                to_millis(learning_until),
                learning_limit,
                *deck_ids,
                to_millis(review_until),
                max(0, review_limit),
            ),
        ).one()
        return int(new), int(learning), int(review)

    def next_due_time(self, deck_ids: Sequence[int]) -> datetime | None:
        """When the earliest studied (not new) card in these decks comes due."""
        due = self._connection.exec_driver_sql(
            hot_sql.next_due_time(len(deck_ids)), tuple(deck_ids)
        ).scalar()
        return maybe_from_millis(due)

    def totals_by_deck(self) -> dict[int, int]:
        """How many cards each deck holds itself (not counting subdecks)."""
        rows = self._connection.exec_driver_sql(hot_sql.CARDS_BY_DECK)
        return {deck_id: total for deck_id, total in rows}

    def decks_holding_cards(self) -> set[int]:
        """The decks that hold cards themselves (not counting subdecks)."""
        return set(self._connection.exec_driver_sql(hot_sql.DECKS_HOLDING_CARDS).scalars())

    def count(self) -> int:
        """How many cards there are."""
        return int(self._connection.exec_driver_sql(hot_sql.COUNT_CARDS).scalar_one())


class HotNotes:
    """Notes as a card on screen needs them."""

    def __init__(self, connection: Runner) -> None:
        self._connection: Any = connection

    def get(self, note_id: int) -> Note:
        """The note with id ``note_id``."""
        return note_from_values(
            self._connection.exec_driver_sql(hot_sql.GET_NOTE, (note_id,)).one()
        )

    def exercises_in_decks(self, deck_ids: Sequence[int]) -> list[Note]:
        """The exercise notes with a card in these decks."""
        rows = self._connection.exec_driver_sql(
            hot_sql.exercises_in_decks(len(deck_ids)), tuple(deck_ids)
        )
        return [note_from_values(row) for row in rows]

    def count(self) -> int:
        """How many notes there are."""
        return int(self._connection.exec_driver_sql(hot_sql.COUNT_NOTES).scalar_one())


class HotReviews:
    """The review log as answering and undoing a card use it."""

    def __init__(self, connection: Runner) -> None:
        self._connection: Any = connection

    def append(self, log: ReviewLog) -> int:
        """Store one answer (with a new uid, unless it has one) and return its id."""
        device = device_stamps(self._connection).device
        params = review_params(log, log.uid or time_ordered_uid(log.reviewed_at), device)
        result = self._connection.exec_driver_sql(hot_sql.INSERT_REVIEW, params)
        assert result.lastrowid is not None
        return int(result.lastrowid)

    def find(self, review_id: int) -> ReviewLog | None:
        """The answer with id ``review_id``, or None if it is gone (its card was deleted)."""
        row = self._connection.exec_driver_sql(hot_sql.GET_REVIEW, (review_id,)).first()
        return None if row is None else review_from_values(row)

    def last_shown(self, card_id: int) -> dict[str, object] | None:
        """The exercise values shown at ``card_id``'s latest answer, if any."""
        shown = self._connection.exec_driver_sql(hot_sql.LAST_SHOWN, (card_id,)).scalar()
        values = json.loads(shown) if isinstance(shown, str) else shown
        return values if isinstance(values, dict) else None

    def delete(self, review_id: int, now: datetime) -> None:
        """Remove one answer (undo), leaving a grave so other devices remove it too."""
        uid = self._connection.exec_driver_sql(hot_sql.REVIEW_UID, (review_id,)).scalar()
        if uid is None:
            return
        self._connection.exec_driver_sql(hot_sql.DELETE_REVIEW, (review_id,))
        stamps = device_stamps(self._connection)
        self._connection.exec_driver_sql(
            hot_sql.ADD_GRAVE, ("review", uid, stamps.stamp(now), stamps.device)
        )

    def lapses(self, card_id: int) -> int:
        """How many times ``card_id`` lapsed (Again in review) since its counts were reset."""
        reset = self._connection.exec_driver_sql(
            hot_sql.LAST_COUNTS_RESET, (card_id, COUNTS_RESET)
        ).first()
        at, review_id = reset if reset is not None else (-1, -1)
        return int(
            self._connection.exec_driver_sql(
                hot_sql.LAPSES_SINCE, (card_id, at, at, review_id)
            ).scalar_one()
        )

    def count(self) -> int:
        """How many answers are recorded (manual changes left out)."""
        return int(self._connection.exec_driver_sql(hot_sql.COUNT_ANSWERS).scalar_one())

    def answered_since(self, deck_ids: Sequence[int], since: datetime) -> tuple[int, int]:
        """(new cards, reviews) answered in these decks since ``since``, for daily limits."""
        new, reviews = self._connection.exec_driver_sql(
            hot_sql.answered_today(len(deck_ids)), (to_millis(since), *deck_ids)
        ).one()
        return int(new), int(reviews)


class HotDecks:
    """Decks and presets, read."""

    def __init__(self, connection: Runner) -> None:
        self._connection: Any = connection

    def all(self) -> list[Deck]:
        """Every deck, sorted by name (so parents come before their children)."""
        return [
            deck_from_values(row) for row in self._connection.exec_driver_sql(hot_sql.ALL_DECKS)
        ]

    def by_name(self, name: str) -> Deck | None:
        """The deck called exactly ``name``."""
        row = self._connection.exec_driver_sql(hot_sql.DECK_BY_NAME, (name,)).first()
        return None if row is None else deck_from_values(row)

    def get(self, deck_id: int) -> Deck:
        """The deck with id ``deck_id``."""
        return deck_from_values(
            self._connection.exec_driver_sql(hot_sql.DECK_BY_ID, (deck_id,)).one()
        )

    def preset(self, preset_id: int) -> SchedulingPreset:
        """The preset with id ``preset_id``."""
        return preset_from_values(
            self._connection.exec_driver_sql(hot_sql.GET_PRESET, (preset_id,)).one()
        )


class HotMeta:
    """Small facts about the collection."""

    def __init__(self, connection: Runner) -> None:
        self._connection: Any = connection

    def get(self, key: str) -> str | None:
        """The value stored under ``key``."""
        value = self._connection.exec_driver_sql(hot_sql.GET_META, (key,)).scalar()
        return None if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        self._connection.exec_driver_sql(hot_sql.SET_META, (key, value))


class HotStore:
    """The hot repositories of one transaction, on one connection (driver or SQLAlchemy)."""

    def __init__(self, connection: Runner) -> None:
        self.connection = connection
        self.decks = HotDecks(connection)
        self.notes = HotNotes(connection)
        self.cards = HotCards(connection)
        self.reviews = HotReviews(connection)
        self.meta = HotMeta(connection)

    def stamp(self, now: datetime) -> tuple[int, str]:
        """A change stamp for a write made now: (hybrid logical clock, this device)."""
        stamps = device_stamps(self.connection)
        return stamps.stamp(now), stamps.device
