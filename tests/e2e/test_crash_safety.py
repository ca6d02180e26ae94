"""Nothing answered is lost when the process is killed outright."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# The child answers through the same service the GUI uses, reports each answer
# once it has returned (and so is committed), then waits to be killed.
CHILD = """
import sys
from pathlib import Path
from quizapp.bootstrap import open_app
from quizapp.domain import Rating

app = open_app(Path(sys.argv[1]))
session = app.study(None)
for number in range(1, int(sys.argv[2]) + 1):
    session.answer(Rating((number % 4) + 1), 1500)
    print(f"answered {number}", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("answers", [1, 7, 25])
def test_sigkill_after_n_answers_leaves_exactly_n_reviews(tmp_path: Path, answers: int) -> None:
    db_path = tmp_path / "killed.db"
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(answers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        lines = [child.stdout.readline().strip() for _ in range(answers)]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert lines == [f"answered {number}" for number in range(1, answers + 1)]
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(db_path) as connection:
        reviews = connection.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
        studied = connection.execute("SELECT COUNT(DISTINCT card_id) FROM reviews").fetchone()[0]
        cards_touched = connection.execute(
            "SELECT COUNT(*) FROM cards WHERE last_review IS NOT NULL"
        ).fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert reviews == answers
    assert cards_touched == studied  # every logged answer also moved its card
    assert integrity == "ok"
