"""The one place that wires things: paths, database, services.

Importing this module is cheap: the storage and service layers (SQLAlchemy, the
scheduler) load when a collection is first opened, so that ``quizapp --help`` and
``--version`` start at once.  Their names are imported under ``TYPE_CHECKING`` for
the annotations, and inside the functions that use them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from quizapp.errors import EnvironmentProblem

if TYPE_CHECKING:
    from quizapp.domain import Deck
    from quizapp.services.banks import BankService
    from quizapp.services.clock import Clock
    from quizapp.services.collection import CardActions
    from quizapp.services.deck_editing import DeckEditor
    from quizapp.services.decks import DeckService
    from quizapp.services.notes_editing import NoteEditor
    from quizapp.services.study import StudySession
    from quizapp.services.undo import UndoHistory
    from quizapp.storage import Database
    from quizapp.storage.media import MediaStore

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
    # The package folder itself, not importlib.resources (50 ms to import on a slow
    # machine, at every start): QuizApp is always installed as files on disk.
    package = Path(__file__).resolve().parent
    packaged = package / "_bundled" / kind / name
    if packaged.exists():
        return packaged
    source_tree = package.parent / kind / name
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
        from quizapp.services.decks import DeckService

        return DeckService(self.database, self.clock)

    @property
    def banks(self) -> BankService:
        """Validating, importing and exporting banks."""
        from quizapp.services.banks import BankService

        return BankService(self.database, self.clock, self.media)

    @property
    def media(self) -> MediaStore:
        """The folder of the collection's media files."""
        from quizapp.storage.media import MediaStore

        return MediaStore.beside(self.database.path)

    @cached_property
    def undo_history(self) -> UndoHistory:
        """The collection's one undo history: the browser's actions and the reviewer's answers."""
        from quizapp.services.undo import UndoHistory

        return UndoHistory(self.database, self.clock)

    @property
    def cards(self) -> CardActions:
        """The browser's actions on cards and notes (suspend, flag, forget, delete…)."""
        from quizapp.services.collection import CardActions

        return CardActions(self.database, self.clock, self.undo_history, self.rng)

    @property
    def deck_editor(self) -> DeckEditor:
        """Creating, renaming, moving and deleting decks."""
        from quizapp.services.deck_editing import DeckEditor

        return DeckEditor(self.database, self.clock, self.undo_history)

    @property
    def note_editor(self) -> NoteEditor:
        """Adding and editing notes."""
        from quizapp.services.notes_editing import NoteEditor

        return NoteEditor(self.database, self.clock, self.undo_history)

    def study(self, deck: Deck | None) -> StudySession:
        """A new study session over ``deck`` (with subdecks), or over every deck."""
        from quizapp.services.study import StudySession

        return StudySession(self.database, self.clock, self.rng, deck, self.undo_history)

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
    from quizapp.services.clock import SystemClock
    from quizapp.services.seeding import seed_if_new
    from quizapp.services.upkeep import finish_interrupted_imports
    from quizapp.storage import Database
    from quizapp.storage.media import MediaStore

    path = database_path if database_path is not None else default_database_path()
    database = Database.open(path)
    clock = clock or SystemClock()
    try:
        media = MediaStore.beside(database.path)
        finish_interrupted_imports(database, media)
        banks = seed_banks if seed_banks is not None else bundled_banks()
        seed_if_new(database, banks, clock, media)
    except BaseException:
        database.close()
        raise
    return App(database=database, clock=clock, rng=rng or Random())
