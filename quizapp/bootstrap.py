"""The one place that wires things: paths, database, services."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from quizapp.domain import Deck
from quizapp.errors import EnvironmentProblem
from quizapp.services.clock import Clock, SystemClock
from quizapp.services.decks import DeckService
from quizapp.services.seeding import seed_if_new
from quizapp.services.study import StudySession
from quizapp.storage import Database
from quizapp.storage.media import MediaStore

if TYPE_CHECKING:  # the bank machinery loads when a bank is first read
    from quizapp.services.banks import BankService

APP_NAME = "QuizApp"
DB_ENV_VAR = "QUIZAPP_DB"
DB_FILE_NAME = "quizapp.db"
# The banks a new collection is filled from, in this order.
BUNDLED_BANKS = ("ml-parameters.yaml", "ml-exercises.yaml")


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


def bundled_banks() -> list[Path]:
    """The bundled banks that exist in this installation."""
    return [bundled_path("data", name) for name in BUNDLED_BANKS]


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

    @property
    def banks(self) -> BankService:
        """Validating, importing and exporting banks."""
        from quizapp.services.banks import BankService

        return BankService(self.database, self.clock, self.media)

    @property
    def media(self) -> MediaStore:
        """The folder of the collection's media files."""
        return MediaStore.beside(self.database.path)

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
    seed_banks: Sequence[Path] | None = None,
) -> App:
    """Open (creating, migrating and seeding as needed) the collection at ``database_path``."""
    path = database_path if database_path is not None else default_database_path()
    database = Database.open(path)
    clock = clock or SystemClock()
    try:
        banks = seed_banks if seed_banks is not None else bundled_banks()
        seed_if_new(database, banks, clock, MediaStore.beside(database.path))
    except BaseException:
        database.close()
        raise
    return App(database=database, clock=clock, rng=rng or Random())
