"""The one place that wires things: paths, database, services."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from random import Random

from quizapp.domain import Deck
from quizapp.errors import EnvironmentProblem
from quizapp.services.clock import Clock, SystemClock
from quizapp.services.decks import DeckService
from quizapp.services.seeding import seed_if_new
from quizapp.services.study import StudySession
from quizapp.storage import Database

APP_NAME = "QuizApp"
DB_ENV_VAR = "QUIZAPP_DB"
DB_FILE_NAME = "quizapp.db"
BUNDLED_BANK = "ml-parameters.yaml"


def default_database_path() -> Path:
    """``$QUIZAPP_DB``, or ``quizapp.db`` in the user's data directory."""
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("quizapp", appauthor=False) / DB_FILE_NAME


def bundled_path(kind: str, name: str) -> Path:
    """A bundled file: ``data`` or ``assets``, from the wheel or the source tree."""
    packaged = Path(str(resources.files("quizapp"))) / "_bundled" / kind / name
    if packaged.exists():
        return packaged
    source_tree = Path(__file__).resolve().parent.parent / kind / name
    if source_tree.exists():
        return source_tree
    raise EnvironmentProblem(f"QuizApp's bundled file {kind}/{name} is missing; reinstall QuizApp.")


@dataclass
class App:
    """An open collection and the services over it."""

    database: Database
    clock: Clock
    rng: Random = field(default_factory=Random)

    @property
    def decks(self) -> DeckService:
        """The deck list and deck look-ups."""
        return DeckService(self.database, self.clock)

    def study(self, deck: Deck | None) -> StudySession:
        """A new study session over ``deck`` (with subdecks), or over every deck."""
        return StudySession(self.database, self.clock, self.rng, deck)

    def close(self) -> None:
        """Close the database."""
        self.database.close()


def open_app(
    database_path: Path | None = None,
    *,
    clock: Clock | None = None,
    rng: Random | None = None,
    seed_bank: Path | None = None,
) -> App:
    """Open (creating, migrating and seeding as needed) the collection at ``database_path``."""
    path = database_path if database_path is not None else default_database_path()
    database = Database.open(path)
    clock = clock or SystemClock()
    try:
        seed_if_new(database, seed_bank or bundled_path("data", BUNDLED_BANK), clock)
    except BaseException:
        database.close()
        raise
    return App(database=database, clock=clock, rng=rng or Random())
