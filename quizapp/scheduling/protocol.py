"""The small scheduling interface the rest of the app depends on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Protocol

from quizapp.domain import MemoryState, Rating


@dataclass(frozen=True, slots=True)
class SchedulingOutcome:
    """The state a card would be in after one rating."""

    rating: Rating
    memory: MemoryState

    def interval_from(self, now: datetime) -> float:
        """Seconds from ``now`` until the card is due again."""
        return (self.memory.due - now).total_seconds()


class Scheduler(Protocol):
    """Computes next states purely: same memory, rating, time and rng state, same answer."""

    def review(
        self, memory: MemoryState, rating: Rating, now: datetime, rng: Random
    ) -> MemoryState:
        """The state after answering ``rating`` at ``now``."""
        ...

    def preview(
        self, memory: MemoryState, now: datetime, seed: int
    ) -> Mapping[Rating, SchedulingOutcome]:
        """The outcome of each rating, fuzzed by ``Random(seed)``; labels the grade buttons."""
        ...
