"""Starting the desktop app: QApplication, theme, collection, main window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QEvent, QSettings
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


def build_main_window(
    app: App,
    arguments: argparse.Namespace,
    qt_app: QApplication,
    settings: QSettings | None = None,
) -> MainWindow:
    """The main window over ``app``, opened on the deck list or the reviewer; it remembers
    its state in ``settings`` (the user's QSettings when None)."""
    from quizapp.gui.theme import current_colors

    window = MainWindow(app, current_colors(qt_app), app_icon(), settings)
    if arguments.command == "study":
        deck = app.decks.find(arguments.deck) if arguments.deck else None
        window.study(deck)
    else:
        window.show_decks()
    return window


def run_gui(arguments: argparse.Namespace) -> int:
    """Open the window and run until it is closed; 1 if the collection cannot be opened."""
    qt_app = application(arguments.theme)
    reporter = BugReporter()
    reporter.install()
    try:
        return _run_window(arguments, qt_app)
    finally:
        # Python's own hook again before the interpreter winds down without a window.
        reporter.uninstall()


def _run_window(arguments: argparse.Namespace, qt_app: QApplication) -> int:
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
    status = qt_app.exec()
    # The window (and its views, timers and tasks) goes before Python's finalization does.
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return status
