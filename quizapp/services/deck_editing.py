"""Arranging decks: create, rename, move, delete; each one transaction and one undo step.

A deck's place is its name (``::`` separates levels, as in Anki): renaming a deck
renames its subdecks with it (``A::B`` follows ``A`` renamed ``C`` as ``C::B``),
and moving a deck under another is renaming it.  Deleting a deck deletes its
subdecks, their cards and the notes left without cards, with their history,
leaving graves; :meth:`DeckEditor.deletion_counts` says first what would go.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain import Deck
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.errors import UserError
from quizapp.services.clock import Clock
from quizapp.services.deletion import DeletionCounts, delete_rows, deletion_counts
from quizapp.services.undo import UndoHistory, undoable
from quizapp.storage import Database, Store


def clean_deck_name(name: str) -> str:
    """A deck name as stored, each level trimmed; refused when a level is empty."""
    levels = [level.strip() for level in name.split(DECK_SEPARATOR)]
    if any(not level for level in levels):
        raise UserError(f"'{name}' is not a deck name: every level between '::' needs a name.")
    return DECK_SEPARATOR.join(levels)


def _in_subtree(name: str, root: str) -> bool:
    return name == root or name.startswith(root + DECK_SEPARATOR)


class DeckEditor:
    """Creating, renaming, moving and deleting decks."""

    def __init__(self, database: Database, clock: Clock, history: UndoHistory) -> None:
        self._database = database
        self._clock = clock
        self._history = history

    def create(self, name: str) -> Deck:
        """A new deck ``name`` (its missing parents made too)."""
        name = clean_deck_name(name)
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            if store.decks.by_name(name) is not None:
                raise UserError(f"There is already a deck called '{name}'.")
            deck = store.decks.ensure(
                name, store.decks.default_preset_id(), store.stamp(action.now)
            )
            action.description = f"create deck {name}"
        return deck

    def rename(self, deck_id: int, new_name: str) -> Deck:
        """Give the deck a new name; its subdecks follow.  A name with ``::`` moves it."""
        name = clean_deck_name(new_name)
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            deck = _deck(store, deck_id)
            if name == deck.name:
                return deck
            renames = _renames(store.decks.all(), deck, name)
            action.watch.watch("decks", list(renames))
            parent = name.rpartition(DECK_SEPARATOR)[0]
            stamp = store.stamp(action.now)
            if parent:
                store.decks.ensure(parent, store.decks.default_preset_id(), stamp)
            store.decks.rename(renames, stamp)
            action.description = f"rename deck {deck.name} to {name}"
        return Deck(deck.id, name, deck.preset_id)

    def move(self, deck_id: int, parent_id: int | None) -> Deck:
        """Put the deck (with its subdecks) under the deck ``parent_id``, or at the top."""
        with self._database.transaction() as store:
            deck = _deck(store, deck_id)
            parent = None if parent_id is None else _deck(store, parent_id)
        if parent is None:
            return self.rename(deck_id, deck.leaf_name)
        return self.rename(deck_id, parent.name + DECK_SEPARATOR + deck.leaf_name)

    def deletion_counts(self, deck_id: int) -> DeletionCounts:
        """What deleting the deck would take with it (to confirm first); writes nothing."""
        with self._database.transaction() as store:
            _, notes, cards = _deletion(store, _deck(store, deck_id))
            return deletion_counts(store, notes, cards)

    def delete(self, deck_id: int) -> DeletionCounts:
        """Delete the deck and its subdecks with their cards, the notes left without cards,
        and their history, leaving graves; what went."""
        with undoable(self._database, self._clock, self._history) as action:
            store = action.store
            deck = _deck(store, deck_id)
            decks, notes, cards = _deletion(store, deck)
            action.watch.watch("decks", decks)
            counts = delete_rows(store, action.watch, notes, cards, action.now)
            store.decks.delete(decks, store.stamp(action.now))
            action.description = f"delete deck {deck.name}"
        return counts


def _deck(store: Store, deck_id: int) -> Deck:
    found = [deck for deck in store.decks.all() if deck.id == deck_id]
    if not found:
        raise UserError("That deck was deleted meanwhile (in another QuizApp window?).")
    return found[0]


def _renames(decks: Sequence[Deck], deck: Deck, name: str) -> dict[int, str]:
    """The new name of the deck and of each of its subdecks; refused if one is taken."""
    if _in_subtree(name, deck.name):
        raise UserError(f"A deck cannot go inside itself: '{name}' is below '{deck.name}'.")
    subtree = [d for d in decks if _in_subtree(d.name, deck.name)]
    renames = {d.id: name + d.name[len(deck.name) :] for d in subtree}
    taken = {d.name for d in decks if d.id not in renames}
    clashes = sorted(new for new in renames.values() if new in taken)
    if clashes:
        raise UserError(f"There is already a deck called '{clashes[0]}'.")
    return renames


def _deletion(store: Store, deck: Deck) -> tuple[list[int], list[int], list[int]]:
    """The decks, notes and cards deleting ``deck`` takes: the notes whose every card goes."""
    decks = [d.id for d in store.decks.all() if _in_subtree(d.name, deck.name)]
    cards = sorted(store.cards.ids_in_decks(decks))
    going = set(cards)
    by_note = store.cards.faces_by_note(store.notes.ids_of_cards(cards))
    notes = sorted(
        note_id for note_id, faces in by_note.items() if going.issuperset(faces.values())
    )
    return decks, notes, cards
