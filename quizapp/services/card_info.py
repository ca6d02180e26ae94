"""A card's whole story, as the browser's Card Info shows it (and Anki's does).

Every answer with its date, grade, time taken, the interval it gave, the
stability and difficulty after it and the retrievability at that moment (FSRS-6's
forgetting curve, :mod:`quizapp.scheduling.memory`, with the decay of the
parameters the card's preset schedules with); the manual changes between them;
and where the card stands now.  Retrievability counts whole days since the last
review, as FSRS does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.domain import Card, CardState, NoteKind, Rating, ReviewKind, ReviewLog
from quizapp.domain.manual import ManualAction, ManualEntry
from quizapp.errors import UserError
from quizapp.scheduling import FsrsScheduler
from quizapp.scheduling.memory import DEFAULT_DECAY, memory_retrievability
from quizapp.services.schedulers import scheduler_for
from quizapp.services.search_text import card_question, face_name
from quizapp.storage import Store

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One line of a card's history: an answer, or a manual change (``rating`` None).

    ``interval_days`` is from this moment to the due it gave; ``stability`` and
    ``difficulty`` are the state after it; ``retrievability`` the chance of recall
    the card had at that moment (None while it had no stability yet).
    """

    at: datetime
    kind: str  # "Learning", "Review", "Relearning", "Manual"
    rating: Rating | None
    duration_ms: int
    interval_days: float
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    action: ManualAction | None = None
    shown: Mapping[str, Any] | None = None  # an exercise's values this showing
    answer: str | None = None  # what the learner answered
    imported: bool = False


@dataclass(frozen=True, slots=True)
class BankSource:
    """The bank file a note came from."""

    name: str
    format: str
    path: str | None


@dataclass(frozen=True, slots=True)
class CardInfo:
    """Where a card stands and how it got there."""

    card: Card
    note_kind: NoteKind
    question: str  # what the card asks, on one line
    face_name: str  # forward, reverse, c1…
    deck_name: str
    tags: tuple[str, ...]
    added: datetime
    first_review: datetime | None
    latest_review: datetime | None
    reviews: int  # answers since the counts were last reset
    lapses: int  # Agains on the card in review, likewise
    retrievability: float | None  # now
    new_position: int | None  # 1 for the next new card; None when not new
    source: BankSource | None  # None: made in the app
    history: tuple[HistoryLine, ...]

    @property
    def state(self) -> CardState:
        """New, learning, review or relearning."""
        return self.card.memory.state

    @property
    def due(self) -> datetime:
        """When it is due (for a new card, its place in the new queue as a time)."""
        return self.card.memory.due


def card_info(store: Store, card_id: int, now: datetime) -> CardInfo:
    """Everything about ``card_id``, read in the open transaction."""
    card = store.cards.find(card_id)
    record = None if card is None else store.notes.record(card.note_id)
    if card is None or record is None:
        raise UserError("That card was deleted meanwhile (in another QuizApp window?).")
    deck = store.decks.get(card.deck_id)
    decay = _decay(store, deck.preset_id)
    answers = store.reviews.history(card_id)
    history = _lines(answers, store.reviews.manual_entries(card_id), decay)
    reviews, lapses = store.reviews.counts(card_id)
    origin = store.notes.origin(card.note_id)
    return CardInfo(
        card=card,
        note_kind=record.note.kind,
        question=card_question(record.note, card.face),
        face_name=face_name(record.note.kind, card.face),
        deck_name=deck.name,
        tags=record.note.tags,
        added=record.created_at,
        first_review=answers[0].reviewed_at if answers else None,
        latest_review=answers[-1].reviewed_at if answers else None,
        reviews=reviews,
        lapses=lapses,
        retrievability=memory_retrievability(card.memory, now, decay),
        new_position=_new_position(store, card),
        source=None if origin is None else BankSource(origin.name, origin.format, origin.path),
        history=history,
    )


def _decay(store: Store, preset_id: int) -> float:
    scheduler = scheduler_for(store.decks.preset(preset_id))
    return scheduler.decay if isinstance(scheduler, FsrsScheduler) else DEFAULT_DECAY


def _new_position(store: Store, card: Card) -> int | None:
    if card.memory.state is not CardState.NEW:
        return None
    queue = [card_id for card_id, _ in store.cards.new_queue()]
    return queue.index(card.id) + 1 if card.id in queue else None


_KINDS = {
    ReviewKind.LEARNING: "Learning",
    ReviewKind.REVIEW: "Review",
    ReviewKind.RELEARNING: "Relearning",
}


def _lines(
    answers: list[ReviewLog], manual: list[ManualEntry], decay: float
) -> tuple[HistoryLine, ...]:
    lines = [_answer_line(log, decay) for log in answers]
    lines += [_manual_line(entry, decay) for entry in manual]
    return tuple(sorted(lines, key=lambda line: line.at))


def _answer_line(log: ReviewLog, decay: float) -> HistoryLine:
    return HistoryLine(
        at=log.reviewed_at,
        kind=_KINDS[log.kind],
        rating=log.rating,
        duration_ms=log.duration_ms,
        interval_days=_days(log.after.due, log.reviewed_at),
        stability=log.after.stability,
        difficulty=log.after.difficulty,
        retrievability=memory_retrievability(log.before, log.reviewed_at, decay),
        shown=log.shown,
        answer=log.answer,
        imported=log.imported,
    )


def _manual_line(entry: ManualEntry, decay: float) -> HistoryLine:
    return HistoryLine(
        at=entry.changed_at,
        kind="Manual",
        rating=None,
        duration_ms=0,
        interval_days=_days(entry.after.due, entry.changed_at)
        if entry.after.state is not CardState.NEW
        else 0.0,
        stability=entry.after.stability,
        difficulty=entry.after.difficulty,
        retrievability=memory_retrievability(entry.before, entry.changed_at, decay),
        action=entry.action,
    )


def _days(due: datetime, since: datetime) -> float:
    return max(0.0, (due - since).total_seconds() / SECONDS_PER_DAY)
