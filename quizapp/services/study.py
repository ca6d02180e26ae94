"""Studying a deck: show a card, check the answer, schedule it, undo it.

Each answer is its own transaction: the card's new state (the one previewed on
its grade button), its siblings' burial and the review log are committed
together, and only a committed answer enters the undo history.  A write checks
that the card is still as it was read, so another program studying or
importing into the same collection is noticed instead of overwritten.
"""

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
from quizapp.domain.answers import AnswerMode, Response, Verdict
from quizapp.errors import UserError
from quizapp.scheduling import Scheduler, SchedulingOutcome, format_interval
from quizapp.scheduling.days import study_day_start
from quizapp.services.answers import check_response
from quizapp.services.burying import unbury_for_new_day
from quizapp.services.clock import Clock
from quizapp.services.decks import subtree_ids
from quizapp.services.presentation import Presentation, present
from quizapp.services.queue import DueQueue, QueueCounts
from quizapp.services.schedulers import scheduler_for
from quizapp.storage import Database, Store

if TYPE_CHECKING:  # exercises load the formula evaluator, only once an exercise is shown
    from quizapp.exercises.instances import ExerciseInstance

# As Anki's "maximum answer seconds": a card left on screen while the learner was away
# counts no more than this towards the time studied.
MAX_ANSWER_MS = 60_000
CARD_GONE = (
    "The card you answered was deleted meanwhile (by an import or another QuizApp window); "
    "your answer to it was not saved."
)
CARD_CHANGED = (
    "The card you answered was changed meanwhile by another QuizApp window or program; "
    "your answer to it was not saved, and it is shown again if it is still due."
)


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
class _Shown:
    study_card: StudyCard
    seed: int
    verdict: Verdict | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    review_id: int
    card_id: int
    rating: Rating
    duration_ms: int
    buried: tuple[int, ...]


@dataclass
class _History:
    answers: list[_Answer] = field(default_factory=list)

    def ratings(self) -> Counter[Rating]:
        return Counter(answer.rating for answer in self.answers)


