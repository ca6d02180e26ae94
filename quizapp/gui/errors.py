"""The one place an exception becomes a dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.errors import QuizAppError

log = logging.getLogger("quizapp")


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


class BugReporter:
    """Logs unexpected exceptions with their traceback and shows each kind once."""

    def __init__(self) -> None:
        self._shown: set[str] = set()

    def install(self) -> None:
        """Become ``sys.excepthook``, which Qt calls for exceptions in slots."""
        sys.excepthook = self.handle

    def handle(
        self,
        kind: type[BaseException],
        value: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """Report one exception."""
        if isinstance(value, QuizAppError):
            show_error(None, value)
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
            "Something went wrong inside QuizApp. Your answers so far are saved.\n\n"
            f"{kind.__name__}: {value}",
            "QuizApp — unexpected error",
        )
        box.setDetailedText(text)
        box.exec()
