"""What the browser's side panel lists: the collection's decks and tags, and the search of each.

The searches are Anki's syntax, escaped so that a name with ``*``, ``_``, quotes or
backslashes finds only itself (a deck's subdecks and a tag's children are found too,
as ``deck:`` and ``tag:`` do).
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.services.decks import deck_order
from quizapp.storage import Database

# Every note's tags, space-separated, as stored (each distinct string once).
_TAGS = "SELECT DISTINCT tags FROM notes WHERE tags != ''"
_SPECIAL = '\\"*_'


@dataclass(frozen=True, slots=True)
class BrowserLists:
    """The decks (full names, parents first) and tags (once each, case ignored) there are."""

    decks: tuple[str, ...]
    tags: tuple[str, ...]


def browser_lists(database: Database) -> BrowserLists:
    """Every deck and every tag of the collection, sorted ignoring case."""
    with database.quick() as store:
        decks = sorted(store.decks.all(), key=deck_order)
        rows = store.connection.exec_driver_sql(_TAGS).all()
    found: dict[str, str] = {}
    for (tags,) in rows:
        for tag in str(tags).split():
            found.setdefault(tag.casefold(), tag)
    return BrowserLists(
        tuple(deck.name for deck in decks), tuple(sorted(found.values(), key=str.casefold))
    )


def escaped(text: str) -> str:
    """``text`` with Anki's wildcards, quotes and backslashes escaped."""
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


def deck_search(name: str) -> str:
    """``deck:"A::B"``: the cards of that deck and its subdecks."""
    return f'deck:"{escaped(name)}"'


def tag_search(tag: str) -> str:
    """``tag:a::b``: the cards of notes with that tag or a tag below it."""
    return f'tag:"{escaped(tag)}"'
