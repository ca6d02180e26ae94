"""A real main window over a small collection, driven by keys."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from quizapp.bootstrap import App
from quizapp.gui.app import application, build_main_window
from quizapp.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def settings_in_tmp(tmp_path: Path) -> Path:
    """Where ``QSettings()`` reads and writes during a test: never the user's own settings."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def window(qtbot: QtBot, small_app: App) -> MainWindow:
    """The main window on the deck list, shown and focused."""
    qt_app = application("light")
    main = build_main_window(small_app, argparse.Namespace(command=None, deck=None), qt_app)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    return main


@pytest.fixture
def reviews(db_path: Path) -> Callable[[], list[tuple[int, int, str | None]]]:
    """Read the review log as another program would: (card, rating, answer) per answer."""

    def read() -> list[tuple[int, int, str | None]]:
        with sqlite3.connect(db_path) as connection:
            return connection.execute(
                "SELECT card_id, rating, answer FROM reviews ORDER BY id"
            ).fetchall()

    return read
