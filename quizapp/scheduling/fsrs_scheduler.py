"""FSRS through the maintained ``fsrs`` package, with time and randomness as parameters.

``fsrs`` draws its interval fuzz from the global ``random`` module.  We ask it
for the unfuzzed interval and apply the same fuzz with the caller's ``rng``
(fsrs's own ranges, one ``rng.random()`` per fuzzed answer), so a seeded
``Random`` gives exactly what ``fsrs`` gives after ``random.seed`` with that seed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

import fsrs
from fsrs.scheduler import FUZZ_RANGES

from quizapp.domain import CardState, MemoryState, Rating, SchedulingPreset
from quizapp.scheduling.protocol import SchedulingOutcome

_MIN_FUZZ_DAYS = 2.5


class FsrsScheduler:
    """Our :class:`~quizapp.scheduling.Scheduler` backed by ``fsrs.Scheduler``."""

    def __init__(self, preset: SchedulingPreset, parameters: tuple[float, ...] | None = None):
        self.preset = preset
        self._fuzz = preset.fuzz
        self._maximum_interval = preset.maximum_interval_days
        self._fsrs = fsrs.Scheduler(
            parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=preset.desired_retention,
            learning_steps=tuple(timedelta(seconds=s) for s in preset.learning_steps),
            relearning_steps=tuple(timedelta(seconds=s) for s in preset.relearning_steps),
            maximum_interval=preset.maximum_interval_days,
            enable_fuzzing=False,
        )
        # FSRS-6's decay (w20): the shape of this scheduler's forgetting curve.
        self.decay = float(self._fsrs.parameters[20])

    def review(
        self, memory: MemoryState, rating: Rating, now: datetime, rng: Random
    ) -> MemoryState:
        """The state after answering ``rating`` at ``now`` (UTC-aware)."""
        card, _ = self._fsrs.review_card(to_fsrs(memory), fsrs.Rating(int(rating)), now)
        if self._fuzz and card.state == fsrs.State.Review:
            card.due = now + self._fuzzed(card.due - now, rng)
        return from_fsrs(card)

    def preview(
        self, memory: MemoryState, now: datetime, seed: int
    ) -> dict[Rating, SchedulingOutcome]:
        """The outcome of each rating, each fuzzed by ``Random(seed)``.

        Answering later with ``review(..., Random(seed))`` draws the same fuzz, so
        the interval shown on a grade button is the one the answer schedules.
        """
        return {
            rating: SchedulingOutcome(rating, self.review(memory, rating, now, Random(seed)))
            for rating in Rating
        }

    def _fuzzed(self, interval: timedelta, rng: Random) -> timedelta:
        days = interval.days
        if days < _MIN_FUZZ_DAYS:
            return interval
        delta = 1.0
        for fuzz_range in FUZZ_RANGES:
            delta += fuzz_range["factor"] * max(
                min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
            )
        high = min(round(days + delta), self._maximum_interval)
        low = min(max(2, round(days - delta)), high)
        fuzzed = rng.random() * (high - low + 1) + low
        return timedelta(days=min(round(fuzzed), self._maximum_interval))


def to_fsrs(memory: MemoryState) -> fsrs.Card:
    """The ``fsrs.Card`` for ``memory``; a new card is fsrs's Learning at step 0."""
    if memory.state is CardState.NEW:
        return fsrs.Card(card_id=0, state=fsrs.State.Learning, step=0, due=memory.due)
    return fsrs.Card(
        card_id=0,
        state=fsrs.State(int(memory.state)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


def from_fsrs(card: fsrs.Card) -> MemoryState:
    """Our memory state for a reviewed ``fsrs.Card``."""
    return MemoryState(
        state=CardState(int(card.state)),
        due=card.due,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
    )
