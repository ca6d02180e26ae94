"""Collection statistics, as ``quizapp stats`` prints them."""

from __future__ import annotations

from typing import Any

from quizapp.services.clock import Clock
from quizapp.services.decks import DeckService
from quizapp.storage import Database


def collection_stats(database: Database, decks: DeckService) -> dict[str, Any]:
    """Cards, answers recorded, and each deck's counts, ready for JSON."""
    overview = decks.overview()
    with database.quick() as store:
        cards = store.cards.count()
        reviews = store.reviews.count()
        notes = store.notes.count()
    return {
        "database": str(database.path),
        "notes": notes,
        "cards": cards,
        "reviews": reviews,
        "decks": [
            {
                "name": counts.deck.name,
                "cards": counts.cards,
                "new": counts.new,
                "learning": counts.learning,
                "due": counts.due,
            }
            for counts in overview
        ],
    }


def detailed_stats(
    database: Database,
    decks: DeckService,
    clock: Clock,
    scope: tuple[str | None, str | None],
    days: int | None,
) -> dict[str, Any]:
    """Every figure of the statistics window for a deck (by name) or a search (``scope``:
    deck, search; both None: the whole collection), over ``days`` (0 or None: all), ready
    for JSON.

    Raises :class:`~quizapp.errors.UserError` for an unknown deck or a malformed search.
    """
    from quizapp.errors import UserError
    from quizapp.services.statistics import Scope, StatisticsService

    deck, search = scope
    if deck is not None and search is not None:
        raise UserError("Give --deck or --search, not both.")
    chosen = Scope(deck=decks.find(deck)) if deck is not None else Scope(search=search or "")
    return StatisticsService(database, clock).compute(chosen, days or 0).to_json()
