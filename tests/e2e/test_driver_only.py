"""Opening an up-to-date collection, counting it and studying it load no SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SMALL_BANK

REPO = Path(__file__).parents[2]
STUDY = """
import sys
from pathlib import Path
from quizapp.bootstrap import open_app
from quizapp.domain import Rating
from quizapp.domain.answers import TypedResponse
app = open_app(Path(sys.argv[1]), seed_banks=[Path(sys.argv[2])])
session = app.study(None)
for _ in range(6):
    current = session.current
    if current is None:
        break
    if current.mode.value == "type":
        session.check(TypedResponse("55"))
    session.answer(Rating.AGAIN if current.card.memory.state == 2 else Rating.GOOD, 900)
session.summary()
app.decks.overview()
app.close()
print(sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "alembic", "PySide6"}))
"""


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_studying_an_up_to_date_collection_loads_no_sqlalchemy(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    first = _run("-c", STUDY, str(db), str(SMALL_BANK))  # creates and seeds: SQLAlchemy then
    assert first.returncode == 0, first.stderr
    again = _run("-c", STUDY, str(db), str(SMALL_BANK))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "[]"


def test_stats_of_an_up_to_date_collection_loads_no_sqlalchemy(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert _run("-m", "quizapp", "--db", str(db), "stats").returncode == 0
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['quizapp', '--db', {str(db)!r}, 'stats']\n"
        "try:\n    runpy.run_module('quizapp', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    done = _run("-c", probe)
    assert "cards in" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False"
