"""One session through every kind of card, by keys only, as a learner sees it and as the
database records it; undo by Ctrl+Z; and the notice a card changed elsewhere leaves."""

from __future__ import annotations

import argparse
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import Rating
from quizapp.gui.app import application, build_main_window
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.services import ManualClock
from quizapp.services.study import CARD_CHANGED

# One note of each kind, in the order a new deck shows them.
EVERY_KIND = """\
quizapp_bank: 1
title: Every kind, by keys
decks:
  - name: Keys
    notes:
      - {id: basic, front: What is a parameter?, back: A value learned from data.}
      - {id: reversed, kind: basic_reversed, front: Bias, back: A learned offset.}
      - id: tf
        kind: true_false
        statement: Dropout has learnable parameters.
        answer: false
      - id: mc
        kind: multiple_choice
        question: Which optimizer keeps two moment estimates per parameter?
        choices: [SGD, Adam, RMSprop, Adagrad]
        answer: Adam
      - id: mr
        kind: multiple_response
        question: Which of these are learned?
        choices: [weights, biases, learning rate, batch size]
        answers: [weights, biases]
      - {id: typed, kind: typed, question: Which hyperparameter scales a step?,
         answer: learning rate}
      - {id: typo, kind: typed, question: Which search engine is named for 10^100?,
         answer: Google}
      - {id: numeric, kind: numeric, question: Parameters of nn.Linear(10 5)?, answer: 55,
         unit: parameters}
      - id: matching
        kind: matching
        question: Match each name to what it is.
        pairs: [[SGD, optimizer], [ReLU, activation], [dropout, regularizer]]
      - id: cloze
        kind: cloze
        text: "A {{c1::weight}} scales an input."
      - id: count
        kind: exercise
        variables:
          - {name: n, integer: [2, 9]}
        question: "Parameters of nn.Linear({n}, 1, bias=False)?"
        answer: "n"
        explanation: "One weight per input: {n}."
      - id: dense
        kind: exercise
        variables:
          - {name: n, integer: [2, 30]}
          - {name: m, integer: [2, 30]}
        constraints: ["n != m"]
        steps:
          - {weights: "n * m"}
        question: "Parameters of nn.Linear({n}, {m})?"
        answer: "weights + m"
        explanation: "{weights} weights + {m} biases = {answer}."
        distractors:
          - {formula: weights, mistake: forgot the biases}
        multiple_choice: true
"""
Review = tuple[int, int, str | None]


