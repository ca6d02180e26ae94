"""Running work off the UI thread: one small helper that reports success, failure and progress."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from quizapp.errors import QuizAppError

log = logging.getLogger("quizapp")

Progress = Callable[[str, float], None]


class TaskSignals(QObject):
    """What a background task reports, delivered on the UI thread."""

    succeeded = Signal(object)
    # The exception itself: a QuizAppError's sentence is shown where the user waited,
    # anything else goes to the bug reporter with its traceback (errors.report_failure).
    failed = Signal(object)
    progressed = Signal(str, float)  # stage, fraction done


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: TaskSignals) -> None:
        super().__init__()
        self._work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Exception as error:
            if not self._emit(self.signals.failed, error) and not isinstance(error, QuizAppError):
                text = "".join(traceback.format_exception(error))
                log.error("Unexpected error in a background task nobody waits for:\n%s", text)
        else:
            self._emit(self.signals.succeeded, result)

    def _progress(self, stage: str, fraction: float) -> None:
        self._emit(self.signals.progressed, stage, fraction)

    @staticmethod
    def _emit(signal: Any, *values: Any) -> bool:
        # The window that waited for this may have closed meanwhile: nobody is listening.
        try:
            signal.emit(*values)
        except RuntimeError:
            return False
        return True


class BackgroundTask(TaskSignals):
    """``work(progress)`` to run on Qt's thread pool: connect the signals, then :meth:`start`."""

    def __init__(self, work: Callable[[Progress], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._work = work

    def start(self) -> None:
        """Start the work; its signals arrive on the UI thread."""
        QThreadPool.globalInstance().start(_Runnable(self._work, self))


def wait_for_background_tasks(timeout_ms: int = 30_000) -> bool:
    """Block until every started task has finished (before the database closes)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
