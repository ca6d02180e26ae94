"""Cards (what gets scheduled), their memory state, and the review log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any


class CardState(IntEnum):
    """Where a card is in its life.  LEARNING..RELEARNING share FSRS's numbers."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Rating(IntEnum):
    """The four grades of an answer, numbered as the keys that give them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The word on the grade button."""
        return self.name.capitalize()


class ReviewKind(IntEnum):
    """What kind of review an answer was, from the state the card was in."""

    LEARNING = 0
    REVIEW = 1
    RELEARNING = 2

    @classmethod
    def of(cls, state: CardState) -> ReviewKind:
        """The kind of review that answering a card in ``state`` makes."""
        if state is CardState.REVIEW:
            return cls.REVIEW
        if state is CardState.RELEARNING:
            return cls.RELEARNING
        return cls.LEARNING


@dataclass(frozen=True, slots=True)
class MemoryState:
    """A card's scheduling state.  Datetimes are UTC-aware."""

    state: CardState
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None

    @classmethod
    def new(cls, due: datetime) -> MemoryState:
        """The state of a card never studied, introduced from ``due`` on."""
        return cls(state=CardState.NEW, due=due)


@dataclass(frozen=True, slots=True)
class Card:
    """One thing to schedule, made from a note: ``face`` 0 is forward, 1 reverse.

    ``version`` counts the writes to the card's row: a write checks that it is
    still the version it read, so that two programs never overwrite each other.
    """

    id: int
    note_id: int
    deck_id: int
    face: int
    memory: MemoryState
    suspended: bool = False
    buried: bool = False
    flag: int = 0
    version: int = 0


@dataclass(frozen=True, slots=True)
class ReviewLog:
    """One answer, appended and never rewritten.

    ``before`` lets undo restore the card exactly; the sequence of ratings and
    times of a card's logs is enough to rebuild ``after`` by replaying FSRS.
    """

    card_id: int
    reviewed_at: datetime
    rating: Rating
    duration_ms: int
    kind: ReviewKind
    before: MemoryState
    after: MemoryState
    answer: str | None = None
    imported: bool = False
    shown: Mapping[str, Any] | None = None  # an exercise's variable values
    # The order the card's choices were shown in (indices into the note's choices).
    choice_order: tuple[int, ...] | None = None
    uid: str | None = None  # unique across machines; given when the answer is stored
    id: int | None = None
