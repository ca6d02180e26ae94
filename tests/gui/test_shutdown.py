"""A long session ends cleanly: Ctrl+Q exits with status 0 and nothing on stderr.

Issue 8 saw ``Fatal Python error: bool_dealloc: deallocating True or False`` at exit
after a long session.  The cause was PySide6 6.12.0 on Python 3.11: every
``Signal.emit()`` from Python dropped a reference to ``True``, and every call of a
method returning nothing (``setText``) or of a Python slot from Qt dropped one to
``None``, so after some thousands of answers the interpreter freed ``True`` or ``None``
itself while collecting at exit.  pyproject.toml excludes that release; these tests
catch it, or another like it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.conftest import DATA


class _Sender(QObject):
    ping = Signal()
    flag = Signal(bool)


def test_calls_between_python_and_qt_keep_their_references_to_true_and_none(
    qtbot: QtBot,
) -> None:
    sender = _Sender()
    received: list[bool] = []
    sender.flag.connect(received.append)
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(500):
        sender.ping.emit()
        sender.flag.emit(False)
        label.setText("x")
    lost_true = before[0] - sys.getrefcount(True)
    lost_none = before[1] - sys.getrefcount(None)
    assert received == [False] * 500
    message = (
        f"PySide6 {PySide6.__version__} drops references to True ({lost_true}) and None "
        f"({lost_none}) in 1,500 calls: a long session would end in a fatal error at exit"
    )
    assert lost_true < 50, message
    assert lost_none < 50, message


# The child runs the real app on the offscreen platform and drives it by keys: answers
# of every kind, chains of undos, a `quizapp import` into the open database, a return
# to the deck list and a new session, then Ctrl+Q while that session's housekeeping
# may still run.  It checks itself that True kept its references over the session.
CHILD = r"""
import random, subprocess, sys
from pathlib import Path
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from quizapp.__main__ import main
from quizapp.gui.app import application
from quizapp.gui.main_window import MainWindow
from quizapp.gui.review_view import Phase

db, bank, steps = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = random.Random(8)
state = {"step": 0, "import": None, "refs": None, "undone": 0, "answered": 0}

def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

def key(k, mod=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(QApplication.focusWidget() or window(), k, mod)

def act(w):
    r = w.reviewer
    if w.pages.currentWidget() is w.deck_list:
        key(Qt.Key.Key_Return)
    elif rng.random() < 0.15 and r.session is not None and r.session.can_undo:
        for _ in range(rng.randint(1, 4)):
            key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            state["undone"] += 1
    elif r.phase is Phase.QUESTION:
        key(Qt.Key.Key_Space)
    elif r.phase is Phase.TYPING:
        QTest.keyClicks(QApplication.focusWidget(), str(rng.randint(1, 99)))
        key(Qt.Key.Key_Return)
    elif r.phase is Phase.CHOOSING:
        key(str(rng.randint(1, 2)))
    elif r.phase in (Phase.TICKING, Phase.MATCHING):
        key(Qt.Key.Key_Return)
    elif r.phase is Phase.ANSWER:
        key(str(rng.randint(1, 4)) if rng.random() < 0.5 else Qt.Key.Key_Return)
        state["answered"] += 1
    else:
        key(Qt.Key.Key_Escape)

def step():
    w, n = window(), state["step"]
    state["step"] += 1
    if n == 0:
        w.activateWindow()
        QTest.qWaitForWindowActive(w)
    if n == 40:
        state["refs"] = sys.getrefcount(True)
    if n == steps // 2:  # the learner pauses while a terminal imports into the same file
        imported = subprocess.run(
            [sys.executable, "-m", "quizapp", "--db", str(db), "import", bank],
            capture_output=True, text=True, timeout=120)
        print("import", imported.returncode, imported.stderr.strip(), flush=True)
        key(Qt.Key.Key_Escape)  # the deck list reads the new deck
    if n < steps:
        act(w)
        QTimer.singleShot(0, step)
        return
    lost = state["refs"] - sys.getrefcount(True)
    if lost > 100:
        print(f"True lost {lost} references over the session", file=sys.stderr, flush=True)
    print(f"answered {state['answered']} undone {state['undone']}", flush=True)
    key(Qt.Key.Key_Escape)
    key(Qt.Key.Key_Return)  # a new session: its exercises are prepared in the background
    key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

application("light")
QTimer.singleShot(0, step)
sys.exit(main(["--db", str(db), "--theme", "light"]))
"""


@pytest.mark.slow
def test_a_long_session_with_undos_and_an_outside_import_quits_cleanly(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # not the user's own settings
    }
    environment.pop("QUIZAPP_DB", None)
    db = tmp_path / "session.db"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(DATA / "small-bank.yaml"), "400"],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard: the session takes seconds
        env=environment,
        check=False,
    )
    assert child.stderr == ""
    assert child.returncode == 0
    lines = child.stdout.splitlines()
    assert "import 0 " in lines[0] or lines[0] == "import 0"
    answered, undone = (int(word) for word in lines[-1].split()[1::2])
    assert answered > 100
    assert undone > 10