class StudySession:
    """One sitting over a deck and its subdecks, or over every deck."""

    def __init__(self, database: Database, clock: Clock, rng: Random, deck: Deck | None) -> None:
        self._database = database
        self._clock = clock
        self._rng = rng
        self.deck = deck
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
            self._shown = self._next(store, self._clock.now())

    @property
    def current(self) -> StudyCard | None:
        """The card on screen, or None when nothing is left to study now."""
        return None if self._shown is None else self._shown.study_card

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""
        return bool(self._history.answers)

    @property
    def verdict(self) -> Verdict | None:
        """The verdict on the answer checked for the card on screen, if any."""
        return None if self._shown is None else self._shown.verdict

    def check(self, response: Response) -> Verdict:
        """Check what the learner typed, picked, ticked or matched on the card on screen.

        Choices are numbered as shown.  The verdict proposes a grade; the learner
        still chooses one with :meth:`answer`.
        """
        if self._shown is None:
            raise UserError("There is no card to check.")
        study_card = self._shown.study_card
        verdict = check_response(
            study_card.note,
            response,
            study_card.presentation.choice_order,
            study_card.exercise,
        )
        self._shown.verdict = verdict
        return verdict

    def answer(
        self, rating: Rating, duration_ms: int, given_answer: str | None = None
    ) -> StudyCard | None:
        """Record ``rating`` for the current card and return the next one.

        The card takes the state previewed for ``rating`` when it was shown.  What
        the learner answered is the checked verdict's, unless ``given_answer`` says.
        """
        if self._shown is None:
            raise UserError("There is no card to answer.")
        shown = self._shown
        card = shown.study_card.card
        now = self._clock.now()
        if given_answer is None and shown.verdict is not None:
            given_answer = shown.verdict.given
        with self._database.transaction("answer again (this answer was not saved)") as store:
            after = shown.study_card.outcomes[rating].memory
            if not store.cards.set_memory(card, after):
                gone = store.cards.find(card.id) is None
                following = self._next(store, now, notice=CARD_GONE if gone else CARD_CHANGED)
                committed = None
            else:
                buried = tuple(store.cards.bury_siblings(card))
                log = self._review_log(shown, rating, now, duration_ms, given_answer)
                committed = _Answer(
                    store.reviews.append(log), card.id, rating, log.duration_ms, buried
                )
                self._count_answer(card.memory.state, now, +1)
                following = self._next(store, now)
        # Only now that the transaction has committed is the answer part of the session.
        if committed is not None:
            self._history.answers.append(committed)
        self._shown = following
        return self.current

    def undo(self) -> StudyCard | None:
        """Take back the last answer: the card's state is restored, its review removed.

        Answers whose card was deleted meanwhile are skipped; an answer to a card
        studied again elsewhere since is not undone (that would lose the later one).
        """
        if not self._history.answers:
            raise UserError("There is nothing to undo.")
        now = self._clock.now()
        with self._database.transaction() as store:
            while self._history.answers:
                last = self._history.answers[-1]
                log = store.reviews.find(last.review_id)
                card = store.cards.find(last.card_id) if log is not None else None
                if log is None or card is None:
                    self._history.answers.pop()
                    continue
                if card.memory.due != log.after.due or card.memory.state is not log.after.state:
                    raise UserError(
                        "That card was studied again in another QuizApp window since; "
                        "its answer cannot be undone here."
                    )
                if not store.cards.set_memory(card, log.before):
                    raise UserError("That card is being changed by another program; try again.")
                store.cards.unbury(last.buried)
                store.reviews.delete(last.review_id, now)
                restored = store.cards.get(card.id)
                self._counted_since = None  # today's counts are read again from the log
                counts = self._counts(store, now)
                shown = self._show(store, restored, now, counts, redraw=log)
                break
            else:
                raise UserError(
                    "The cards of this session's answers were deleted meanwhile; "
                    "there is nothing left to undo."
                )
        self._history.answers.pop()
        self._shown = shown
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
            counts = self._counts(store, now)
        return SessionSummary(
            as_of=now,
            answered=len(self._history.answers),
            ratings=dict(self._history.ratings()),
            studied_seconds=sum(a.duration_ms for a in self._history.answers) / 1000,
            next_due=next_due,
            new_left_beyond_limit=bool(new_waiting) and counts.new == 0,
        )

    # -- inside a transaction ----------------------------------------------------

    def _review_log(
        self, shown: _Shown, rating: Rating, now: datetime, duration_ms: int, given: str | None
    ) -> ReviewLog:
        study_card = shown.study_card
        card = study_card.card
        exercise = study_card.exercise
        order = study_card.presentation.choice_order
        return ReviewLog(
            card_id=card.id,
            reviewed_at=now,
            rating=rating,
            duration_ms=min(max(0, duration_ms), MAX_ANSWER_MS),
            kind=ReviewKind.of(card.memory.state),
            before=card.memory,
            after=study_card.outcomes[rating].memory,
            answer=given,
            shown=None if exercise is None else exercise.stored_values(),
            choice_order=order if order and exercise is None else None,
        )

    def _counts(self, store: Store, now: datetime) -> QueueCounts:
        queue = self._queue(store, now)
        return queue.counts(store, self._done_today(store, queue))

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

    def _queue(self, store: Store, now: datetime) -> DueQueue:
        day_start = study_day_start(now, self._clock.local_zone())
        if self._counted_since != day_start:
            unbury_for_new_day(store, day_start)
        return DueQueue(self._deck_ids, self._limits, now, day_start)

    def _next(self, store: Store, now: datetime, notice: str = "") -> _Shown | None:
        queue = self._queue(store, now)
        counts = queue.counts(store, self._done_today(store, queue))
        card = queue.next_card(store, counts)
        if card is None:
            return None
        return self._show(store, card, now, counts, notice=notice)

    def _show(
        self,
        store: Store,
        card: Card,
        now: datetime,
        counts: QueueCounts,
        redraw: ReviewLog | None = None,
        notice: str = "",
    ) -> _Shown:
        # One seed per showing: the button labels and the committed answer draw
        # the same fuzz, so the interval a button shows is the one it schedules.
        seed = self._rng.getrandbits(64)
        outcomes = self._scheduler(store, card.deck_id).preview(card.memory, now, seed)
        note = store.notes.get(card.note_id)
        exercise = None
        if isinstance(note.content, ExerciseContent):
            shown_values = redraw.shown if redraw is not None else None
            exercise = self._exercise(store, card, note.content, shown_values)
        order = redraw.choice_order if redraw is not None else None
        study_card = StudyCard(
            card=card,
            note=note,
            deck_name=self._deck_names.get(card.deck_id, ""),
            shown_at=now,
            outcomes=outcomes,
            counts=counts,
            presentation=present(note, seed ^ 0x5DEECE66D, order, exercise),
            exercise=exercise,
            notice=notice,
        )
        return _Shown(study_card, seed)

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

    def _scheduler(self, store: Store, deck_id: int) -> Scheduler:
        preset_id = self._deck_presets.get(deck_id)
        if preset_id is None:
            preset_id = store.decks.get(deck_id).preset_id
        return scheduler_for(self._preset(store, preset_id))
