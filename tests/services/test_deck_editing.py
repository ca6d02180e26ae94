"""Arranging decks: subdecks follow a rename, a delete counts first, every step undoes."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bootstrap import App
from quizapp.domain import Rating
from quizapp.errors import UserError
from tests.services.collection_rows import cards_of_note, content_rows, graves


def _names(app: App) -> list[str]:
    with app.database.transaction() as store:
        return [deck.name for deck in store.decks.all()]


def _deck_id(app: App, name: str) -> int:
    return app.decks.find(name).id


def test_renaming_a_deck_renames_its_subdecks(small_app: App) -> None:
    renamed = small_app.deck_editor.rename(_deck_id(small_app, "Test"), "Course")
    assert renamed.name == "Course"
    assert _names(small_app) == ["Course", "Course::Concepts", "Course::Counting"]
    session = small_app.study(small_app.decks.find("Course::Counting"))
    assert session.current is not None
    assert session.current.deck_name == "Course::Counting"
    assert small_app.undo_history.label == "Undo rename deck Test to Course"
    small_app.undo_history.undo()
    assert _names(small_app) == ["Test", "Test::Concepts", "Test::Counting"]


def test_a_name_with_levels_moves_the_deck_and_makes_its_new_parents(small_app: App) -> None:
    small_app.deck_editor.rename(_deck_id(small_app, "Test::Counting"), "Maths :: Counting")
    assert _names(small_app) == ["Maths", "Maths::Counting", "Test", "Test::Concepts"]
    small_app.undo_history.undo()
    assert _names(small_app) == ["Test", "Test::Concepts", "Test::Counting"]


def test_moving_a_deck_under_another_and_back_to_the_top(small_app: App) -> None:
    editor = small_app.deck_editor
    concepts = _deck_id(small_app, "Test::Concepts")
    editor.move(concepts, _deck_id(small_app, "Test::Counting"))
    assert "Test::Counting::Concepts" in _names(small_app)
    editor.move(concepts, None)
    assert _names(small_app) == ["Concepts", "Test", "Test::Counting"]


def test_a_deck_cannot_go_inside_itself_nor_take_a_name_in_use(small_app: App) -> None:
    editor = small_app.deck_editor
    with pytest.raises(UserError, match="inside itself"):
        editor.move(_deck_id(small_app, "Test"), _deck_id(small_app, "Test::Concepts"))
    with pytest.raises(UserError, match="already a deck called 'Test::Counting'"):
        editor.rename(_deck_id(small_app, "Test::Concepts"), "Test::Counting")
    with pytest.raises(UserError, match="needs a name"):
        editor.rename(_deck_id(small_app, "Test"), "Test::")
    assert _names(small_app) == ["Test", "Test::Concepts", "Test::Counting"]


def test_creating_a_deck_and_undoing_it(small_app: App) -> None:
    deck = small_app.deck_editor.create("Later::Reading")
    assert deck.name == "Later::Reading"
    assert {"Later", "Later::Reading"} <= set(_names(small_app))
    with pytest.raises(UserError, match="already a deck"):
        small_app.deck_editor.create("Later::Reading")
    small_app.undo_history.undo()
    assert _names(small_app) == ["Test", "Test::Concepts", "Test::Counting"]


def test_deleting_a_deck_counts_first_and_keeps_notes_with_cards_elsewhere(
    small_app: App, db_path: Path
) -> None:
    session = small_app.study(None)
    while session.current is not None:
        session.answer(Rating.GOOD, 1000)
    twin = cards_of_note(db_path, "small-bank/reversed-weight")[1]
    small_app.cards.change_deck([twin], "Kept")  # one card of the pair lives elsewhere
    concepts = _deck_id(small_app, "Test::Concepts")

    counts = small_app.deck_editor.deletion_counts(concepts)

    assert (counts.notes, counts.cards) == (2, 3)  # the reversed note keeps its twin
    with small_app.database.transaction() as store:
        reviews = sum(
            len(store.reviews.history(card_id)) for card_id in store.cards.ids_in_decks([concepts])
        )
    assert counts.reviews == reviews
    before = content_rows(db_path)
    assert small_app.deck_editor.delete(concepts) == counts
    assert _names(small_app) == ["Kept", "Test", "Test::Counting"]
    assert cards_of_note(db_path, "small-bank/reversed-weight") == [twin]
    assert sorted(kind for kind, _ in graves(db_path)) == ["card"] * 3 + ["deck"] + ["note"] * 2

    small_app.undo_history.undo()
    assert content_rows(db_path) == before
    assert graves(db_path) == []


def test_deleting_a_deck_takes_its_subdecks(small_app: App) -> None:
    counts = small_app.deck_editor.delete(_deck_id(small_app, "Test"))
    assert (counts.notes, counts.cards, counts.reviews) == (6, 7, 0)
    assert _names(small_app) == []
    small_app.undo_history.undo()
    assert _names(small_app) == ["Test", "Test::Concepts", "Test::Counting"]
