"""How a card looks and moves: ticks that show, long cards that scroll, a bar that stays put."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App, bundled_path, open_app
from quizapp.domain import Rating
from quizapp.gui.app import application, build_main_window
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.gui.theme import DARK, LIGHT, Colors
from quizapp.services import ManualClock
from tests.conftest import DATA

LONG_TYPED = """\
quizapp_bank: 1
id: long
title: A long typed card and a long matching card
decks:
  - name: Long
    notes:
      - id: typed
        kind: typed
        question: "{question}"
        answer: learning rate
      - id: matching
        kind: matching
        question: "{question}"
        pairs: [[SGD, optimizer], [ReLU, activation], [dropout, regularizer]]
"""


def _open(db_path: Path, clock: ManualClock, *banks: Path) -> App:
    return open_app(db_path, clock=clock, rng=Random(11), seed_banks=list(banks))


@pytest.fixture
def kinds_app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    app = _open(db_path, clock, DATA / "every-kind.yaml")
    yield app
    app.close()


@pytest.fixture
def exercises_app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    app = _open(db_path, clock, bundled_path("data", "ml-exercises.yaml"))
    yield app
    app.close()


@pytest.fixture
def long_app(tmp_path: Path, db_path: Path, clock: ManualClock) -> Iterator[App]:
    lines = " ".join(f"Line {n} of a long question about learning rates." for n in range(60))
    bank = tmp_path / "long.yaml"
    bank.write_text(LONG_TYPED.format(question=lines), encoding="utf-8")
    app = _open(db_path, clock, bank)
    yield app
    app.close()


def _study(
    qtbot: QtBot, app: App, scheme: str = "light", size: tuple[int, int] = (1040, 720)
) -> MainWindow:
    arguments = argparse.Namespace(command="study", deck=None)
    window = build_main_window(app, arguments, application(scheme))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _go_to(reviewer: ReviewView, guid: str) -> None:
    """Answer Easy until the note ``guid`` is on screen."""
    assert reviewer.session is not None
    for _ in range(40):
        current = reviewer.current
        assert current is not None, f"{guid} never came up"
        if current.note.guid.endswith(guid):
            reviewer.show_current()
            return
        reviewer.session.answer(Rating.EASY, 1000)
    raise AssertionError(guid)


def _press(qtbot: QtBot, key: Qt.Key | str) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key)


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param
    application("light")


def test_a_ticked_choice_looks_ticked_and_says_so(
    qtbot: QtBot, kinds_app: App, scheme: str
) -> None:
    window = _study(qtbot, kinds_app, scheme)
    reviewer = window.reviewer
    _go_to(reviewer, "/mr")
    assert reviewer.phase is Phase.TICKING
    first, second = reviewer.page.choices.buttons[:2]
    assert reviewer.current is not None
    one, two = reviewer.current.presentation.choices[:2]  # in the order shown
    unticked = first.grab().toImage()
    assert first.text() == f"☐  1.  {one}"

    _press(qtbot, "1")

    assert first.text() == f"☑  1.  {one}"
    assert second.text() == f"☐  2.  {two}"
    assert first.grab().toImage() != unticked  # it looks different on screen
    state = QAccessible.queryAccessibleInterface(first).state()
    assert state.checkable
    assert state.checked
    assert not QAccessible.queryAccessibleInterface(second).state().checked

    _press(qtbot, "1")  # untick

    assert first.text() == f"☐  1.  {one}"
    assert first.grab().toImage() == unticked
    assert not QAccessible.queryAccessibleInterface(first).state().checked


def _viewport_rect(scroll: QScrollArea, widget: QWidget) -> QRect:
    """Where ``widget`` is, in the scroll area's viewport."""
    top_left = widget.mapTo(scroll.viewport(), QPoint(0, 0))
    return QRect(top_left, widget.size())


