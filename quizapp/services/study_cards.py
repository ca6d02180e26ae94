"""What a study session hands the reviewer: the card on screen, and the session's summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.domain import Card, Note, Rating, ReviewKind, ReviewLog
from quizapp.domain.answers import AnswerMode, Verdict
from quizapp.scheduling import SchedulingOutcome, format_interval
from quizapp.services.presentation import Presentation
from quizapp.services.queue import QueueCounts

if TYPE_CHECKING:  # exercises load the formula evaluator, only once an exercise is shown
    from quizapp.exercises.instances import ExerciseInstance


class Outcomes(Mapping[Rating, SchedulingOutcome]):
    """What each grade would do to a card, worked out the first time it is asked.

    That is when the answer is revealed and the grade buttons show their intervals,
    not when the card is shown: the next card comes up without waiting for four
    scheduler runs.  ``preview`` is the scheduler's, with the card's state, time and
    seed of this showing bound, so when it runs does not change what it gives.
    """

    __slots__ = ("_outcomes", "_preview")

    def __init__(self, preview: Callable[[], Mapping[Rating, SchedulingOutcome]]) -> None:
        self._preview: Callable[[], Mapping[Rating, SchedulingOutcome]] | None = preview
        self._outcomes: Mapping[Rating, SchedulingOutcome] = {}

    def _worked_out(self) -> Mapping[Rating, SchedulingOutcome]:
        if self._preview is not None:
            self._outcomes = self._preview()
            self._preview = None
        return self._outcomes

    def __getitem__(self, rating: Rating) -> SchedulingOutcome:
        return self._worked_out()[rating]

    def __iter__(self) -> Iterator[Rating]:
        return iter(self._worked_out())

    def __len__(self) -> int:
        return len(self._worked_out())


@dataclass(frozen=True, slots=True)
class StudyCard:
    """A card on screen: its note, how it is shown, and what each grade would do.

    ``notice`` is a sentence the learner should read with this card (something
    that happened to the previous one), or empty.
    """

    card: Card
    note: Note
    deck_name: str
    shown_at: datetime
    outcomes: Mapping[Rating, SchedulingOutcome]
    counts: QueueCounts
    presentation: Presentation
    exercise: ExerciseInstance | None = None  # the values drawn for an exercise, this showing
    notice: str = ""

    @property
    def mode(self) -> AnswerMode:
        """How this card is answered."""
        return self.presentation.mode

    def interval_label(self, rating: Rating) -> str:
        """``10m``, ``3d``…: when the card comes back if answered ``rating``."""
        return format_interval(self.outcomes[rating].interval_from(self.shown_at))


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What a session did, and when there is more to do."""

    as_of: datetime
    answered: int
    ratings: Mapping[Rating, int]
    studied_seconds: float
    next_due: datetime | None
    new_left_beyond_limit: bool


@dataclass
class ShownCard:
    """The card on screen inside the session: its seed, and the verdict once checked."""

    study_card: StudyCard
    seed: int
    verdict: Verdict | None = None


def review_log(
    study_card: StudyCard, rating: Rating, now: datetime, duration_ms: int, given: str | None
) -> ReviewLog:
    """The log of answering ``study_card`` with ``rating`` at ``now``, as shown."""
    card = study_card.card
    exercise = study_card.exercise
    order = study_card.presentation.choice_order
    return ReviewLog(
        card_id=card.id,
        reviewed_at=now,
        rating=rating,
        duration_ms=duration_ms,
        kind=ReviewKind.of(card.memory.state),
        before=card.memory,
        after=study_card.outcomes[rating].memory,
        answer=given,
        shown=None if exercise is None else exercise.stored_values(),
        choice_order=order if order and exercise is None else None,
    )
