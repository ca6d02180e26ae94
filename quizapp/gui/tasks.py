"""Running work off the UI thread: one small helper that reports success, failure and progress."""

from __future__ import annotations

import contextlib
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
    failed = Signal(str)  # a sentence for the user
    progressed = Signal(str, float)  # stage, fraction done


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: TaskSignals) -> None:
        super().__init__()
        self._work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except QuizAppError as error:
            self._emit(self.signals.failed, error.user_message)
        except Exception as error:
            log.error("Unexpected error in a background task:\n%s", traceback.format_exc())
            self._emit(
                self.signals.failed,
                f"Something went wrong inside QuizApp ({type(error).__name__}: {error}). "
                "Nothing was changed.",
            )
        else:
            self._emit(self.signals.succeeded, result)

    def _progress(self, stage: str, fraction: float) -> None:
        self._emit(self.signals.progressed, stage, fraction)

    @staticmethod
    def _emit(signal: Any, *values: Any) -> None:
        # The window that waited for this may have closed meanwhile: nobody is listening.
        with contextlib.suppress(RuntimeError):
            signal.emit(*values)


class BackgroundTask(TaskSignals):
    """``work(progress)`` to run on Qt's thread pool: connect the signals, then :meth:`start`."""

    def __init__(self, work: Callable[[Progress], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._work = work

    def start(self) -> None:
        """Start the work; its signals arrive on the UI thread."""
        QThreadPool.globalInstance().start(_Runnable(self._work, self))
