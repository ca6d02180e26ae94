"""One history for the reviewer and the browser: Ctrl+Z takes back the latest thing done."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bootstrap import App
from quizapp.domain import Rating
from quizapp.errors import UserError
from tests.services.collection_rows import all_card_ids, card_column, content_rows


def _other_card(app: App, db_path: Path, *avoid: int) -> int:
    return next(card_id for card_id in all_card_ids(db_path) if card_id not in avoid)


def test_answers_and_browser_actions_interleaved_are_undone_in_reverse_order(
    small_app: App, db_path: Path
) -> None:
    session = small_app.study(None)
    states = [content_rows(db_path)]
    assert session.current is not None
    first = session.current.card.id
    session.answer(Rating.GOOD, 1000)
    states.append(content_rows(db_path))
    assert session.current is not None
    second = session.current.card.id
    suspended = _other_card(small_app, db_path, first, second)
    small_app.cards.suspend([suspended])
    states.append(content_rows(db_path))
    session.answer(Rating.AGAIN, 1000)
    assert [entry.description for entry in small_app.undo_history.entries] == [
        "answer",
        "suspend 1 card",
        "answer",
    ]

    assert session.undo_latest() is not None  # the reviewer's Ctrl+Z: its last answer
    assert session.current is not None
    assert session.current.card.id == second
    assert content_rows(db_path) == states[2]
    assert small_app.undo_history.label == "Undo suspend 1 card"

    undone = small_app.undo_history.undo()  # the browser's Ctrl+Z: the suspension
    assert undone.card_ids == {suspended}
    assert content_rows(db_path) == states[1]

    session.undo_latest()  # and the first answer, shown again
    assert content_rows(db_path) == states[0]
    assert session.current is not None
    assert session.current.card.id == first
    assert not small_app.undo_history.can_undo
    assert session.summary().answered == 0


def test_the_browser_can_undo_the_reviewers_answer_and_the_reviewer_shows_it_again(
    small_app: App,
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    answered = session.current
    session.answer(Rating.HARD, 1000)

    undone = small_app.undo_history.undo()

    assert undone.description == "answer"
    assert session.current is not None
    assert session.current.card.id == answered.card.id
    assert session.current.presentation.choice_order == answered.presentation.choice_order
    assert not session.can_undo


def test_the_session_undoes_its_own_answer_past_a_later_browser_action(
    small_app: App, db_path: Path
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    answered = session.current.card.id
    session.answer(Rating.GOOD, 1000)
    flagged = _other_card(small_app, db_path, answered)
    small_app.cards.flag([flagged], 4)

    session.undo()  # the terminal's "u" and the summary's button: this session's answers

    assert session.current is not None
    assert session.current.card.id == answered
    assert card_column(db_path, flagged, "flag") == 4  # the browser's step is still there
    assert small_app.undo_history.label == "Undo flag 1 card"
    assert not session.can_undo
    with pytest.raises(UserError, match="nothing to undo"):
        session.undo()


def test_undoing_a_browser_action_in_the_reviewer_shows_a_card_that_can_be_studied(
    small_app: App,
) -> None:
    session = small_app.study(None)
    assert session.current is not None
    on_screen = session.current.card.id
    small_app.cards.unsuspend([on_screen])  # nothing to do: no step
    small_app.cards.suspend([on_screen])
    session.refresh()
    assert session.current is not None
    assert session.current.card.id != on_screen

    session.undo_latest()

    assert session.undo_label == "Undo"
    assert session.current is not None
    with small_app.database.transaction() as store:
        assert not store.cards.get(on_screen).suspended


def test_a_second_session_shares_the_history_but_undoes_only_its_own_answers(
    small_app: App,
) -> None:
    morning = small_app.study(None)
    morning.answer(Rating.EASY, 1000)
    evening = small_app.study(None)
    assert not evening.can_undo
    assert evening.can_undo_latest
    assert evening.undo_label == "Undo answer"
    with pytest.raises(UserError, match="nothing to undo"):
        evening.undo()
    evening.undo_latest()  # Ctrl+Z takes back the morning's answer all the same
    assert not morning.can_undo
    assert morning.summary().answered == 0


def test_listeners_hear_of_every_step_added_and_undone(small_app: App, db_path: Path) -> None:
    heard: list[str] = []
    small_app.undo_history.subscribe(lambda: heard.append(small_app.undo_history.label))
    small_app.cards.suspend(all_card_ids(db_path)[:2])
    small_app.undo_history.undo()
    assert heard == ["Undo suspend 2 cards", "Undo"]
