"""Acting on cards and notes the learner picked in the browser: each action one undo step.

Suspend, bury, flag, move to a deck, tag, delete.  Every action is one
transaction; every row it writes gets a new change stamp, and every card a new
version, so that another window's stale write is refused; every action that
changed something becomes one step of the collection's undo history.  Forgetting,
repositioning and due dates are in :mod:`quizapp.services.rescheduling`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from random import Random

from quizapp.domain.tags import tag_problem, with_tags, without_tags
from quizapp.domain.wording import count
from quizapp.errors import UserError
from quizapp.scheduling.days import study_day_start
from quizapp.services.burying import unbury_for_new_day
from quizapp.services.card_info import CardInfo, card_info
from quizapp.services.clock import Clock
from quizapp.services.deck_editing import clean_deck_name
from quizapp.services.deletion import DeletionCounts, delete_rows, deletion_counts, note_deletion
from quizapp.services.rescheduling import Rescheduling
from quizapp.services.undo import UndoHistory, cards_phrase, undoable
from quizapp.storage import Database, Store
from quizapp.storage.card_repository import CardMarks

FLAGS = range(8)  # 0 no flag, 1-7 Anki's colours


class CardActions(Rescheduling):
    """The browser's actions on the cards (and their notes) the learner picked."""

    def __init__(
        self, database: Database, clock: Clock, history: UndoHistory, rng: Random | None = None
    ) -> None:
        super().__init__(database, clock, history, rng or Random())

    def suspend(self, card_ids: Sequence[int]) -> int:
        """Set these cards aside until unsuspended; how many were not suspended yet."""
        return self._set_on_cards(
            card_ids, "suspend", lambda card: not card.suspended, suspended=True
        )

    def unsuspend(self, card_ids: Sequence[int]) -> int:
        """Bring suspended cards back into study; how many were suspended."""
        return self._set_on_cards(
            card_ids, "unsuspend", lambda card: card.suspended, suspended=False
        )

    def bury(self, card_ids: Sequence[int]) -> int:
        """Hide these cards until the next study day begins; how many were not buried yet."""
        zone = self._clock.local_zone()

        def start_the_day(store: Store, now: datetime) -> None:
            # A study day the queue has not begun yet would bring them back at once.
            unbury_for_new_day(store, study_day_start(now, zone))

        return self._set_on_cards(
            card_ids, "bury", lambda card: not card.buried, start_the_day, buried=True
        )

    def unbury(self, card_ids: Sequence[int]) -> int:
        """Bring buried cards back today; how many were buried."""
        return self._set_on_cards(card_ids, "unbury", lambda card: card.buried, buried=False)

    def flag(self, card_ids: Sequence[int], flag: int) -> int:
        """Give these cards flag ``flag`` (0 takes the flag off); how many changed."""
        if flag not in FLAGS:
            raise UserError(f"A flag is a number from 0 (no flag) to 7, not {flag}.")
        verb = "remove the flag of" if flag == 0 else "flag"
        return self._set_on_cards(card_ids, verb, lambda card: card.flag != flag, flag=flag)

    def change_deck(self, card_ids: Sequence[int], deck_name: str) -> int:
        """Move these cards to the deck ``deck_name`` (made if need be); how many moved."""
        name = clean_deck_name(deck_name)
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            deck = store.decks.ensure(
                name, store.decks.default_preset_id(), store.stamp(action.now)
            )
            moving = [card.id for card in _cards(store, card_ids) if card.deck_id != deck.id]
            action.watch.watch("cards", moving)
            store.cards.set_values(moving, store.stamp(action.now), deck_id=deck.id)
            if moving:
                action.description = f"move {count(len(moving), 'card')} to {name}"
        return len(moving)

    def add_tags(self, note_ids: Sequence[int], tags: Sequence[str]) -> int:
        """Tag these notes (``a::b`` for a tag below ``a``); how many notes changed."""
        _check_tags(tags)
        return self._retag(note_ids, lambda old: with_tags(old, tags), "add tags to")

    def remove_tags(self, note_ids: Sequence[int], tags: Sequence[str]) -> int:
        """Take these tags, and the tags below them, off these notes; how many changed."""
        _check_tags(tags)
        return self._retag(note_ids, lambda old: without_tags(old, tags), "remove tags from")

    def notes_of(self, card_ids: Sequence[int]) -> list[int]:
        """The notes of these cards, each once (tags and deletions act on notes)."""
        with self._database.transaction() as store:
            return store.notes.ids_of_cards(card_ids)

    def deletion_counts(self, note_ids: Sequence[int]) -> DeletionCounts:
        """What deleting these notes would take with it (to confirm first); writes nothing."""
        with self._database.transaction() as store:
            return deletion_counts(store, *note_deletion(store, note_ids))

    def delete_notes(self, note_ids: Sequence[int]) -> DeletionCounts:
        """Delete these notes with their cards and reviews, leaving graves; what went."""
        with undoable(self._database, self._clock, self._history) as action:
            notes, cards = note_deletion(action.store, note_ids)
            counts = delete_rows(action.store, action.watch, notes, cards, action.now)
            if counts.notes:
                action.description = f"delete {count(counts.notes, 'note')}"
        return counts

    def card_info(self, card_id: int) -> CardInfo:
        """The card's whole history and where it stands (the browser's Card Info)."""
        with self._database.transaction() as store:
            return card_info(store, card_id, self._clock.now())

    def _set_on_cards(
        self,
        card_ids: Sequence[int],
        verb: str,
        wanted: Callable[[CardMarks], bool],
        first: Callable[[Store, datetime], None] | None = None,
        **values: int | bool,
    ) -> int:
        """Set ``values`` on the cards that ``wanted`` picks; one undo step.

        ``first`` runs before anything is watched (what it writes is not undone).
        """
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            if first is not None:
                first(store, action.now)
            changing = [card.id for card in _cards(store, card_ids) if wanted(card)]
            action.watch.watch("cards", changing)
            store.cards.set_values(changing, store.stamp(action.now), **values)
            if changing:
                action.description = cards_phrase(verb, len(changing))
        return len(changing)

    def _retag(
        self,
        note_ids: Sequence[int],
        change: Callable[[tuple[str, ...]], tuple[str, ...]],
        verb: str,
    ) -> int:
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            old = store.notes.tags_of(note_ids)
            new = {note_id: change(tags) for note_id, tags in old.items()}
            changed = {note_id: tags for note_id, tags in new.items() if tags != old[note_id]}
            action.watch.watch("notes", list(changed))
            store.notes.set_tags(changed, action.now)
            if changed:
                action.description = f"{verb} {count(len(changed), 'note')}"
        return len(changed)


def _cards(store: Store, card_ids: Sequence[int]) -> list[CardMarks]:
    cards = store.cards.marks(card_ids)
    if card_ids and not cards:
        raise UserError("Those cards were deleted meanwhile; there is nothing to change.")
    return cards


def _check_tags(tags: Sequence[str]) -> None:
    if not tags:
        raise UserError("Give at least one tag.")
    for tag in tags:
        problem = tag_problem(tag)
        if problem is not None:
            raise UserError(f"Cannot use that tag: {problem}.")
