"""The one place an exception becomes a dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.errors import QuizAppError

log = logging.getLogger("quizapp")

UNEXPECTED = "Something went wrong inside QuizApp"


def error_box(parent: QWidget | None, message: str, title: str = "QuizApp") -> QMessageBox:
    """A critical message box with ``message``, not yet shown."""
    box = QMessageBox(
        QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorDialog")
    box.setAccessibleName("Error")
    return box


def show_error(parent: QWidget | None, error: QuizAppError) -> None:
    """Show an expected error's sentence and wait for the user to close it."""
    error_box(parent, error.user_message).exec()


def report_bug(error: BaseException) -> None:
    """Hand an unexpected exception, with its traceback, to the bug reporter.

    It goes through ``sys.excepthook``, as an exception in a slot does, so the one
    installed :class:`BugReporter` sees both (and a test runner sees them as failures).
    """
    sys.excepthook(type(error), error, error.__traceback__)


def report_failure(error: BaseException, show_sentence: Callable[[str], None]) -> None:
    """A background task's failure: an expected error's sentence goes to ``show_sentence``
    (the dialog that waited); anything else is a bug, reported with its traceback, and the
    dialog says so in a sentence."""
    if isinstance(error, QuizAppError):
        show_sentence(error.user_message)
        return
    show_sentence(f"{UNEXPECTED} ({type(error).__name__}: {error}). Nothing was changed.")
    report_bug(error)


class BugReporter:
    """Logs unexpected exceptions with their traceback and shows each kind once.

    ``show`` runs a prepared message box (``QMessageBox.exec`` unless a test says otherwise).
    """

    def __init__(self, show: Callable[[QMessageBox], object] = QMessageBox.exec) -> None:
        self._shown: set[str] = set()
        self._show = show

    def install(self) -> None:
        """Become ``sys.excepthook``, which Qt calls for exceptions in slots."""
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        """Give ``sys.excepthook`` back to Python, before the window goes away."""
        if sys.excepthook == self.handle:
            sys.excepthook = sys.__excepthook__

    def handle(
        self,
        kind: type[BaseException],
        value: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """Report one exception."""
        if isinstance(value, QuizAppError):
            self._show(error_box(None, value.user_message))
            return
        text = "".join(traceback.format_exception(kind, value, trace))
        log.error("Unexpected error:\n%s", text)
        print(text, file=sys.stderr)
        key = f"{kind.__name__}: {value}"
        if key in self._shown:
            return
        self._shown.add(key)
        box = error_box(
            None,
            f"{UNEXPECTED}. Your answers so far are saved.\n\n{kind.__name__}: {value}",
            "QuizApp — unexpected error",
        )
        box.setDetailedText(text)
        self._show(box)
