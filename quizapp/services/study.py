"""Studying a deck: show a card, check the answer, schedule it, undo it.

Each answer is its own transaction: the card's new state (the one previewed on
its grade button), its siblings' burial, the review log and, when the answer
makes the card a leech, its tag and suspension are committed together, and only
a committed answer enters the undo history (the collection's, shared with the
browser: :mod:`quizapp.services.undo`).  A write checks that the card is still
as it was read, so another program studying or importing into the same
collection is noticed instead of overwritten.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from random import Random
from typing import TYPE_CHECKING, Any, cast

from quizapp.domain import (
    Card,
    CardState,
    Deck,
    ExerciseContent,
    Rating,
    ReviewLog,
    SchedulingPreset,
)
from quizapp.domain.answers import Response, Verdict
from quizapp.errors import UserError
from quizapp.scheduling import Scheduler
from quizapp.scheduling.days import study_day_start
from quizapp.services.answers import check_response
from quizapp.services.burying import unbury_for_new_day
from quizapp.services.clock import Clock
from quizapp.services.decks import subtree_ids
from quizapp.services.leeches import LEECH_THRESHOLD, set_aside_if_leech, will_be_leech
from quizapp.services.presentation import present
from quizapp.services.queue import DueQueue, QueueCounts
from quizapp.services.schedulers import scheduler_for
from quizapp.services.study_cards import (
    Outcomes,
    SessionSummary,
    ShownCard,
    StudyCard,
    review_log,
)
from quizapp.services.study_undo import AnswerEntry
from quizapp.services.undo import UndoHistory, Undone
from quizapp.storage import Database, HotStore

if TYPE_CHECKING:  # exercises load the formula evaluator, only once an exercise is shown
    from quizapp.exercises.instances import ExerciseInstance
    from quizapp.storage import Store

__all__ = ["CARD_CHANGED", "CARD_GONE", "SessionSummary", "StudyCard", "StudySession"]

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


ANSWERS_GONE = (
    "The cards of this session's answers were deleted meanwhile; there is nothing left to undo."
)


class StudySession:
    """One sitting over a deck and its subdecks, or over every deck.

    Its answers are steps of ``history``, the open collection's undo history
    (a history of its own when none is given); a lapse that makes a card a leech
    (:mod:`quizapp.services.leeches`, at ``leech_threshold`` lapses) sets it aside.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        rng: Random,
        deck: Deck | None,
        history: UndoHistory | None = None,
        leech_threshold: int = LEECH_THRESHOLD,
    ) -> None:
        self._database = database
        self._clock = clock
        self._rng = rng
        self.deck = deck
        self.history = history if history is not None else UndoHistory(database, clock)
        self.leech_threshold = leech_threshold
        self._presets: dict[int, SchedulingPreset] = {}
        self._answers: list[AnswerEntry] = []
        self._notice = ""
        self._restored: AnswerEntry | None = None  # the answer an undo just took back
        self._shown: ShownCard | None = None
        self._counted_since: datetime | None = None
        self._done = [0, 0]
        with database.quick() as store:
            decks = store.decks.all()
            if not decks:
                raise UserError("There are no decks to study yet; import a bank first.")
            self._deck_names = {d.id: d.name for d in decks}
            self._deck_presets = {d.id: d.preset_id for d in decks}
            studied = subtree_ids(deck, decks) if deck else tuple(self._deck_names)
            # Only decks holding cards: each one costs the queue queries an index seek.
            holding = store.cards.decks_holding_cards()
            self._deck_ids = tuple(d for d in studied if d in holding) or studied
            self._limits = self._preset(store, deck.preset_id if deck else decks[0].preset_id)
            self._shown = self._next(store, self._clock.now())

    @property
    def current(self) -> StudyCard | None:
        """The card on screen, or None when nothing is left to study now."""
        return None if self._shown is None else self._shown.study_card

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""
        return any(self._owns(entry) for entry in self.history.entries)

    @property
    def can_undo_latest(self) -> bool:
        """Whether the collection's history has a step to undo (an answer or an action)."""
        return self.history.can_undo

    @property
    def undo_label(self) -> str:
        """What Ctrl+Z takes back: "Undo answer", "Undo suspend 3 cards"."""
        return self.history.label

    @property
    def notice(self) -> str:
        """The sentence the last answer left for the learner (a leech set aside), or empty.

        The next card carries it too; this keeps it when no card follows.
        """
        return self._notice

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
        retry = "answer again (this answer was not saved)"
        # An answer runs on the driver alone, unless it makes a leech: setting a leech
        # aside (tags, suspension, its undo) goes through the full repositories.
        leech = self._makes_leech(card, rating)
        opened = self._database.transaction(retry) if leech else self._database.quick(retry)
        with opened as store:
            after = shown.study_card.outcomes[rating].memory
            if not store.cards.set_memory(card, after):
                gone = store.cards.find(card.id) is None
                notice = CARD_GONE if gone else CARD_CHANGED
                committed = None
            else:
                committed, notice = self._commit(
                    store, shown, rating, now, duration_ms, given_answer, leech
                )
                self._count_answer(card.memory.state, now, +1)
            following = self._next(store, now, notice=notice)
        self._notice = notice
        # Only now that the transaction has committed is the answer part of the session.
        if committed is not None:
            self._answers.append(committed)
            self.history.push(committed)
        self._shown = following
        return self.current

    def undo(self) -> StudyCard | None:
        """Take back this session's last answer: the card's state is restored, its review removed.

        Answers whose card was deleted meanwhile are skipped; an answer to a card
        studied again elsewhere since is not undone (that would lose the later one).
        """
        self.history.undo(self._owns, exhausted=ANSWERS_GONE)
        return self.current

    def undo_latest(self) -> StudyCard | None:
        """Undo the latest step of the collection's history, an answer or a browser action.

        An answer of this session shows its card again; after anything else the card
        on screen is read again (the step may have changed it or its note).
        """
        self._restored = None
        undone = self.history.undo()
        if self._restored is None:  # not an answer of this session: read the screen again
            self.refresh(undone)
        return self.current

    def refresh(self, undone: Undone | None = None) -> StudyCard | None:
        """Read the card on screen and the counts again, after a change made elsewhere.

        The card stays on screen as it was shown unless the change touched it or
        its note (``undone`` says which; None: anything may have), or it can no
        longer be studied now.
        """
        now = self._clock.now()
        with self._database.quick() as store:
            self._counted_since = None
            self._shown = self._reread(store, now, undone)
        return self.current

    def reread(self, card_id: int) -> StudyCard | None:
        """The screen after the learner acted on ``card_id`` from the reviewer (flag,
        suspend, bury) or undid that.

        The card on screen stays as shown (its values, choices and verdict kept) with
        what was written, unless it can no longer be studied now: then the next card
        comes.  Another card that can be studied again (an undone suspension) is
        shown again.
        """
        now = self._clock.now()
        with self._database.quick() as store:
            card = store.cards.find(card_id)
            studyable = (
                card is not None
                and not card.suspended
                and not card.buried
                and card.deck_id in self._deck_ids
            )
            shown = self._shown
            counts = self._counts(store, now)
            if shown is not None and shown.study_card.card.id == card_id:
                if card is None or not studyable:
                    self._shown = self._next(store, now)
                else:
                    study_card = replace(shown.study_card, card=card, counts=counts)
                    self._shown = ShownCard(study_card, shown.seed, shown.verdict)
            elif card is not None and studyable:
                self._shown = self._show(store, card, now, counts)
        return self.current

    # -- the undo history's calls (an answer of this session undone or gone) -------

    def prepare_undone(
        self, entry: AnswerEntry, store: Store, card: Card, log: ReviewLog, now: datetime
    ) -> ShownCard:
        """Inside the undo's transaction: the card shown again as it was answered."""
        self._counted_since = None  # today's counts are read again from the log
        return self._show(store, card, now, self._counts(store, now), redraw=log)

    def apply_undone(self, entry: AnswerEntry, prepared: ShownCard) -> None:
        """Once the undo committed: the answer leaves the session, its card is on screen."""
        self._forget_answer(entry)
        self._shown = prepared
        self._restored = entry

    def answer_gone(self, entry: AnswerEntry) -> None:
        """The answer's card was deleted: it leaves the session's answers."""
        self._forget_answer(entry)

    def prepare_exercises(self) -> int:
        """Compile the exercise templates of this session's decks before their first showing.

        The reviewer runs this off the UI thread once the first card is on screen, so
        that no answer waits for a template to be compiled.  Returns how many there are.
        """
        with self._database.quick() as store:
            notes = store.notes.exercises_in_decks(self._deck_ids)
        # What undoing or a browser action will need, loaded while the learner reads.
        self._database.warm_up()
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
        with self._database.quick() as store:
            next_due = store.cards.next_due_time(self._deck_ids)
            new_waiting = store.cards.count_due(
                self._deck_ids, (CardState.NEW,), DueQueue.NEW_CARDS_DUE, 1
            )
            counts = self._counts(store, now)
        return SessionSummary(
            as_of=now,
            answered=len(self._answers),
            ratings=dict(Counter(answer.rating for answer in self._answers)),
            studied_seconds=sum(a.duration_ms for a in self._answers) / 1000,
            next_due=next_due,
            new_left_beyond_limit=bool(new_waiting) and counts.new == 0,
        )

    # -- inside a transaction ----------------------------------------------------

    def _commit(
        self,
        store: HotStore,
        shown: ShownCard,
        rating: Rating,
        now: datetime,
        duration_ms: int,
        given: str | None,
        makes_leech: bool,
    ) -> tuple[AnswerEntry, str]:
        """Log an answer whose state was written, set a leech aside; its step and notice."""
        card = shown.study_card.card
        buried = tuple(store.cards.bury_siblings(card))
        log = review_log(
            shown.study_card, rating, now, min(max(0, duration_ms), MAX_ANSWER_MS), given
        )
        review_id = store.reviews.append(log)
        leech = None
        if makes_leech:  # answered in a full transaction (see answer)
            leech = set_aside_if_leech(
                cast("Store", store), card, rating, now, self.leech_threshold
            )
        entry = AnswerEntry(
            review_id,
            card.id,
            rating,
            log.duration_ms,
            buried,
            leech=None if leech is None else leech.change,
            owner=weakref.ref(self),
        )
        return entry, "" if leech is None else leech.notice

    def _makes_leech(self, card: Card, rating: Rating) -> bool:
        """Whether this answer makes ``card`` a leech (read before the answer's transaction)."""
        if rating is not Rating.AGAIN or card.memory.state is not CardState.REVIEW:
            return False
        with self._database.quick() as store:
            return will_be_leech(store, card, rating, self.leech_threshold)

    def _reread(self, store: HotStore, now: datetime, undone: Undone | None) -> ShownCard | None:
        """The card on screen as it is now, or the next one if it cannot stay."""
        counts = self._counts(store, now)
        shown = self._shown
        if shown is None:
            return self._next(store, now)
        card = shown.study_card.card
        touched = undone is None or card.id in undone.card_ids or card.note_id in undone.note_ids
        if not touched:
            return ShownCard(replace(shown.study_card, counts=counts), shown.seed, shown.verdict)
        fresh = store.cards.find(card.id)
        if fresh is None or fresh.suspended or fresh.buried or fresh.deck_id not in self._deck_ids:
            return self._next(store, now)
        return self._show(store, fresh, now, counts)

    def _counts(self, store: HotStore, now: datetime) -> QueueCounts:
        queue = self._queue(store, now)
        return queue.counts(store, self._done_today(store, queue))

    def _done_today(self, store: HotStore, queue: DueQueue) -> tuple[int, int]:
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

    def _queue(self, store: HotStore, now: datetime) -> DueQueue:
        day_start = study_day_start(now, self._clock.local_zone())
        if self._counted_since != day_start:
            unbury_for_new_day(store, day_start)
        return DueQueue(self._deck_ids, self._limits, now, day_start)

    def _next(self, store: HotStore, now: datetime, notice: str = "") -> ShownCard | None:
        queue = self._queue(store, now)
        counts = queue.counts(store, self._done_today(store, queue))
        card = queue.next_card(store, counts)
        if card is None:
            return None
        return self._show(store, card, now, counts, notice=notice)

    def _show(
        self,
        store: HotStore,
        card: Card,
        now: datetime,
        counts: QueueCounts,
        redraw: ReviewLog | None = None,
        notice: str = "",
    ) -> ShownCard:
        # One seed per showing: the button labels and the committed answer draw
        # the same fuzz, so the interval a button shows is the one it schedules.
        seed = self._rng.getrandbits(64)
        scheduler = self._scheduler(store, card.deck_id)
        outcomes = Outcomes(partial(scheduler.preview, card.memory, now, seed))
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
        return ShownCard(study_card, seed)

    def _exercise(
        self,
        store: HotStore,
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

    def _owns(self, entry: object) -> bool:
        return isinstance(entry, AnswerEntry) and entry.given_in(self)

    def _forget_answer(self, entry: AnswerEntry) -> None:
        if entry in self._answers:
            self._answers.remove(entry)

    def _preset(self, store: HotStore, preset_id: int) -> SchedulingPreset:
        if preset_id not in self._presets:
            self._presets[preset_id] = store.decks.preset(preset_id)
        return self._presets[preset_id]

    def _scheduler(self, store: HotStore, deck_id: int) -> Scheduler:
        preset_id = self._deck_presets.get(deck_id)
        if preset_id is None:
            preset_id = store.decks.get(deck_id).preset_id
        return scheduler_for(self._preset(store, preset_id))
