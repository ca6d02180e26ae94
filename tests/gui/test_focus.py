"""The answer box has the keyboard focus on every card typed into, from the very first."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import NoteKind
from quizapp.gui.app import application, build_main_window
from quizapp.gui.main_window import MainWindow
from quizapp.services import ManualClock

# Typed, numeric and exercise cards, in the order a session shows them.
TYPED_FIRST = """\
quizapp_bank: 1
id: focus
title: Cards answered by typing
decks:
  - name: Typing
    notes:
      - {id: typed, kind: typed, question: "Which hyperparameter scales a step?",
         answer: learning rate}
      - {id: numeric, kind: numeric, question: "Parameters of nn.Linear(10, 5)?", answer: 55}
      - id: dense
        kind: exercise
        variables:
          - {name: n, integer: [2, 9]}
        question: "Parameters of nn.Linear({n}, 1, bias=False)?"
        answer: "n"
        explanation: "One weight per input: {n}."
"""


@pytest.fixture
def typing_app(tmp_path: Path, db_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "typing.yaml"
    bank.write_text(TYPED_FIRST, encoding="utf-8")
    app = open_app(db_path, clock=clock, rng=Random(5), seed_banks=[bank])
    yield app
    app.close()


def _window(qtbot: QtBot, app: App, command: str | None) -> MainWindow:
    arguments = argparse.Namespace(command=command, deck=None)
    window = build_main_window(app, arguments, application("light"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def _press(qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier | None = None) -> None:
    target = _focused()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


def _type_answer(qtbot: QtBot, text: str) -> None:
    """Type as a learner does: into whatever has the focus, with no click first."""
    target = _focused()
    assert target is not None
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def test_the_first_card_of_quizapp_study_takes_typing_once_the_window_shows(
    qtbot: QtBot, typing_app: App
) -> None:
    window = _window(qtbot, typing_app, "study")
    answer_box = window.reviewer.page.answer_input
    qtbot.waitUntil(lambda: _focused() is answer_box)
    _type_answer(qtbot, "learning rate")
    assert "Correct" in window.reviewer.page.feedback_label.text()


def test_every_typed_numeric_and_exercise_card_takes_typing_at_once(
    qtbot: QtBot, typing_app: App
) -> None:
    window = _window(qtbot, typing_app, None)
    assert _focused() is window.deck_list.tree
    _press(qtbot, Qt.Key.Key_Return)  # study the deck: its first card is typed
    reviewer = window.reviewer
    kinds = []
    for _ in range(3):
        assert reviewer.current is not None
        kinds.append(reviewer.current.note.kind)
        assert _focused() is reviewer.page.answer_input, kinds[-1]
        _type_answer(qtbot, "55")
        _press(qtbot, "4")  # Easy: the next card
    assert kinds == [NoteKind.TYPED, NoteKind.NUMERIC, NoteKind.EXERCISE]


def test_undo_and_a_return_from_the_deck_list_give_the_answer_box_the_focus_back(
    qtbot: QtBot, typing_app: App
) -> None:
    window = _window(qtbot, typing_app, "study")
    reviewer = window.reviewer
    qtbot.waitUntil(lambda: _focused() is reviewer.page.answer_input)
    _type_answer(qtbot, "lr")
    _press(qtbot, "4")
    assert reviewer.current is not None
    assert reviewer.current.note.kind is NoteKind.NUMERIC
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reviewer.current.note.kind is NoteKind.TYPED
    assert _focused() is reviewer.page.answer_input

    _press(qtbot, Qt.Key.Key_Escape)  # to the deck list…
    assert window.pages.currentWidget() is window.deck_list
    assert _focused() is window.deck_list.tree
    _press(qtbot, Qt.Key.Key_Return)  # …and back to studying
    assert window.pages.currentWidget() is reviewer
    assert _focused() is reviewer.page.answer_input
    _type_answer(qtbot, "learning rate")
    assert "Correct" in reviewer.page.feedback_label.text()
