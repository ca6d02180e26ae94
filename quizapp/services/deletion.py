"""Deleting notes and cards with their history, leaving graves: one shared path.

Deleting notes (the browser) and deleting decks (the deck list) both come here.
The reviews of the cards go first, then the cards (a grave each, which stands
for its reviews on other devices), then the notes (a grave each).  Every row is
watched first, so that undo puts it back with its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.domain.wording import count
from quizapp.storage import Store
from quizapp.storage.snapshots import ChangeWatch


@dataclass(frozen=True, slots=True)
class DeletionCounts:
    """What a deletion takes with it, for the learner to confirm first."""

    notes: int
    cards: int
    reviews: int

    def __str__(self) -> str:
        return (
            f"{count(self.notes, 'note')}, {count(self.cards, 'card')} "
            f"and {count(self.reviews, 'review')}"
        )


def note_deletion(store: Store, note_ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """The notes of ``note_ids`` that exist, and all their cards."""
    by_note = store.cards.faces_by_note(note_ids)
    notes = sorted(store.notes.tags_of(note_ids))
    cards = sorted(card_id for faces in by_note.values() for card_id in faces.values())
    return notes, cards


def deletion_counts(
    store: Store, note_ids: Sequence[int], card_ids: Sequence[int]
) -> DeletionCounts:
    """What deleting these notes and cards takes with it (their reviews), writing nothing."""
    return DeletionCounts(len(note_ids), len(card_ids), store.reviews.count_of_cards(card_ids))


def delete_rows(
    store: Store,
    watch: ChangeWatch,
    note_ids: Sequence[int],
    card_ids: Sequence[int],
    now: datetime,
) -> DeletionCounts:
    """Delete these cards with their reviews, then these notes (which must have no other
    cards), leaving graves; every row watched first."""
    counts = deletion_counts(store, note_ids, card_ids)
    watch.watch("notes", note_ids)
    watch.watch("cards", card_ids)
    watch.watch_reviews_of(card_ids)
    stamp = store.stamp(now)
    store.reviews.delete_of_cards(card_ids)
    store.cards.delete(card_ids, stamp)
    store.notes.delete(note_ids, now)
    return counts
