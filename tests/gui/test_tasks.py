"""Background work: an expected failure's sentence where the user waited, a bug to the reporter."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.errors import EnvironmentProblem
from quizapp.gui.errors import BugReporter, report_failure
from quizapp.gui.tasks import BackgroundTask, Progress


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """The message boxes the installed bug reporter would show, instead of showing them."""
    shown: list[QMessageBox] = []
    reporter = BugReporter(show=shown.append)
    monkeypatch.setattr(sys, "excepthook", reporter.handle)
    return shown


def _run(qtbot: QtBot, work: object) -> BaseException:
    owner = QLabel()
    qtbot.addWidget(owner)
    task = BackgroundTask(work, owner)  # type: ignore[arg-type]
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        task.start()
    error = failed.args[0]
    assert isinstance(error, BaseException)
    return error


def _locked(progress: Progress) -> None:
    raise EnvironmentProblem("The database is locked by another program.")


def _bug(progress: Progress) -> None:
    progress("half way", 0.5)
    {}["missing"]


def test_an_expected_failure_carries_its_sentence_to_the_dialog_that_waited(
    qtbot: QtBot, boxes: list[QMessageBox]
) -> None:
    error = _run(qtbot, _locked)
    assert isinstance(error, EnvironmentProblem)
    status = QLabel()
    report_failure(error, status.setText)
    assert status.text() == "The database is locked by another program."
    assert boxes == []  # not a bug: no bug report


def test_a_bug_in_a_task_reaches_the_bug_reporter_with_its_traceback(
    qtbot: QtBot, boxes: list[QMessageBox], capsys: pytest.CaptureFixture[str]
) -> None:
    error = _run(qtbot, _bug)
    assert isinstance(error, KeyError)
    status = QLabel()
    report_failure(error, status.setText)
    assert "Something went wrong inside QuizApp (KeyError: 'missing')" in status.text()
    (box,) = boxes
    assert "KeyError: 'missing'" in box.text()
    trace = box.detailedText()
    assert "Traceback (most recent call last)" in trace
    assert "in _bug" in trace  # the frame in the worker thread where it happened
    assert "in _bug" in capsys.readouterr().err
    report_failure(error, status.setText)
    assert len(boxes) == 1  # the same bug is shown once
