"""A whole study session through the real main window, by keyboard only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.domain import NoteKind, Rating
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase, ReviewView

Reviews = Callable[[], list[tuple[int, int, str | None]]]


def press(qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier | None = None) -> None:
    """Press a key in whatever widget has the keyboard focus, as a user would."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


def start_studying(qtbot: QtBot, window: MainWindow) -> ReviewView:
    assert window.pages.currentWidget() is window.deck_list
    window.deck_list.tree.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # the first deck, "Test", with its subdecks
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reviewer)
    return window.reviewer


def press_choice(qtbot: QtBot, reviewer: ReviewView, label: str) -> None:
    """Press the number shown before the choice ``label``, wherever the shuffle put it."""
    texts = [button.text().split(".  ", 1)[1] for button in reviewer.page.choices.buttons]
    press(qtbot, str(texts.index(label) + 1))


def proposed_button(reviewer: ReviewView) -> Rating | None:
    """The grade button shown as proposed, if any."""
    marked = [r for r, b in reviewer.page.grade_buttons.items() if b.property("proposed")]
    assert len(marked) <= 1
    return marked[0] if marked else None


def kind_on_screen(reviewer: ReviewView) -> NoteKind:
    assert reviewer.current is not None
    return reviewer.current.note.kind


def test_window_title_and_deck_list(window: MainWindow) -> None:
    assert window.windowTitle() == "collection.db — QuizApp"
    model = window.deck_list.model
    top = model.index(0, 0)
    assert top.data() == "Test"
    assert model.index(0, 1).data() == "7"  # new cards, subdecks included
    children = [model.index(row, 0, top).data() for row in range(model.rowCount(top))]
    assert children == ["Concepts", "Counting"]
    assert [model.index(row, 1, top).data() for row in range(2)] == ["4", "3"]


def test_reveal_grade_and_undo_a_basic_card(
    qtbot: QtBot, window: MainWindow, reviews: Reviews
) -> None:
    reviewer = start_studying(qtbot, window)
    assert kind_on_screen(reviewer) is NoteKind.BASIC
    assert reviewer.phase is Phase.QUESTION
    assert reviewer.page.question_label.text() == "What is a model parameter?"
    assert reviewer.page.answer_label.isHidden()
    first_card = reviewer.current.card.id  # type: ignore[union-attr]

    press(qtbot, Qt.Key.Key_Space)

    assert reviewer.phase is Phase.ANSWER
    assert reviewer.page.answer_label.isVisible()
    assert "learned from data" in reviewer.page.answer_label.text()
    assert reviewer.page.explanation_label.text() == "Weights and biases are parameters."
    labels = {r: reviewer.page.grade_buttons[r].text() for r in Rating}
    assert labels[Rating.AGAIN] == "Again\n1m"
    assert labels[Rating.GOOD] == "Good\n10m"
    assert labels[Rating.EASY].startswith("Easy\n")
    assert labels[Rating.EASY].endswith("d")

    press(qtbot, "3")
    assert reviews() == [(first_card, int(Rating.GOOD), None)]
    assert reviewer.current is not None
    assert reviewer.current.card.id != first_card
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo answer"  # what the collection's history holds

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reviews() == []
    assert reviewer.current is not None
    assert reviewer.current.card.id == first_card
    assert reviewer.phase is Phase.QUESTION
    assert not window.undo_action.isEnabled()


