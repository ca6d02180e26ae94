"""Changing cards' schedules by hand: forget, reposition new cards, set a due date.

A new card's ``due`` is its place in the new queue (new cards are introduced in
``due`` order, then id order): repositioning rewrites only the dues it must.
Forgetting and setting a due date are logged beside the answers, as Anki's manual
entries are (:mod:`quizapp.domain.manual`): the log is never rewritten, so a card
forgotten keeps its history, and the entry tells a replay of that history where
the card started over, and the review and lapse counts where they were reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from random import Random

from quizapp.domain import Card, CardState, MemoryState, Rating, SchedulingPreset
from quizapp.domain.manual import ManualAction, ManualEntry
from quizapp.errors import UserError
from quizapp.scheduling.days import study_day_start
from quizapp.scheduling.memory import stability_for_interval
from quizapp.services.clock import Clock
from quizapp.services.due_dates import DueDateSpec, parse_due_date
from quizapp.services.schedulers import scheduler_for
from quizapp.services.undo import Action, UndoHistory, cards_phrase, undoable
from quizapp.storage import Database, Store

_MS = timedelta(milliseconds=1)


class Rescheduling:
    """Forgetting, repositioning and due dates for cards the learner picked."""

    def __init__(self, database: Database, clock: Clock, history: UndoHistory, rng: Random) -> None:
        self._database = database
        self._clock = clock
        self._history = history
        self._rng = rng

    def forget(
        self, card_ids: Sequence[int], *, restore_position: bool = True, reset_counts: bool = False
    ) -> int:
        """Make these cards new again, their history kept; how many were not new.

        They go back where they first stood in the new queue when ``restore_position``
        and they were ever new here, else to its end.  ``reset_counts`` counts their
        reviews and lapses from zero again (a leech starts afresh).
        """
        action_kind = ManualAction.FORGET_RESET_COUNTS if reset_counts else ManualAction.FORGET
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            cards = [
                card for card in store.cards.many(card_ids) if _forgettable(card, reset_counts)
            ]
            end = _end_of_new_queue(store, action.now)
            memories = []
            for card in cards:
                if card.memory.state is CardState.NEW:  # only its counts are reset
                    memories.append((card, card.memory))
                    continue
                first = store.reviews.first_new_due(card.id) if restore_position else None
                if first is None:
                    first, end = end, end + _MS
                memories.append((card, MemoryState.new(first)))
            _write_by_hand(action, memories, action_kind)
            if cards:
                action.description = cards_phrase("forget", len(cards))
        return len(cards)

    def reposition(
        self,
        card_ids: Sequence[int],
        start: int = 0,
        step: int = 1,
        *,
        randomize: bool = False,
    ) -> int:
        """Place these new cards in the new queue: the first after ``start`` other new
        cards, then every ``step`` places.

        They keep their order unless ``randomize``; the other new cards keep theirs
        around them.  Cards that are not new are left alone.  Returns how many were
        placed (0 when they already stood there).
        """
        if start < 0 or step < 1:
            raise UserError("The start is 0 or more, and the step 1 or more.")
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            queue = store.cards.new_queue()
            wanted = set(card_ids)
            chosen = [card_id for card_id, _ in queue if card_id in wanted]
            if not chosen:
                raise UserError("Only new cards can be repositioned, and none of these is new.")
            if randomize:
                self._rng.shuffle(chosen)
            dues = new_queue_dues(queue, chosen, start, step)
            cards = {card.id: card for card in store.cards.many(list(dues))}
            moved = [(cards[card_id], MemoryState.new(due)) for card_id, due in dues.items()]
            _write_by_hand(action, moved, None)
            if moved:
                action.description = cards_phrase("reposition", len(chosen))
        return len(chosen) if moved else 0

    def set_due_date(self, card_ids: Sequence[int], days: str) -> int:
        """Make these cards due on a day from today, as Anki's Set Due Date: ``0`` today,
        ``3`` in three days, ``3-7`` a random day of that range, each card its own;
        ``!`` after it also sets the interval.  How many cards it changed.

        A new or learning card becomes a review card.  Without ``!`` a card keeps its
        memory (stability, last review); with ``!`` its schedule starts over today,
        its stability the one at which FSRS would give that interval.
        """
        spec = parse_due_date(days)
        now = self._clock.now()
        today = study_day_start(now, self._clock.local_zone())
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            cards = store.cards.many(card_ids)
            presets: dict[int, SchedulingPreset] = {}
            memories = []
            for card in cards:
                chosen = self._rng.randint(spec.first, spec.last)
                due = max(now, today + timedelta(days=chosen)) if chosen else now
                preset = _preset(store, card.deck_id, presets)
                memories.append((card, _due_memory(card, due, chosen, spec, preset, now)))
            _write_by_hand(action, memories, ManualAction.SET_DUE_DATE)
            if cards:
                action.description = cards_phrase("set the due date of", len(cards))
        return len(cards)


def _forgettable(card: Card, reset_counts: bool) -> bool:
    """A card already new is forgotten only to reset its counts."""
    return card.memory.state is not CardState.NEW or reset_counts


def _end_of_new_queue(store: Store, now: datetime) -> datetime:
    """A due after every new card's (no earlier than now)."""
    queue = store.cards.new_queue()
    return max(now, queue[-1][1] + _MS) if queue else now


