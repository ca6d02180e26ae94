"""The browser's actions on cards and notes, each undone as one step, rows exactly as before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import Rating
from quizapp.errors import UserError
from quizapp.services import ManualClock
from quizapp.services.study import CARD_CHANGED
from tests.conftest import SMALL_BANK
from tests.services.collection_rows import (
    all_card_ids,
    card_column,
    cards_of_note,
    content_rows,
    graves,
    note_id_of,
)

BASIC = "small-bank/basic-param"
REVERSED = "small-bank/reversed-weight"
MC = "small-bank/mc-adam"


def _answer_all_once(app: App) -> None:
    """Study every card of the collection once (Easy), so cards have history."""
    session = app.study(None)
    while session.current is not None:
        session.answer(Rating.EASY, 1000)


def _nothing(app: App, db: Path) -> None:
    """No setup beyond the history every case starts from."""


def _forget_all(app: App, db: Path) -> None:
    app.cards.forget(all_card_ids(db))


ACTIONS: dict[str, tuple[Callable[[App, Path], object], Callable[[App, Path], object], str]] = {
    "suspend": (
        _nothing,
        lambda app, db: app.cards.suspend(all_card_ids(db)[:3]),
        "suspend 3 cards",
    ),
    "bury": (_nothing, lambda app, db: app.cards.bury(all_card_ids(db)), "bury 6 cards"),
    "flag": (_nothing, lambda app, db: app.cards.flag(all_card_ids(db)[:2], 3), "flag 2 cards"),
    "change deck": (
        _nothing,
        lambda app, db: app.cards.change_deck(all_card_ids(db)[:2], "Elsewhere::New"),
        "move 2 cards to Elsewhere::New",
    ),
    "add tags": (
        _nothing,
        lambda app, db: app.cards.add_tags([note_id_of(db, BASIC)], ["ml::optim"]),
        "add tags to 1 note",
    ),
    "remove tags": (
        _nothing,
        lambda app, db: app.cards.remove_tags([note_id_of(db, BASIC)], ["concepts"]),
        "remove tags from 1 note",
    ),
    "forget": (_nothing, lambda app, db: app.cards.forget(all_card_ids(db)), "forget 6 cards"),
    "reposition": (
        _forget_all,
        lambda app, db: app.cards.reposition(all_card_ids(db)[-2:], 1),
        "reposition 2 cards",
    ),
    "set due date": (
        _nothing,
        lambda app, db: app.cards.set_due_date(all_card_ids(db)[:3], "3-7!"),
        "set the due date of 3 cards",
    ),
    "delete notes": (
        _nothing,
        lambda app, db: app.cards.delete_notes([note_id_of(db, BASIC), note_id_of(db, MC)]),
        "delete 2 notes",
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_is_undone_to_the_rows_as_they_were(
    small_app: App, db_path: Path, name: str
) -> None:
    setup, act, description = ACTIONS[name]
    _answer_all_once(small_app)
    setup(small_app, db_path)
    small_app.cards.flag(all_card_ids(db_path)[:1], 1)  # an earlier step, left alone
    before = content_rows(db_path)
    graves_before = graves(db_path)

    act(small_app, db_path)
    assert content_rows(db_path) != before
    assert small_app.undo_history.label == f"Undo {description}"
    undone = small_app.undo_history.undo()

    assert undone.description == description
    assert content_rows(db_path) == before
    # Graves the action left are gone; rows it made and undo took away leave theirs.
    kept = graves(db_path)
    assert kept[: len(graves_before)] == graves_before
    assert {kind for kind, _ in kept[len(graves_before) :]} <= {"deck", "review"}
    assert small_app.undo_history.label == "Undo flag 1 card"


def test_every_write_moves_the_cards_version_and_stamp(small_app: App, db_path: Path) -> None:
    card_id = all_card_ids(db_path)[0]
    version = card_column(db_path, card_id, "version")
    stamp = card_column(db_path, card_id, "modified_hlc")
    with sqlite3.connect(db_path) as connection:
        device = connection.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]

    small_app.cards.suspend([card_id])

    assert card_column(db_path, card_id, "version") == version + 1
    assert card_column(db_path, card_id, "modified_hlc") > stamp
    assert card_column(db_path, card_id, "modified_by") == device
    small_app.undo_history.undo()
    assert card_column(db_path, card_id, "version") == version + 2  # undoing is a write too
    assert card_column(db_path, card_id, "suspended") == 0


def test_the_undo_menu_names_the_latest_action(small_app: App, db_path: Path) -> None:
    assert small_app.undo_history.label == "Undo"
    assert not small_app.undo_history.can_undo
    small_app.cards.suspend(all_card_ids(db_path)[:3])
    assert small_app.undo_history.label == "Undo suspend 3 cards"
    small_app.cards.add_tags([note_id_of(db_path, BASIC)], ["exam"])
    assert small_app.undo_history.label == "Undo add tags to 1 note"
    small_app.undo_history.undo()
    assert small_app.undo_history.label == "Undo suspend 3 cards"


def test_an_action_that_changes_nothing_is_no_step(small_app: App, db_path: Path) -> None:
    cards = all_card_ids(db_path)[:2]
    assert small_app.cards.unsuspend(cards) == 0  # none was suspended
    assert small_app.cards.suspend(cards) == 2
    assert small_app.cards.suspend(cards) == 0
    assert len(small_app.undo_history.entries) == 1


def test_undo_is_refused_once_another_app_changed_those_cards(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    cards = all_card_ids(db_path)[:2]
    small_app.cards.suspend(cards)
    other = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[SMALL_BANK])
    try:
        other.cards.flag(cards[:1], 5)
    finally:
        other.close()

    with pytest.raises(UserError, match="changed since by another QuizApp window or program"):
        small_app.undo_history.undo()

    assert card_column(db_path, cards[0], "suspended") == 1  # nothing was put back
    assert card_column(db_path, cards[0], "flag") == 5
    assert not small_app.undo_history.can_undo  # it can never be undone: it is gone


def test_a_reviewers_stale_answer_is_refused_after_the_browser_changed_its_card(
    small_app: App,
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    small_app.cards.flag([card_id], 2)

    shown = session.answer(Rating.GOOD, 1000)

    assert shown is not None
    assert shown.notice == CARD_CHANGED
    with small_app.database.transaction() as store:
        assert store.reviews.history(card_id) == []


def test_deleting_notes_counts_first_then_takes_cards_and_reviews(
    small_app: App, db_path: Path
) -> None:
    _answer_all_once(small_app)
    notes = [note_id_of(db_path, REVERSED), note_id_of(db_path, BASIC)]
    counts = small_app.cards.deletion_counts(notes)
    assert (counts.notes, counts.cards) == (2, 3)
    assert counts.reviews == 2  # the reversed pair's twin waited for the next day
    assert str(counts) == "2 notes, 3 cards and 2 reviews"
    assert len(all_card_ids(db_path)) == 7  # counting wrote nothing

    deleted = small_app.cards.delete_notes(notes)

    assert deleted == counts
    assert len(all_card_ids(db_path)) == 4
    kinds = [kind for kind, _ in graves(db_path)]
    assert kinds.count("note") == 2
    assert kinds.count("card") == 3
    assert (REVERSED + "/1") in [uid for _, uid in graves(db_path)]
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 4


def test_an_undone_delete_brings_back_ids_reviews_and_all(small_app: App, db_path: Path) -> None:
    _answer_all_once(small_app)
    before = content_rows(db_path)
    small_app.cards.delete_notes([note_id_of(db_path, BASIC)])
    small_app.undo_history.undo()
    assert content_rows(db_path) == before
    assert graves(db_path) == []
    session = small_app.study(None)  # the collection studies on as before
    assert session.summary().answered == 0


def test_tags_are_hierarchical_and_removing_a_tag_takes_its_children(
    small_app: App, db_path: Path
) -> None:
    note = note_id_of(db_path, BASIC)
    small_app.cards.add_tags([note], ["ml::optimizers", "ML::optimizers", "exam"])
    with small_app.database.transaction() as store:
        assert store.notes.get(note).tags == ("concepts", "ml::optimizers", "exam")
    assert small_app.cards.remove_tags([note], ["ml"]) == 1
    with small_app.database.transaction() as store:
        assert store.notes.get(note).tags == ("concepts", "exam")
    with pytest.raises(UserError, match="space"):
        small_app.cards.add_tags([note], ["two words"])


def test_a_buried_card_comes_back_the_next_study_day(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    small_app.cards.bury([card_id])
    assert session.refresh() is not None
    assert session.current is not None
    assert session.current.card.id != card_id
    again = small_app.study(None)  # a new session the same day does not show it either
    shown = []
    while again.current is not None:
        shown.append(again.current.card.id)
        again.answer(Rating.EASY, 1000)
    assert card_id not in shown

    clock.advance(timedelta(days=1))
    tomorrow = small_app.study(None)
    seen = []
    while tomorrow.current is not None:
        seen.append(tomorrow.current.card.id)
        tomorrow.answer(Rating.EASY, 1000)
    assert card_id in seen


def test_burying_before_the_days_first_look_at_the_queue_still_holds(
    db_path: Path, clock: ManualClock
) -> None:
    app = open_app(db_path, clock=clock, rng=Random(1), seed_banks=[SMALL_BANK])
    try:
        clock.advance(timedelta(days=1))  # a new study day nothing has looked at yet
        card_id = all_card_ids(db_path)[0]
        app.cards.bury([card_id])
        session = app.study(None)
        shown = []
        while session.current is not None:
            shown.append(session.current.card.id)
            session.answer(Rating.EASY, 1000)
    finally:
        app.close()
    assert card_id not in shown


def test_flags_go_from_0_to_7(small_app: App, db_path: Path) -> None:
    card_id = all_card_ids(db_path)[0]
    small_app.cards.flag([card_id], 7)
    assert card_column(db_path, card_id, "flag") == 7
    small_app.cards.flag([card_id], 0)
    assert card_column(db_path, card_id, "flag") == 0
    with pytest.raises(UserError, match="from 0"):
        small_app.cards.flag([card_id], 8)


def test_changing_deck_makes_the_deck_and_undo_removes_it(small_app: App, db_path: Path) -> None:
    cards = cards_of_note(db_path, REVERSED)
    assert small_app.cards.change_deck(cards, " Later :: Maybe ") == 2
    with small_app.database.transaction() as store:
        deck = store.decks.by_name("Later::Maybe")
        assert deck is not None
        assert {card.deck_id for card in store.cards.many(cards)} == {deck.id}
    assert small_app.undo_history.label == "Undo move 2 cards to Later::Maybe"
    small_app.undo_history.undo()
    with small_app.database.transaction() as store:
        assert store.decks.by_name("Later") is None
        assert store.decks.by_name("Later::Maybe") is None
    with pytest.raises(UserError, match="needs a name"):
        small_app.cards.change_deck(cards, "A::::B")