def test_whole_session_by_keys_through_every_kind(
    qtbot: QtBot, window: MainWindow, reviews: Reviews
) -> None:
    reviewer = start_studying(qtbot, window)
    seen: list[NoteKind] = []
    while reviewer.phase is not Phase.FINISHED:
        kind = kind_on_screen(reviewer)
        seen.append(kind)
        if kind in (NoteKind.BASIC, NoteKind.BASIC_REVERSED):
            press(qtbot, Qt.Key.Key_Space)
            press(qtbot, "4")  # Easy: out of learning, so the session ends
        elif kind is NoteKind.TRUE_FALSE:
            press(qtbot, "2")  # "False" is right
            assert "Correct" in reviewer.page.feedback_label.text()
            assert reviewer.page.grades.isVisible()
            assert proposed_button(reviewer) is Rating.GOOD
            press(qtbot, Qt.Key.Key_Return)
        elif kind is NoteKind.MULTIPLE_CHOICE:
            press_choice(qtbot, reviewer, "Adam")
            assert proposed_button(reviewer) is Rating.GOOD
            press(qtbot, Qt.Key.Key_Return)
        elif kind is NoteKind.TYPED:
            qtbot.keyClicks(reviewer.page.answer_input, "  Learning RATE ")
            qtbot.keyClick(reviewer.page.answer_input, Qt.Key.Key_Return)
            assert reviewer.proposed is Rating.GOOD
            press(qtbot, "4")  # the learner may still choose another grade
        else:
            qtbot.keyClicks(reviewer.page.answer_input, "5.5e1")
            qtbot.keyClick(reviewer.page.answer_input, Qt.Key.Key_Return)
            assert "Correct" in reviewer.page.feedback_label.text()
            press(qtbot, "4")
    assert set(seen) == {
        NoteKind.BASIC,
        NoteKind.BASIC_REVERSED,
        NoteKind.TRUE_FALSE,
        NoteKind.MULTIPLE_CHOICE,
        NoteKind.TYPED,
        NoteKind.NUMERIC,
    }
    # Auto-graded cards get Good, a learning step of 10 minutes, so each comes back
    # once more within the session (learn-ahead) before it graduates.
    assert seen.count(NoteKind.MULTIPLE_CHOICE) == seen.count(NoteKind.TRUE_FALSE) == 2
    # The reversed note's second card is buried once its first is answered: it waits
    # for tomorrow, as in Anki.
    assert seen.count(NoteKind.BASIC_REVERSED) == 1
    ratings = [rating for _, rating, _ in reviews()]
    assert len(ratings) == 8
    assert ratings.count(int(Rating.GOOD)) == 4
    assert "next card is due" in reviewer.summary.details.text()
    assert "8 cards" in reviewer.summary.details.text()
    press(qtbot, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.deck_list


def _go_to(qtbot: QtBot, reviewer: ReviewView, kind: NoteKind) -> None:
    """Answer Easy until a card of ``kind`` is on screen."""
    while kind_on_screen(reviewer) is not kind:
        assert reviewer.session is not None
        reviewer.session.answer(Rating.EASY, 1000)
        reviewer.show_current()


def test_wrong_choice_is_marked_and_graded_again(
    qtbot: QtBot, window: MainWindow, reviews: Reviews
) -> None:
    reviewer = start_studying(qtbot, window)
    _go_to(qtbot, reviewer, NoteKind.MULTIPLE_CHOICE)
    before = len(reviews())
    press_choice(qtbot, reviewer, "SGD")  # wrong
    assert "Not quite" in reviewer.page.feedback_label.text()
    assert "You picked: SGD" in reviewer.page.feedback_label.text()
    assert reviewer.page.answer_label.text() == "Adam"
    marks = {
        b.text().split(".  ", 1)[1]: b.property("choice") for b in reviewer.page.choices.buttons
    }
    assert marks == {"SGD   ✗": "wrong", "Adam   ✓": "right", "L-BFGS": "", "Dropout": ""}
    assert proposed_button(reviewer) is Rating.AGAIN
    press(qtbot, Qt.Key.Key_Space)
    assert reviews()[before:] == [(reviews()[before][0], int(Rating.AGAIN), "SGD")]


def test_wrong_number_shows_the_difference_and_the_grade_can_be_changed(
    qtbot: QtBot, window: MainWindow, reviews: Reviews
) -> None:
    reviewer = start_studying(qtbot, window)
    _go_to(qtbot, reviewer, NoteKind.NUMERIC)
    assert reviewer.page.answer_input.hasFocus()
    qtbot.keyClicks(reviewer.page.answer_input, "50")
    qtbot.keyClick(reviewer.page.answer_input, Qt.Key.Key_Return)
    assert reviewer.proposed is Rating.AGAIN
    assert "too low" in reviewer.page.feedback_label.text()
    assert reviewer.page.answer_label.text() == "55 parameters"
    assert reviewer.page.grade_buttons[Rating.AGAIN].property("proposed") is True
    press(qtbot, "2")  # the learner overrides the proposal: Hard
    assert reviews()[-1][1:] == (int(Rating.HARD), "50")


def test_typo_in_a_typed_answer_is_shown_letter_by_letter(qtbot: QtBot, window: MainWindow) -> None:
    reviewer = start_studying(qtbot, window)
    _go_to(qtbot, reviewer, NoteKind.TYPED)
    qtbot.keyClicks(reviewer.page.answer_input, "lerning rate")
    qtbot.keyClick(reviewer.page.answer_input, Qt.Key.Key_Return)
    feedback = reviewer.page.feedback_label.text()
    assert "Not quite" in feedback
    typed, expected = feedback.split("Expected:")
    assert "lerning rate" in typed  # what was typed, not the right answer
    assert "<u>a</u>" in expected  # the missing letter is marked
    assert reviewer.proposed is Rating.AGAIN


def test_widgets_have_names_for_assistive_technology(qtbot: QtBot, window: MainWindow) -> None:
    reviewer = start_studying(qtbot, window)
    for widget in (
        reviewer.page.question_label,
        reviewer.page.answer_label,
        reviewer.page.answer_input,
        reviewer.page.show_answer_button,
        *reviewer.page.grade_buttons.values(),
        window.deck_list.tree,
        window.deck_list.study_button,
    ):
        assert widget.objectName()
        assert widget.accessibleName()
