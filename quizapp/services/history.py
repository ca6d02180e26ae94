"""Review history from other apps: appended to the log, and the schedule rebuilt from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from random import Random

from quizapp.domain import BatchReview, Card, MemoryState, Rating, ReviewKind, ReviewLog
from quizapp.errors import EnvironmentProblem
from quizapp.scheduling import Scheduler
from quizapp.services.schedulers import scheduler_for
from quizapp.storage import Store


def import_reviews(store: Store, reviews: Sequence[BatchReview], note_ids: dict[str, int]) -> int:
    """Append the answers not already logged, then replay each card's whole history.

    FSRS replays every answer of a card in time order, so its memory state is the
    one it would have had if it had always been studied here.  Returns how many
    answers were added.
    """
    faces = store.cards.faces_by_note([note_ids[r.guid] for r in reviews if r.guid in note_ids])
    by_card: dict[int, list[BatchReview]] = defaultdict(list)
    for review in reviews:
        card_id = faces.get(note_ids.get(review.guid, -1), {}).get(review.face)
        if card_id is not None and Rating.AGAIN <= review.rating <= Rating.EASY:
            by_card[card_id].append(review)
    logged = store.reviews.times_by_card(list(by_card))
    by_deck: dict[int, Scheduler] = {}
    added: list[ReviewLog] = []
    for card_id, card_reviews in by_card.items():
        fresh = [r for r in card_reviews if r.reviewed_at not in logged.get(card_id, set())]
        if not fresh:
            continue
        card = store.cards.get(card_id)
        scheduler = _scheduler(store, card, by_deck)
        restarts = [
            entry.changed_at
            for entry in store.reviews.manual_entries(card_id)
            if entry.action.starts_over
        ]
        logs, final = _replay(scheduler, card, store.reviews.history(card_id), fresh, restarts)
        added.extend(logs)
        if not store.cards.set_memory(card, final):
            raise EnvironmentProblem(
                "Another program changed the collection during the import; nothing was "
                "imported. Import the file again."
            )
    store.reviews.insert_many(added)
    return len(added)


def _scheduler(store: Store, card: Card, by_deck: dict[int, Scheduler]) -> Scheduler:
    if card.deck_id not in by_deck:
        preset_id = store.decks.get(card.deck_id).preset_id
        by_deck[card.deck_id] = scheduler_for(store.decks.preset(preset_id))
    return by_deck[card.deck_id]


def _replay(
    scheduler: Scheduler,
    card: Card,
    logged: Sequence[ReviewLog],
    fresh: Sequence[BatchReview],
    restarts: Sequence[datetime] = (),
) -> tuple[list[ReviewLog], MemoryState]:
    """Logs for the ``fresh`` answers and the card's state after all of them, in time order.

    At each of ``restarts`` (the learner made the card new again: "forget") the
    memory starts over, as it did when the learner did it.
    """
    answers = sorted(
        [(log.reviewed_at, log.rating, None) for log in logged]
        + [(review.reviewed_at, Rating(review.rating), review) for review in fresh],
        key=lambda answer: answer[0],
    )
    memory = MemoryState.new(answers[0][0] if answers else card.memory.due)
    pending = sorted(restarts)
    rng = Random(card.id)  # the fuzz of a replay is the same every time
    logs = []
    for reviewed_at, rating, review in answers:
        while pending and pending[0] <= reviewed_at:
            memory = MemoryState.new(pending.pop(0))
        after = scheduler.review(memory, rating, reviewed_at, rng)
        if review is not None:
            logs.append(
                ReviewLog(
                    card_id=card.id,
                    reviewed_at=reviewed_at,
                    rating=rating,
                    duration_ms=max(0, review.duration_ms),
                    kind=ReviewKind.of(memory.state),
                    before=memory,
                    after=after,
                    imported=True,
                )
            )
        memory = after
    if pending:  # forgotten after its last answer: new, as the learner left it
        memory = MemoryState.new(pending[-1])
    return logs, memory
