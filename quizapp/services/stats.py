"""Collection statistics, as ``quizapp stats`` prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.services.decks import DeckService
from quizapp.storage import Database

if TYPE_CHECKING:
    from quizapp.bootstrap import App


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
    app: App, deck: str | None, search: str | None, days: int | None
) -> dict[str, Any]:
    """Every figure of the statistics window for a deck (by name), a search or the whole
    collection, over ``days`` (0 or None: all), ready for JSON.

    Raises :class:`~quizapp.errors.UserError` for an unknown deck or a malformed search.
    """
    from quizapp.errors import UserError
    from quizapp.services.statistics import Scope, StatisticsService

    if deck is not None and search is not None:
        raise UserError("Give --deck or --search, not both.")
    scope = Scope(deck=app.decks.find(deck)) if deck is not None else Scope(search=search or "")
    return StatisticsService(app.database, app.clock).compute(scope, days or 0).to_json()