def _write_by_hand(
    action: Action, memories: Sequence[tuple[Card, MemoryState]], logged: ManualAction | None
) -> None:
    """Write these states, watched first; log a manual entry for each when ``logged``."""
    store = action.store
    action.watch.watch("cards", [card.id for card, _ in memories])
    store.cards.set_memories(
        [(card.id, memory) for card, memory in memories], store.stamp(action.now)
    )
    if logged is None:
        return
    for card, memory in memories:
        store.reviews.append_manual(
            ManualEntry(card.id, action.now, logged, before=card.memory, after=memory)
        )


def new_queue_dues(
    queue: Sequence[tuple[int, datetime]], chosen: Sequence[int], start: int, step: int
) -> dict[int, datetime]:
    """The new dues of the cards whose place in the new queue must change.

    ``queue`` is every new card's (id, due) in queue order.  The chosen cards go to
    places ``start``, ``start + step``, … among the others, which keep their dues
    where they can: each run of chosen cards gets dues a millisecond apart between
    the dues of the cards either side of it, and only where there is no room (cards
    imported together share a due) do neighbours move along with it.
    """
    order = _order([card_id for card_id, _ in queue], chosen, start, step)
    dues = dict(queue)
    picked = set(chosen)
    index = 0
    while index < len(order):
        if order[index] not in picked:
            index += 1
            continue
        end = index
        while end < len(order) and order[end] in picked:
            end += 1
        index = _fit(order, dues, index - 1, end)
    original = dict(queue)
    return {card_id: due for card_id, due in dues.items() if due != original[card_id]}


def _order(ids: Sequence[int], chosen: Sequence[int], start: int, step: int) -> list[int]:
    """The queue with the chosen cards at their places (those past the end, at the end)."""
    picked = set(chosen)
    order = [card_id for card_id in ids if card_id not in picked]
    for number, card_id in enumerate(chosen):
        order.insert(min(start + number * step, len(order)), card_id)
    return order


def _fit(order: list[int], dues: dict[int, datetime], low: int, high: int) -> int:
    """Give ``order[low + 1:high]`` dues between those of ``order[low]`` and ``order[high]``
    (either may be past an end), widening the stretch until they fit; where it ends.

    Without room (cards imported together share a due), the stretch widens over the
    shorter run of equal dues beside it, to the first card with another due.
    """
    if _in_order(order, dues, low, high):
        return high
    while True:
        size = high - low - 1
        below = dues[order[low]] if low >= 0 else None
        above = dues[order[high]] if high < len(order) else None
        if below is None and above is None:
            base = dues[order[0]]
        elif below is None:
            assert above is not None
            base = above - size * _MS
        elif above is None or above - below > size * _MS:
            base = below + _MS
        else:
            low, high = _widened(order, dues, low, high)
            continue
        for offset, card_id in enumerate(order[low + 1 : high]):
            dues[card_id] = base + offset * _MS
        return high


def _widened(order: list[int], dues: dict[int, datetime], low: int, high: int) -> tuple[int, int]:
    """The stretch grown over the shorter run of equal dues at either side of it."""
    before = low
    while before >= 0 and dues[order[before]] == dues[order[low]]:
        before -= 1
    after = high
    while after < len(order) and dues[order[after]] == dues[order[high]]:
        after += 1
    return (before, high) if low - before <= after - high else (low, after)


def _in_order(order: list[int], dues: dict[int, datetime], low: int, high: int) -> bool:
    """Whether ``order[low:high + 1]`` (within the queue) already sorts as it should."""
    keys = [(dues[card_id], card_id) for card_id in order[max(low, 0) : high + 1]]
    return all(first < second for first, second in pairwise(keys))


def _preset(store: Store, deck_id: int, found: dict[int, SchedulingPreset]) -> SchedulingPreset:
    if deck_id not in found:
        found[deck_id] = store.decks.preset(store.decks.get(deck_id).preset_id)
    return found[deck_id]


def _due_memory(
    card: Card, due: datetime, days: int, spec: DueDateSpec, preset: SchedulingPreset, now: datetime
) -> MemoryState:
    """The state of ``card`` made due at ``due`` (``days`` from today)."""
    memory = card.memory
    interval = float(max(days, 1))
    if memory.stability is None or spec.sets_interval:
        stability = stability_for_interval(interval, preset.desired_retention)
        difficulty = memory.difficulty
        if difficulty is None:  # never answered: as hard as a first Good makes it
            first = scheduler_for(preset).review(MemoryState.new(now), Rating.GOOD, now, Random(0))
            difficulty = first.difficulty
        return MemoryState(CardState.REVIEW, due, None, stability, difficulty, now)
    return MemoryState(
        CardState.REVIEW, due, None, memory.stability, memory.difficulty, memory.last_review
    )
