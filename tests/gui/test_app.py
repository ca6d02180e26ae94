"""Starting the app: errors in a dialog, study straight away, light and dark palettes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App
from quizapp.gui.app import application, build_main_window, run_gui
from quizapp.gui.theme import DARK, LIGHT, Colors, apply_theme

DialogTexts = list[str]


def _close_dialogs_as_they_open(found: DialogTexts) -> QTimer:
    """Record and close every message box the app opens (they are modal)."""

    def close_open_boxes() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                found.append(widget.text())
                widget.accept()

    timer = QTimer()
    timer.timeout.connect(close_open_boxes)
    timer.start(20)
    return timer


def _arguments(db: Path, command: str | None = None, deck: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(db=db, command=command, deck=deck, theme="light")


def test_a_broken_database_is_explained_in_a_dialog(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00not sqlite at all" * 64)
    shown: DialogTexts = []
    timer = _close_dialogs_as_they_open(shown)
    exit_code = run_gui(_arguments(broken))
    timer.stop()
    assert exit_code == 1
    assert len(shown) == 1
    assert "not a QuizApp database" in shown[0]
    assert str(broken) in shown[0]
    assert shown[0] in capsys.readouterr().err  # the same sentence on stderr


def test_study_command_opens_straight_into_the_reviewer(qtbot: QtBot, small_app: App) -> None:
    window = build_main_window(
        small_app, _arguments(small_app.database.path, "study"), application("light")
    )
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.reviewer
    assert window.reviewer.current is not None


def test_study_command_with_a_deck_studies_only_that_deck(qtbot: QtBot, small_app: App) -> None:
    arguments = _arguments(small_app.database.path, "study", "Test::Counting")
    window = build_main_window(small_app, arguments, application("light"))
    qtbot.addWidget(window)
    assert window.reviewer.current is not None
    assert window.reviewer.current.deck_name == "Test::Counting"
    assert window.reviewer.page.deck_label.text() == "Test::Counting"


def _contrast(first: QColor, second: QColor) -> float:
    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("scheme", "colors"), [("light", LIGHT), ("dark", DARK)])
def test_palettes_are_readable(qtbot: QtBot, scheme: str, colors: Colors) -> None:
    qt_app = application(scheme)
    palette = qt_app.palette()
    window = palette.color(QPalette.ColorRole.Window)
    assert window == QColor(colors.window)
    assert _contrast(palette.color(QPalette.ColorRole.WindowText), window) >= 7
    assert (
        _contrast(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base))
        >= 7
    )
    for accent in (
        colors.muted,
        colors.new,
        colors.learning,
        colors.due,
        colors.again,
        colors.hard,
        colors.good,
        colors.easy,
        colors.right,
        colors.wrong,
    ):
        for background in (colors.surface, colors.window):  # cards, and the counts above them
            assert _contrast(QColor(accent), QColor(background)) >= 4.5, (accent, background)
    apply_theme(qt_app, "light")


def test_dark_and_light_differ(qtbot: QtBot) -> None:
    qt_app = application("dark")
    dark = qt_app.palette().color(QPalette.ColorRole.Window)
    apply_theme(qt_app, "light")
    light = qt_app.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < 80 < 200 < light.lightness()