def _fully_on_screen(window: MainWindow, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1040, 720), (720, 520)])
def test_a_long_exercise_scrolls_by_keyboard_and_keeps_its_buttons_in_sight(
    qtbot: QtBot, exercises_app: App, size: tuple[int, int]
) -> None:
    window = _study(qtbot, exercises_app, size=size)
    reviewer, page = window.reviewer, window.reviewer.page
    _go_to(reviewer, "/transformer_encoder_layer")
    _press(qtbot, "1")
    assert reviewer.phase is Phase.ANSWER
    scroll = page.card_scroll
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # once laid out: taller than the window
    proposed = page.grade_buttons[reviewer.proposed or Rating.GOOD]
    assert proposed.property("proposed") is True
    assert _fully_on_screen(window, proposed)
    # The verdict is brought into view once the answer shows.
    qtbot.waitUntil(
        lambda: scroll.viewport().rect().intersects(_viewport_rect(scroll, page.feedback_label))
    )

    _press(qtbot, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    explanation = _viewport_rect(scroll, page.explanation_label)
    assert scroll.viewport().rect().contains(explanation)  # nothing clipped at the bottom
    _press(qtbot, Qt.Key.Key_Home)
    assert bar.value() == 0
    assert scroll.viewport().rect().contains(_viewport_rect(scroll, page.question_label))
    _press(qtbot, Qt.Key.Key_PageDown)
    assert bar.value() == min(bar.pageStep(), bar.maximum())
    _press(qtbot, Qt.Key.Key_PageUp)
    assert bar.value() == 0
    _press(qtbot, Qt.Key.Key_Down)
    assert bar.value() == bar.singleStep()
    _press(qtbot, Qt.Key.Key_Up)
    assert bar.value() == 0
    assert _fully_on_screen(window, proposed)
    _press(qtbot, Qt.Key.Key_End)
    _press(qtbot, Qt.Key.Key_Return)  # the next card starts at its top
    assert bar.value() == 0


def test_the_grade_buttons_stay_in_sight_at_the_smallest_window(
    qtbot: QtBot, exercises_app: App
) -> None:
    window = _study(qtbot, exercises_app, size=(720, 520))
    assert window.size().toTuple() == (720, 520)
    reviewer, page = window.reviewer, window.reviewer.page
    _go_to(reviewer, "/mlp")
    assert reviewer.phase is Phase.TYPING
    qtbot.keyClicks(page.answer_input, "7")
    qtbot.keyClick(page.answer_input, Qt.Key.Key_Return)
    for button in page.grade_buttons.values():
        assert _fully_on_screen(window, button)
    assert not page.card_scroll.isAncestorOf(page.grades)


def test_a_long_card_scrolls_while_the_answer_box_has_the_focus(
    qtbot: QtBot, long_app: App
) -> None:
    window = _study(qtbot, long_app, size=(720, 520))
    reviewer, page = window.reviewer, window.reviewer.page
    assert reviewer.phase is Phase.TYPING
    bar = page.card_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    qtbot.keyClicks(page.answer_input, "learn")
    for key, where in (
        (Qt.Key.Key_End, bar.maximum),
        (Qt.Key.Key_Home, lambda: 0),
        (Qt.Key.Key_PageDown, bar.pageStep),
        (Qt.Key.Key_PageUp, lambda: 0),
        (Qt.Key.Key_Down, bar.singleStep),
        (Qt.Key.Key_Up, lambda: 0),
    ):
        _press(qtbot, key)
        assert bar.value() == where(), key
        assert page.answer_input.hasFocus()
    assert page.answer_input.text() == "learn"  # the keys did not go to the text
    _press(qtbot, Qt.Key.Key_End)
    qtbot.keyClicks(page.answer_input, "ing rate")
    qtbot.keyClick(page.answer_input, Qt.Key.Key_Return)
    assert "Correct" in page.feedback_label.text()


def test_matching_rows_keep_up_and_down_while_pages_scroll(qtbot: QtBot, long_app: App) -> None:
    window = _study(qtbot, long_app, size=(720, 520))
    reviewer, page = window.reviewer, window.reviewer.page
    _go_to(reviewer, "/matching")
    assert reviewer.phase is Phase.MATCHING
    combo = page.matching.combos[0]
    assert combo.hasFocus()
    bar = page.card_scroll.verticalScrollBar()
    _press(qtbot, Qt.Key.Key_Down)
    assert combo.currentIndex() == 1  # the row's list moved, not the card
    assert bar.value() == 0
    _press(qtbot, Qt.Key.Key_PageDown)
    assert bar.value() == bar.pageStep()


def test_the_bottom_bar_sits_at_one_height_from_the_first_card_on(
    qtbot: QtBot, kinds_app: App
) -> None:
    window = _study(qtbot, kinds_app)
    reviewer, page = window.reviewer, window.reviewer.page
    assert reviewer.phase is Phase.QUESTION  # the first card, before any answer was shown
    first = page.show_answer_button.mapTo(window, QPoint(0, 0))
    bar = page.bottom.geometry()
    _press(qtbot, Qt.Key.Key_Space)
    _press(qtbot, "3")
    assert reviewer.phase is Phase.QUESTION  # the second card
    assert page.show_answer_button.mapTo(window, QPoint(0, 0)) == first
    assert page.bottom.geometry() == bar


@pytest.mark.parametrize(("name", "colors"), [("light", LIGHT), ("dark", DARK)])
def test_a_scroll_bars_handle_stands_out_from_its_groove(
    qtbot: QtBot, name: str, colors: Colors
) -> None:
    application(name)
    try:
        scroll = QScrollArea()
        qtbot.addWidget(scroll)
        scroll.setWidget(QLabel("\n".join(f"line {n}" for n in range(200))))
        scroll.resize(300, 200)
        scroll.show()
        qtbot.waitExposed(scroll)
        bar = scroll.verticalScrollBar()
        image = bar.grab().toImage()
        x = image.width() // 2
        handle = image.pixelColor(x, 10)  # the handle sits at the top
        groove = image.pixelColor(x, image.height() - 4)
        assert handle == QColor(colors.handle)
        assert groove == QColor(colors.groove)
        if name == "light":
            assert handle.lightness() < groove.lightness()
        else:
            assert handle.lightness() > groove.lightness()
    finally:
        application("light")
