"""Collection statistics, as ``quizapp stats`` prints them."""

from __future__ import annotations

from typing import Any

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
