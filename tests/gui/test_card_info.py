"""Card Info (Ctrl+Shift+I in the browser): the card's state, its source and every answer."""

from __future__ import annotations

import argparse
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, open_app
from quizapp.domain import NoteKind, Rating
from quizapp.gui.app import application, build_main_window
from quizapp.gui.card_info_dialog import CardInfoDialog, facts
from quizapp.gui.main_window import MainWindow
from quizapp.services import ManualClock
from tests.conftest import DATA
from tests.gui.browser_helpers import open_browser, search

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def every_kind_app(tmp_path: Path, clock: ManualClock) -> App:
    app = open_app(
        tmp_path / "kinds.db", clock=clock, rng=Random(3), seed_banks=[DATA / "every-kind.yaml"]
    )
    yield app  # type: ignore[misc]
    app.close()


@pytest.fixture
def kinds_window(qtbot: QtBot, every_kind_app: App) -> MainWindow:
    main = build_main_window(
        every_kind_app, argparse.Namespace(command=None, deck=None), application("light")
    )
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    return main


def _answer_the_exercise(app: App) -> tuple[int, dict[str, object]]:
    session = app.study(None)
    while session.current is not None and session.current.note.kind is not NoteKind.EXERCISE:
        app.cards.bury([session.current.card.id])
        session.refresh()
    assert session.current is not None
    card_id = session.current.card.id
    exercise = session.current.exercise
    assert exercise is not None
    values = dict(exercise.stored_values())
    session.answer(Rating.HARD, 12_300, given_answer="4242")
    return card_id, values


def info_dialog(qtbot: QtBot, window: MainWindow) -> CardInfoDialog:
    browser = window.browser
    assert browser is not None
    qtbot.keyClick(browser.table, Qt.Key.Key_I, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(getattr(browser, "info_dialog", None), CardInfoDialog))
    dialog = browser.info_dialog
    assert isinstance(dialog, CardInfoDialog)
    return dialog


def test_card_info_lists_each_answer_with_the_values_shown_and_the_answer_given(
    qtbot: QtBot, kinds_window: MainWindow, every_kind_app: App
) -> None:
    card_id, values = _answer_the_exercise(every_kind_app)
    browser = open_browser(qtbot, kinds_window)
    search(qtbot, browser, f"cid:{card_id}")
    browser.table.setFocus()

    dialog = info_dialog(qtbot, kinds_window)

    text = dialog.text.toPlainText()
    assert dialog.info.card.id == card_id
    assert "Parameters of nn.Linear(" in text
    for label in ("Deck", "State", "Due", "Stability", "Difficulty", "Retrievability now"):
        assert label in text
    assert ("Reviews", "1") in facts(dialog.info)
    assert "every-kind.yaml (yaml)" in text
    assert "Hard" in text  # the grade
    assert "12.3 s" in text  # the time taken
    assert "Answered: 4242" in text
    assert f"in_features = {values['in_features']}" in text
    assert "First review" in text
    assert "Not reviewed yet." not in text
    dialog.close()


def test_card_info_of_a_new_card_says_it_is_new(qtbot: QtBot, kinds_window: MainWindow) -> None:
    browser = open_browser(qtbot, kinds_window)
    browser.table.setFocus()

    dialog = info_dialog(qtbot, kinds_window)

    text = dialog.text.toPlainText()
    assert "New" in text
    assert "in the new queue" in text
    assert "Not reviewed yet." in text
    with qtbot.waitSignal(dialog.destroyed):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
