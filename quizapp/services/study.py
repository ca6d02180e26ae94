"""Studying a deck: show a card, take the answer, schedule it, undo it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import TYPE_CHECKING, Any

from quizapp.domain import (
    Card,
    CardState,
    Deck,
    ExerciseContent,
    Note,
    Rating,
    ReviewKind,
    ReviewLog,
    SchedulingPreset,
)
from quizapp.errors import UserError
from quizapp.scheduling import FsrsScheduler, SchedulingOutcome, format_interval
from quizapp.scheduling.days import study_day_start
from quizapp.services.clock import Clock
from quizapp.services.decks import subtree_ids
from quizapp.services.queue import DueQueue, QueueCounts
from quizapp.storage import Database, Store

if TYPE_CHECKING:  # exercises load the formula evaluator, only once an exercise is shown
    from quizapp.exercises.instances import ExerciseInstance


@dataclass(frozen=True, slots=True)
class StudyCard:
    """A card on screen: its note, where it is from, and what each grade would do."""

    card: Card
    note: Note
    deck_name: str
    shown_at: datetime
    outcomes: Mapping[Rating, SchedulingOutcome]
    counts: QueueCounts
    exercise: ExerciseInstance | None = None  # the values drawn for an exercise, this showing

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
class _Shown:
    study_card: StudyCard
    fuzz_seed: int


@dataclass
class _Answer:
    review_id: int
    rating: Rating
    duration_ms: int


@dataclass
class _History:
    answers: list[_Answer] = field(default_factory=list)

    def ratings(self) -> Counter[Rating]:
        return Counter(answer.rating for answer in self.answers)


class StudySession:
    """One sitting over a deck and its subdecks, or over every deck.

    Each answer is its own transaction: the card's new state and the review log
    are committed together before the next card is fetched.
    """

    def __init__(self, database: Database, clock: Clock, rng: Random, deck: Deck | None) -> None:
        self._database = database
        self._clock = clock
        self._rng = rng
        self.deck = deck
        self._schedulers: dict[int, FsrsScheduler] = {}
        self._presets: dict[int, SchedulingPreset] = {}
        self._history = _History()
        self._shown: _Shown | None = None
        self._counted_since: datetime | None = None
        self._done = [0, 0]
        with database.transaction() as store:
            decks = store.decks.all()
            if not decks:
                raise UserError("There are no decks to study yet; import a bank first.")
            self._deck_names = {d.id: d.name for d in decks}
            self._deck_presets = {d.id: d.preset_id for d in decks}
            studied = subtree_ids(deck, decks) if deck else tuple(self._deck_names)
            # Only decks holding cards: each one costs the queue queries an index seek.
            holding = store.cards.totals_by_deck()
            self._deck_ids = tuple(d for d in studied if holding.get(d)) or studied
            self._limits = self._preset(store, deck.preset_id if deck else decks[0].preset_id)
            self._show_next(store, self._clock.now())

    @property
    def current(self) -> StudyCard | None:
        """The card on screen, or None when nothing is left to study now."""
        return None if self._shown is None else self._shown.study_card

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""
        return bool(self._history.answers)

    def answer(
        self, rating: Rating, duration_ms: int, given_answer: str | None = None
    ) -> StudyCard | None:
        """Record ``rating`` for the current card and return the next one."""
        if self._shown is None:
            raise UserError("There is no card to answer.")
        card = self._shown.study_card.card
        now = self._clock.now()
        with self._database.transaction() as store:
            scheduler = self._scheduler(store, card.deck_id)
            after = scheduler.review(card.memory, rating, now, Random(self._shown.fuzz_seed))
            store.cards.set_memory(card, after)
            exercise = self._shown.study_card.exercise
            log = ReviewLog(
                card_id=card.id,
                reviewed_at=now,
                rating=rating,
                duration_ms=max(0, duration_ms),
                kind=ReviewKind.of(card.memory.state),
                before=card.memory,
                after=after,
                answer=given_answer,
                shown=None if exercise is None else exercise.stored_values(),
            )
            review_id = store.reviews.append(log)
            self._count_answer(card.memory.state, now, +1)
            self._history.answers.append(_Answer(review_id, rating, log.duration_ms))
            self._show_next(store, now)
        return self.current

    def undo(self) -> StudyCard | None:
        """Take back the last answer: the card's state is restored, its review removed."""
        if not self._history.answers:
            raise UserError("There is nothing to undo.")
        last = self._history.answers.pop()
        now = self._clock.now()
        with self._database.transaction() as store:
            log = store.reviews.get(last.review_id)
            card = store.cards.get(log.card_id)
            store.cards.set_memory(card, log.before)
            store.reviews.delete(last.review_id)
            self._count_answer(log.before.state, log.reviewed_at, -1)
            queue = self._queue(now)
            counts = queue.counts(store, self._done_today(store, queue))
            self._show(store, store.cards.get(card.id), now, counts, redraw=log.shown)
        return self.current

    def prepare_exercises(self) -> int:
        """Compile the exercise templates of this session's decks before their first showing.

        The reviewer runs this off the UI thread once the first card is on screen, so
        that no answer waits for a template to be compiled.  Returns how many there are.
        """
        with self._database.transaction() as store:
            notes = store.notes.exercises_in_decks(self._deck_ids)
        if not notes:
            return 0
        from quizapp.exercises.instances import compile_template

        for note in notes:
            if isinstance(note.content, ExerciseContent):
                compile_template(note.content.template)
        return len(notes)

    def checkpoint(self) -> None:
        """Fold the answers written so far into the database file; run when the learner pauses."""
        self._database.checkpoint()

    def summary(self) -> SessionSummary:
        """What this session did so far, and when the next card is due."""
        now = self._clock.now()
        with self._database.transaction() as store:
            next_due = store.cards.next_due_time(self._deck_ids)
            new_waiting = store.cards.count_due(
                self._deck_ids, (CardState.NEW,), DueQueue.NEW_CARDS_DUE, 1
            )
            queue = self._queue(now)
            counts = queue.counts(store, self._done_today(store, queue))
        return SessionSummary(
            as_of=now,
            answered=len(self._history.answers),
            ratings=dict(self._history.ratings()),
            studied_seconds=sum(a.duration_ms for a in self._history.answers) / 1000,
            next_due=next_due,
            new_left_beyond_limit=bool(new_waiting) and counts.new == 0,
        )

    def _done_today(self, store: Store, queue: DueQueue) -> tuple[int, int]:
        """New cards and reviews answered today: read once a day, then kept up to date."""
        if self._counted_since != queue.day_start:
            self._done = list(store.reviews.answered_since(self._deck_ids, queue.day_start))
            self._counted_since = queue.day_start
        return self._done[0], self._done[1]

    def _count_answer(self, before: CardState, reviewed_at: datetime, step: int) -> None:
        """Keep today's counts as an answer is given (+1) or undone (-1)."""
        if self._counted_since is None or reviewed_at < self._counted_since:
            return
        if before is CardState.NEW:
            self._done[0] += step
        elif before is CardState.REVIEW:
            self._done[1] += step

    def _queue(self, now: datetime) -> DueQueue:
        day_start = study_day_start(now, self._clock.local_zone())
        return DueQueue(self._deck_ids, self._limits, now, day_start)

    def _show_next(self, store: Store, now: datetime) -> None:
        queue = self._queue(now)
        counts = queue.counts(store, self._done_today(store, queue))
        card = queue.next_card(store, counts)
        if card is None:
            self._shown = None
            return
        self._show(store, card, now, counts)

    def _show(
        self,
        store: Store,
        card: Card,
        now: datetime,
        counts: QueueCounts,
        redraw: Mapping[str, Any] | None = None,
    ) -> None:
        # One seed per showing: the button labels and the committed answer draw
        # the same fuzz, so the interval a button shows is the one it schedules.
        seed = self._rng.getrandbits(64)
        outcomes = self._scheduler(store, card.deck_id).preview(card.memory, now, seed)
        note = store.notes.get(card.note_id)
        exercise = None
        if isinstance(note.content, ExerciseContent):
            exercise = self._exercise(store, card, note.content, redraw)
        self._shown = _Shown(
            StudyCard(
                card=card,
                note=note,
                deck_name=self._deck_names.get(card.deck_id, ""),
                shown_at=now,
                outcomes=outcomes,
                counts=counts,
                exercise=exercise,
            ),
            seed,
        )

    def _exercise(
        self,
        store: Store,
        card: Card,
        content: ExerciseContent,
        redraw: Mapping[str, Any] | None,
    ) -> ExerciseInstance:
        """Fresh values for an exercise, never those of its last showing (undo shows them again)."""
        from quizapp.exercises.instances import draw_instance, instance_from_values

        if redraw is not None:
            return instance_from_values(content.template, redraw)
        previous = store.reviews.last_shown(card.id)
        return draw_instance(content.template, self._rng, avoid=previous)

    def _preset(self, store: Store, preset_id: int) -> SchedulingPreset:
        if preset_id not in self._presets:
            self._presets[preset_id] = store.decks.preset(preset_id)
        return self._presets[preset_id]

    def _scheduler(self, store: Store, deck_id: int) -> FsrsScheduler:
        preset_id = self._deck_presets.get(deck_id)
        if preset_id is None:
            preset_id = store.decks.get(deck_id).preset_id
        if preset_id not in self._schedulers:
            self._schedulers[preset_id] = FsrsScheduler(self._preset(store, preset_id))
        return self._schedulers[preset_id]
