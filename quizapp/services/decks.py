"""The deck list: every deck with what it has to study now."""

from __future__ import annotations

from quizapp.domain import Deck, DeckCounts
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.errors import UserError
from quizapp.scheduling.days import study_day_start
from quizapp.services.clock import Clock
from quizapp.services.queue import DueQueue
from quizapp.storage import Database


def deck_order(deck: Deck) -> tuple[tuple[str, ...], str]:
    """How decks are listed: level by level, ignoring case ("anki-headers" before "Math"),
    so a deck's subdecks follow it; exact names break ties."""
    return tuple(level.casefold() for level in deck.name.split(DECK_SEPARATOR)), deck.name


def subtree_ids(deck: Deck, decks: list[Deck]) -> tuple[int, ...]:
    """The ids of ``deck`` and the decks below it, among ``decks``."""
    prefix = deck.name + DECK_SEPARATOR
    return tuple(d.id for d in decks if d.name == deck.name or d.name.startswith(prefix))


class DeckService:
    """Reading decks and their counts."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def overview(self) -> list[DeckCounts]:
        """Every deck in :func:`deck_order` (parents before children, case ignored), with
        counts that include subdecks."""
        now = self._clock.now()
        day_start = study_day_start(now, self._clock.local_zone())
        result = []
        with self._database.quick() as store:
            decks = sorted(store.decks.all(), key=deck_order)
            totals = store.cards.totals_by_deck()
            for deck in decks:
                ids = subtree_ids(deck, decks)
                queue = DueQueue(ids, store.decks.preset(deck.preset_id), now, day_start)
                counts = queue.counts(store)
                result.append(
                    DeckCounts(
                        deck=deck,
                        cards=sum(totals.get(deck_id, 0) for deck_id in ids),
                        new=counts.new,
                        learning=counts.learning,
                        due=counts.due,
                    )
                )
        return result

    def find(self, name: str) -> Deck:
        """The deck called ``name``; raises :class:`UserError` naming the decks there are."""
        with self._database.quick() as store:
            deck = store.decks.by_name(name)
            if deck is None:
                names = ", ".join(f"'{d.name}'" for d in store.decks.all()) or "none"
                raise UserError(f"There is no deck called '{name}'. Decks: {names}.")
            return deck
