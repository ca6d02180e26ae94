"""Every kind of card in the real reviewer, by keyboard: ticks, matches, cloze, exercises."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import NoteKind, Rating
from quizapp.exercises.checking import check_answer
from quizapp.gui.app import application, build_main_window
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.services import ManualClock
from tests.conftest import DATA

EVERY_KIND = DATA / "every-kind.yaml"


@pytest.fixture
def kinds_app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    app = open_app(db_path, clock=clock, rng=Random(3), seed_banks=[EVERY_KIND])
    yield app
    app.close()


@pytest.fixture
def kinds_window(qtbot: QtBot, kinds_app: App) -> MainWindow:
    """The window studying every deck; the test holds it (qtbot only holds it weakly)."""
    window: MainWindow = build_main_window(
        kinds_app, argparse.Namespace(command="study", deck=None), application("light")
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.reviewer.setFocus()
    return window


@pytest.fixture
def reviewer(kinds_window: MainWindow) -> ReviewView:
    return kinds_window.reviewer


def press(qtbot: QtBot, key: Qt.Key | str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


def go_to(reviewer: ReviewView, guid: str) -> None:
    """Answer Easy until the note ``guid`` is on screen."""
    assert reviewer.session is not None
    for _ in range(30):
        current = reviewer.current
        assert current is not None, f"{guid} never came up"
        if current.note.guid == f"every-kind/{guid}":
            reviewer.show_current()
            return
        reviewer.session.answer(Rating.EASY, 1000)
    raise AssertionError(guid)


def shown_number(reviewer: ReviewView, label: str) -> str:
    """The number key of the choice ``label`` as it is shown on screen."""
    texts = [button.text().split(".  ", 1)[1] for button in reviewer.page.choices.buttons]
    return str(texts.index(label) + 1)


def test_multiple_response_is_ticked_by_number_and_partly_right_can_be_overridden(
    qtbot: QtBot, reviewer: ReviewView, kinds_app: App
) -> None:
    go_to(reviewer, "mr")
    assert reviewer.phase is Phase.TICKING
    weights, rate = shown_number(reviewer, "weights"), shown_number(reviewer, "learning rate")
    press(qtbot, weights)
    press(qtbot, rate)
    press(qtbot, rate)  # untick
    assert reviewer.page.choices.ticked() == {int(weights) - 1}
    press(qtbot, Qt.Key.Key_Return)
    assert reviewer.phase is Phase.ANSWER
    assert "◐ Partly right (50%)" in reviewer.page.feedback_label.text()
    assert reviewer.proposed is Rating.AGAIN  # partly right is not remembered
    page = reviewer.page
    assert page.grades.isVisible()
    assert page.grade_buttons[Rating.AGAIN].property("proposed") is True
    assert page.grade_buttons[Rating.GOOD].text().startswith("Good\n")
    card_id = reviewer.current.card.id  # type: ignore[union-attr]
    press(qtbot, "3")  # the learner overrides the proposal: Good
    with kinds_app.database.transaction() as store:
        (log,) = store.reviews.history(card_id)
    assert log.rating is Rating.GOOD
    assert log.answer == "weights"


def test_partial_credit_proposes_again(qtbot: QtBot, reviewer: ReviewView) -> None:
    # Partly right is not remembered: proposing Hard would have FSRS count a success.
    go_to(reviewer, "mc")
    press(qtbot, shown_number(reviewer, "RMSprop"))  # weight 0.5
    assert reviewer.proposed is Rating.AGAIN
    assert "◐ Partly right (50%)" in reviewer.page.feedback_label.text()
    assert "RMSprop keeps one." in reviewer.page.feedback_label.text()


def test_a_right_number_shows_the_authors_feedback(qtbot: QtBot, reviewer: ReviewView) -> None:
    go_to(reviewer, "numeric")
    assert reviewer.phase is Phase.TYPING
    qtbot.keyClicks(reviewer.page.answer_input, "55")
    qtbot.keyClick(reviewer.page.answer_input, Qt.Key.Key_Return)
    assert reviewer.proposed is Rating.GOOD
    assert "✓ Correct" in reviewer.page.feedback_label.text()
    assert "Fifty weights and five biases." in reviewer.page.feedback_label.text()


def test_matching_rows_are_picked_with_the_keyboard(qtbot: QtBot, reviewer: ReviewView) -> None:
    go_to(reviewer, "matching")
    assert reviewer.phase is Phase.MATCHING
    combos = reviewer.page.matching.combos
    assert len(combos) == 3
    assert combos[0].hasFocus()
    for combo, answer in zip(combos, ["optimizer", "activation", "regularizer"], strict=True):
        assert combo.hasFocus()
        qtbot.keyClicks(combo, answer[:3])  # typing picks the answer, as in any list
        assert combo.currentText() == answer
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return)
    assert reviewer.proposed is Rating.GOOD
    assert "✓ Correct" in reviewer.page.feedback_label.text()


def test_cloze_cards_hide_one_deletion_each(qtbot: QtBot, reviewer: ReviewView) -> None:
    go_to(reviewer, "cloze")
    first = reviewer.page.question_label.text()
    assert "[…]" in first or "[offset]" in first
    press(qtbot, Qt.Key.Key_Space)
    assert "weight" in reviewer.page.answer_label.text()
    assert "Both are learned." in reviewer.page.answer_label.text()


def test_an_exercise_shows_fresh_numbers_and_names_the_mistake(
    qtbot: QtBot, reviewer: ReviewView, kinds_app: App, clock: ManualClock
) -> None:
    go_to(reviewer, "dense")
    seen = []
    for _ in range(3):  # three showings of the same template
        current = reviewer.current
        assert current is not None
        assert current.note.kind is NoteKind.EXERCISE
        instance = current.exercise
        assert instance is not None
        assert reviewer.page.question_label.text().startswith("Parameters of nn.Linear(")
        seen.append(instance.stored_values())
        wrong = next(c for c in instance.choices if not c.correct)
        index = instance.choices.index(wrong)
        press(qtbot, str(index + 1))
        assert "Not quite" in reviewer.page.feedback_label.text()
        if wrong.mistake:
            assert wrong.mistake in reviewer.page.feedback_label.text()
        assert reviewer.page.explanation_label.text()  # the worked solution
        press(qtbot, Qt.Key.Key_Return)  # Again: the card comes back in a minute
        clock.advance(timedelta(minutes=2))
        go_to(reviewer, "dense")
    assert all(a != b for a, b in pairwise(seen))
    with kinds_app.database.transaction() as store:
        card_id = reviewer.current.card.id  # type: ignore[union-attr]
        history = store.reviews.history(card_id)
    assert [log.shown for log in history] == seen
    assert all(log.rating is Rating.AGAIN for log in history)


def test_a_typed_exercise_answer_is_read_leniently(kinds_app: App) -> None:
    session = kinds_app.study(kinds_app.decks.find("Kinds::Rich"))
    while session.current is not None and session.current.note.kind is not NoteKind.EXERCISE:
        session.answer(Rating.EASY, 1000)
    assert session.current is not None
    instance = session.current.exercise
    assert instance is not None
    answer = int(instance.answer)  # type: ignore[call-overload]
    assert check_answer(instance, f"{answer:,} parameters").correct
    assert check_answer(instance, f"{answer}.0").correct


def test_the_revealed_cloze_deletion_takes_the_themes_accent(qtbot: QtBot, kinds_app: App) -> None:
    from quizapp.gui.theme import DARK, LIGHT

    qt_app = application("dark")
    try:
        window = build_main_window(kinds_app, argparse.Namespace(command=None, deck=None), qt_app)
        qtbot.addWidget(window)
        window.study(kinds_app.decks.find("Kinds"))
        reviewer = window.reviewer
        go_to(reviewer, "cloze")
        reviewer.reveal()
        assert f"color:{DARK.accent}" in reviewer.page.answer_label.text()
        assert LIGHT.accent not in reviewer.page.answer_label.text()
    finally:
        application("light")
