"""Starting the desktop app: QApplication, theme, collection, main window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from quizapp.bootstrap import APP_NAME, App, bundled_path, open_app
from quizapp.errors import QuizAppError
from quizapp.gui.errors import BugReporter, error_box
from quizapp.gui.main_window import MainWindow
from quizapp.gui.theme import apply_theme


def application(scheme: str = "system") -> QApplication:
    """The QApplication, created once, with our name and theme."""
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    qt_app.setOrganizationName("QuizApp")
    qt_app.setDesktopFileName("quizapp")
    apply_theme(qt_app, scheme)
    return qt_app


def app_icon() -> QIcon | None:
    """The window icon, or None when the bundled file is missing."""
    try:
        return QIcon(str(bundled_path("assets", "quizapp.svg")))
    except QuizAppError:
        return None


def build_main_window(app: App, arguments: argparse.Namespace, qt_app: QApplication) -> MainWindow:
    """The main window over ``app``, opened on the deck list or the reviewer."""
    from quizapp.gui.theme import current_colors

    window = MainWindow(app, current_colors(qt_app), app_icon())
    if arguments.command == "study":
        deck = app.decks.find(arguments.deck) if arguments.deck else None
        window.study(deck)
    else:
        window.show_decks()
    return window


def run_gui(arguments: argparse.Namespace) -> int:
    """Open the window and run until it is closed; 1 if the collection cannot be opened."""
    qt_app = application(arguments.theme)
    BugReporter().install()
    try:
        app = open_app(arguments.db)
    except QuizAppError as error:
        print(f"quizapp: {error.user_message}", file=sys.stderr)
        error_box(None, error.user_message).exec()
        return 1
    try:
        window = build_main_window(app, arguments, qt_app)
    except QuizAppError as error:
        app.close()
        print(f"quizapp: {error.user_message}", file=sys.stderr)
        error_box(None, error.user_message).exec()
        return 2
    window.show()
    return qt_app.exec()