@pytest.fixture
def keys_app(tmp_path: Path, db_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "keys.yaml"
    bank.write_text(EVERY_KIND, encoding="utf-8")
    app = open_app(db_path, clock=clock, rng=Random(4), seed_banks=[bank])
    yield app
    app.close()


@pytest.fixture
def window(qtbot: QtBot, keys_app: App) -> MainWindow:
    window = build_main_window(
        keys_app, argparse.Namespace(command="study", deck=None), application("light")
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def read_reviews(db_path: Path) -> list[Review]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT card_id, rating, answer FROM reviews ORDER BY id"
        ).fetchall()


def press(qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier | None = None) -> None:
    """A key pressed in whatever has the focus, as a learner presses it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


def type_in(qtbot: QtBot, words: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, words)


def button_texts(reviewer: ReviewView) -> list[str]:
    return [button.text() for button in reviewer.page.choices.buttons]


def number_of(reviewer: ReviewView, label: str) -> str:
    """The key of the choice ``label``, as numbered on screen."""
    shown = [text.split(".  ", 1)[1].split("   ")[0] for text in button_texts(reviewer)]
    return str(shown.index(label) + 1)


def marks(reviewer: ReviewView) -> dict[str, str]:
    """Each choice's text on screen (with its ✓/✗) and how it is marked."""
    return {
        b.text().split(".  ", 1)[1]: b.property("choice") for b in reviewer.page.choices.buttons
    }


def proposed(reviewer: ReviewView) -> Rating | None:
    shown = [r for r, button in reviewer.page.grade_buttons.items() if button.property("proposed")]
    assert len(shown) <= 1
    return shown[0] if shown else None


def feedback(reviewer: ReviewView) -> str:
    return reviewer.page.feedback_label.text()


def grades_ready(reviewer: ReviewView) -> None:
    """The answer is shown with the four grades and their intervals."""
    page = reviewer.page
    assert reviewer.phase is Phase.ANSWER
    assert page.grades.isVisible()
    assert page.answer_label.isVisible()
    for rating, button in page.grade_buttons.items():
        assert button.text().startswith(f"{rating.label}\n")
        assert not button.text().endswith("…")  # an interval, not the placeholder


class Script:
    """What the learner does with each card, the reviews that should be recorded, and
    what an undo should show again."""

    def __init__(self, qtbot: QtBot, reviewer: ReviewView) -> None:
        self.qtbot = qtbot
        self.reviewer = reviewer
        self.expected: list[Review] = []
        self.seen: Counter[str] = Counter()
        self.undone = False

    def card_id(self) -> int:
        assert self.reviewer.current is not None
        return self.reviewer.current.card.id

    def grade(self, key: Qt.Key | str, rating: Rating, answer: str | None) -> None:
        self.expected.append((self.card_id(), int(rating), answer))
        press(self.qtbot, key)

    def run(self) -> None:
        steps: dict[str, Callable[[int], None]] = {
            "basic": self.basic,
            "reversed": self.reversed,
            "tf": self.true_false,
            "mc": self.multiple_choice,
            "mr": self.several_answers,
            "typed": self.typed,
            "typo": self.typo,
            "numeric": self.numeric,
            "matching": self.matching,
            "cloze": self.cloze,
            "count": self.exercise_typed,
            "dense": self.exercise_choice,
        }
        for _ in range(40):
            current = self.reviewer.current
            if current is None:
                break
            name = current.note.guid.rsplit("/", 1)[-1]
            self.seen[name] += 1
            steps[name](self.seen[name])
        assert self.reviewer.phase is Phase.FINISHED

    # -- each kind ---------------------------------------------------------------------

    def basic(self, showing: int) -> None:
        reviewer, page = self.reviewer, self.reviewer.page
        assert reviewer.phase is Phase.QUESTION
        assert page.question_label.text() == "What is a parameter?"
        press(self.qtbot, Qt.Key.Key_Space)
        grades_ready(reviewer)
        assert page.answer_label.text() == "A value learned from data."
        assert proposed(reviewer) is None  # the learner grades a revealed card
        if showing == 1:
            self.grade(Qt.Key.Key_Return, Rating.GOOD, None)  # Enter: Good; back in 10m
        else:
            self.grade("4", Rating.EASY, None)

    def reversed(self, showing: int) -> None:
        page = self.reviewer.page
        question = page.question_label.text()
        press(self.qtbot, Qt.Key.Key_Space)
        grades_ready(self.reviewer)
        assert {question, page.answer_label.text()} == {"Bias", "A learned offset."}
        self.grade("4", Rating.EASY, None)

    def true_false(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.CHOOSING
        assert button_texts(reviewer) == ["1.  True", "2.  False"]
        press(self.qtbot, "2")
        grades_ready(reviewer)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        assert marks(reviewer) == {"True": "", "False   ✓": "right"}
        assert proposed(reviewer) is Rating.GOOD
        self.grade("4", Rating.EASY, "False")  # 1-4 override the proposal

    def multiple_choice(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.CHOOSING
        before = button_texts(reviewer)
        if showing == 1:
            press(self.qtbot, number_of(reviewer, "SGD"))
            grades_ready(reviewer)
            assert "✗ Not quite" in feedback(reviewer)
            assert "You picked: SGD" in feedback(reviewer)
            assert marks(reviewer) == {
                "SGD   ✗": "wrong",
                "Adam   ✓": "right",
                "RMSprop": "",
                "Adagrad": "",
            }
            assert proposed(reviewer) is Rating.AGAIN
            self.grade(Qt.Key.Key_Return, Rating.AGAIN, "SGD")  # Enter takes the proposal
            self.undo_shows_the_same(before)
            return
        press(self.qtbot, number_of(reviewer, "Adam"))
        assert proposed(reviewer) is Rating.GOOD
        self.grade("4", Rating.EASY, "Adam")

    def undo_shows_the_same(self, before: list[str]) -> None:
        """Ctrl+Z takes the answer back: the same card, its choices in the same order."""
        answered = self.expected.pop()
        press(self.qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        self.undone = True
        assert self.card_id() == answered[0]
        assert self.reviewer.phase is Phase.CHOOSING
        assert button_texts(self.reviewer) == before
        assert self.reviewer.page.feedback_label.isHidden()
        self.seen["mc"] -= 1  # shown again as the first time: the loop answers it again
        # Answered again, and this time kept.
        press(self.qtbot, number_of(self.reviewer, "SGD"))
        self.grade(Qt.Key.Key_Space, Rating.AGAIN, "SGD")
        self.seen["mc"] += 1

    def several_answers(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.TICKING
        if showing == 1:
            press(self.qtbot, number_of(reviewer, "weights"))
            press(self.qtbot, Qt.Key.Key_Return)
            grades_ready(reviewer)
            assert "◐ Partly right (50%)" in feedback(reviewer)
            ticked = reviewer.page.choices.buttons[int(number_of(reviewer, "weights")) - 1]
            assert ticked.text().startswith("☑")
            assert marks(reviewer)["weights   ✓"] == "right"
            assert marks(reviewer)["biases   ✓ not ticked"] == "missed"
            assert proposed(reviewer) is Rating.AGAIN
            self.grade("2", Rating.HARD, "weights")  # the learner chooses Hard anyway
            return
        press(self.qtbot, number_of(reviewer, "weights"))
        press(self.qtbot, number_of(reviewer, "biases"))
        press(self.qtbot, Qt.Key.Key_Return)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        self.grade("4", Rating.EASY, "weights; biases")

    def typed(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.TYPING
        assert QApplication.focusWidget() is reviewer.page.answer_input
        type_in(self.qtbot, "Learning rate")
        press(self.qtbot, Qt.Key.Key_Return)
        grades_ready(reviewer)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        assert proposed(reviewer) is Rating.GOOD
        self.grade("4", Rating.EASY, "Learning rate")

    def typo(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.TYPING
        if showing == 1:
            type_in(self.qtbot, "Gogle")
            press(self.qtbot, Qt.Key.Key_Return)
            grades_ready(reviewer)
            typed, expected = feedback(reviewer).split("Expected:")
            assert "✗ Not quite" in typed
            assert "Gogle" in typed  # what was typed, not the right word
            assert "<u>o</u>" in expected
            assert "Google" not in typed
            assert proposed(reviewer) is Rating.AGAIN
            self.grade(Qt.Key.Key_Return, Rating.AGAIN, "Gogle")
            return
        type_in(self.qtbot, "google")
        press(self.qtbot, Qt.Key.Key_Return)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        self.grade("4", Rating.EASY, "google")

    def numeric(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.TYPING
        type_in(self.qtbot, "5.5e1")
        press(self.qtbot, Qt.Key.Key_Return)
        grades_ready(reviewer)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        assert reviewer.page.answer_label.text() == "55 parameters"
        self.grade("4", Rating.EASY, "5.5e1")

    def matching(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.MATCHING
        picks = ["opt", "reg", "reg"] if showing == 1 else ["opt", "act", "reg"]
        for combo, start in zip(reviewer.page.matching.combos, picks, strict=True):
            assert combo.hasFocus()
            type_in(self.qtbot, start)
            press(self.qtbot, Qt.Key.Key_Tab)
        press(self.qtbot, Qt.Key.Key_Return)
        grades_ready(reviewer)
        rows = reviewer.page.matching.verdict_texts()
        if showing == 1:
            assert "◐ Partly right (67%)" in feedback(reviewer)
            assert rows == ["right", "wrong; the right match is activation", "right"]
            assert proposed(reviewer) is Rating.AGAIN
            self.grade("3", Rating.GOOD, "2 of 3 matched")
            return
        assert rows == ["right"] * 3
        self.grade("4", Rating.EASY, "3 of 3 matched")

    def cloze(self, showing: int) -> None:
        page = self.reviewer.page
        assert page.question_label.text() == "A <b>[…]</b> scales an input."
        press(self.qtbot, Qt.Key.Key_Space)
        grades_ready(self.reviewer)
        assert "weight</span></b> scales" in page.answer_label.text()
        self.grade("4", Rating.EASY, None)

    def exercise_typed(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.TYPING
        question = reviewer.page.question_label.text()
        inputs = question.removeprefix("Parameters of nn.Linear(").split(",")[0]
        type_in(self.qtbot, inputs)
        press(self.qtbot, Qt.Key.Key_Return)
        grades_ready(reviewer)
        assert feedback(reviewer).endswith("✓ Correct</span>")
        assert reviewer.page.explanation_label.text() == f"One weight per input: {inputs}."
        self.grade("4", Rating.EASY, inputs)

    def exercise_choice(self, showing: int) -> None:
        reviewer = self.reviewer
        assert reviewer.phase is Phase.CHOOSING
        exercise = reviewer.current.exercise  # type: ignore[union-attr]
        assert exercise is not None
        labels = [text.split(".  ", 1)[1] for text in button_texts(reviewer)]
        assert labels == [choice.label for choice in exercise.choices]
        if showing == 1:
            wrong = next(c for c in exercise.choices if c.mistake == "forgot the biases")
            press(self.qtbot, number_of(reviewer, wrong.label))
            grades_ready(reviewer)
            assert "✗ Not quite" in feedback(reviewer)
            assert "That is what you get if you forgot the biases." in feedback(reviewer)
            assert marks(reviewer)[f"{wrong.label}   ✗"] == "wrong"
            self.grade(Qt.Key.Key_Return, Rating.AGAIN, wrong.label)
            return
        right = next(c for c in exercise.choices if c.correct)
        press(self.qtbot, number_of(reviewer, right.label))
        assert feedback(reviewer).endswith("✓ Correct</span>")
        self.grade("4", Rating.EASY, right.label)


def test_every_kind_by_keys_only_records_the_grades_chosen(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    script = Script(qtbot, window.reviewer)
    script.run()
    assert set(script.seen) == {
        "basic",
        "reversed",  # its second card is buried once the first is answered
        "tf",
        "mc",
        "mr",
        "typed",
        "typo",
        "numeric",
        "matching",
        "cloze",
        "count",
        "dense",
    }
    assert script.undone
    assert read_reviews(db_path) == script.expected
    summary = window.reviewer.summary.details.text()
    assert f"You answered {len(script.expected)} cards" in summary


def test_a_card_changed_elsewhere_leaves_a_notice_over_the_next_card(
    qtbot: QtBot, window: MainWindow, keys_app: App, db_path: Path
) -> None:
    reviewer = window.reviewer
    assert reviewer.current is not None
    on_screen = reviewer.current.card.id
    other = keys_app.study(None)  # another window on the same collection
    assert other.current is not None
    assert other.current.card.id == on_screen
    other.answer(Rating.EASY, 1000)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, "3")
    banner = reviewer.page.notice_label
    assert banner.isVisible()
    assert banner.text() == CARD_CHANGED
    assert [rating for card, rating, _ in read_reviews(db_path) if card == on_screen] == [4]
    press(qtbot, Qt.Key.Key_Space)  # the card after it…
    press(qtbot, "4")
    assert banner.isHidden()  # …has nothing to say


def test_the_notice_of_the_last_card_stays_with_the_summary(
    qtbot: QtBot, tmp_path: Path, clock: ManualClock
) -> None:
    bank = tmp_path / "one.yaml"
    bank.write_text(
        "quizapp_bank: 1\ndecks:\n  - name: One\n    notes:\n"
        "      - {id: only, front: What is a weight?, back: A learned factor.}\n",
        encoding="utf-8",
    )
    app = open_app(tmp_path / "one.db", clock=clock, rng=Random(2), seed_banks=[bank])
    try:
        window = build_main_window(
            app, argparse.Namespace(command="study", deck=None), application("dark")
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        app.study(None).answer(Rating.EASY, 1000)  # studied in another window meanwhile
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, "3")
        summary = window.reviewer.summary
        assert window.reviewer.phase is Phase.FINISHED
        assert summary.notice_label.isVisible()
        assert summary.notice_label.text() == CARD_CHANGED
        assert "Nothing is due" in summary.details.text()
        # The collection's history holds the answer given meanwhile; Ctrl+Z would take it back.
        assert summary.undo_button.text() == "Undo answer  (Ctrl+Z)"
    finally:
        window.close()
        app.close()
        application("light")
