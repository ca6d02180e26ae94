"""One undo history for the open collection: Ctrl+Z takes back the latest thing the learner did.

Every action of the browser and the editor, and every answer of a study session,
pushes one entry once its transaction has committed.  Undoing runs in a
transaction of its own and restores exactly the rows the entry changed, or
refuses with a sentence when another QuizApp window or program changed them
since.  An entry refused that way can never be undone and leaves the history;
one that failed for a passing reason (a lock, a full disk) stays.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from quizapp.domain.wording import count
from quizapp.errors import UserError
from quizapp.services.clock import Clock
from quizapp.storage import Database

if TYPE_CHECKING:  # the full repositories load SQLAlchemy: undoing needs them, studying not
    from quizapp.storage import Store
    from quizapp.storage.snapshots import ChangeWatch, RecordedChange

# As Anki: older steps are forgotten (each holds the rows it changed, in memory).
HISTORY_LIMIT = 50
NOTHING_TO_UNDO = "There is nothing to undo."
_CHANGED_BY_OTHERS = (
    "Cannot undo {what}: {rows} changed since by another QuizApp window or program."
)
_TAKEN_BY_OTHERS = (
    "Cannot undo {what}: another QuizApp window or program has since added rows in their place "
    "({detail})."
)
_ROW_WORDS = {
    "cards": "those cards were",
    "notes": "those notes were",
    "decks": "those decks were",
    "reviews": "their reviews were",
}


class UndoRefused(UserError):
    """An entry that can never be undone: its rows were changed by someone else since."""


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo took back: its description and the cards and notes it restored."""

    description: str
    card_ids: frozenset[int] = frozenset()
    note_ids: frozenset[int] = frozenset()


class UndoEntry(Protocol):
    """One step of the history."""

    @property
    def description(self) -> str:
        """What the step did, as the Undo menu names it: "suspend 3 cards", "answer"."""
        ...

    def undo(self, store: Store, now: datetime) -> Undone | None:
        """Take the step back inside the undo's transaction; None if nothing is left of it.

        Raises :class:`UndoRefused` when it can never be undone.
        """
        ...

    def committed(self) -> None:
        """Called once the undo's transaction has committed."""
        ...

    def gone(self) -> None:
        """Called when the step leaves the history with nothing left of it to undo."""
        ...


@dataclass
class ChangeEntry:
    """An action of the browser or the editor: the rows it changed, as recorded."""

    description: str
    change: RecordedChange

    def undo(self, store: Store, now: datetime) -> Undone:
        """Put the rows back, unless someone else changed them since."""
        from quizapp.storage.snapshots import RowConflict

        changed = store.snapshots.changed_since(self.change)
        if changed:
            rows = _ROW_WORDS[changed[0]]
            raise UndoRefused(_CHANGED_BY_OTHERS.format(what=self.description, rows=rows))
        try:
            store.snapshots.restore(self.change, now)
        except RowConflict as conflict:
            raise UndoRefused(
                _TAKEN_BY_OTHERS.format(what=self.description, detail=conflict)
            ) from conflict
        return Undone(
            self.description,
            frozenset(self.change.ids("cards")),
            frozenset(self.change.ids("notes")),
        )

    def committed(self) -> None:
        """Nothing to tell anyone."""

    def gone(self) -> None:
        """Nothing to tell anyone."""


@dataclass
class UndoHistory:
    """The undo steps of one open collection, latest last."""

    database: Database
    clock: Clock
    limit: int = HISTORY_LIMIT
    _entries: list[UndoEntry] = field(default_factory=list)
    _listeners: list[Callable[[], None]] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def entries(self) -> tuple[UndoEntry, ...]:
        """Every step that can be undone, oldest first."""
        with self._lock:
            return tuple(self._entries)

    @property
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._entries)

    @property
    def label(self) -> str:
        """The Undo menu's text: "Undo suspend 3 cards", or "Undo" when there is nothing."""
        with self._lock:
            return f"Undo {self._entries[-1].description}" if self._entries else "Undo"

    def push(self, entry: UndoEntry) -> None:
        """Add a step whose transaction has committed."""
        with self._lock:
            self._entries.append(entry)
            del self._entries[: max(0, len(self._entries) - self.limit)]
        self._changed()

    def push_change(self, description: str, change: RecordedChange) -> None:
        """Add the step of a recorded action (when it changed anything)."""
        if any(change.after.values()) or change.before or change.graves:
            self.push(ChangeEntry(description, change))

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever a step is added or undone (to relabel the menu)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def undo(
        self,
        accepts: Callable[[UndoEntry], bool] | None = None,
        exhausted: str = NOTHING_TO_UNDO,
    ) -> Undone:
        """Undo the latest step (the latest that ``accepts``, when given), in one transaction.

        Steps with nothing left to undo are skipped and leave the history; when no
        step is left, raises :class:`UserError` with ``exhausted``.  A step refused
        with :class:`UndoRefused` leaves the history too.
        """
        with self._lock:
            candidates = [e for e in reversed(self._entries) if accepts is None or accepts(e)]
            if not candidates:
                raise UserError(NOTHING_TO_UNDO)
            skipped: list[UndoEntry] = []
            try:
                undone, entry = self._undo_first(candidates, skipped)
            except UndoRefused:
                self._forget([*skipped, candidates[len(skipped)]])
                raise
            finally:
                self._forget(skipped)
                for gone in skipped:
                    gone.gone()
            if entry is not None:
                self._forget([entry])
        if entry is None or undone is None:
            raise UserError(exhausted)
        entry.committed()
        self._changed()
        return undone

    def _undo_first(
        self, candidates: list[UndoEntry], skipped: list[UndoEntry]
    ) -> tuple[Undone | None, UndoEntry | None]:
        """Undo the first candidate that has something left, skipping the others."""
        now = self.clock.now()
        with self.database.transaction() as store:
            for entry in candidates:
                undone = entry.undo(store, now)
                if undone is not None:
                    return undone, entry
                skipped.append(entry)
        return None, None

    def _forget(self, entries: list[UndoEntry]) -> None:
        for entry in entries:
            if entry in self._entries:
                self._entries.remove(entry)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()


def cards_phrase(verb: str, number: int) -> str:
    """ "suspend 3 cards", "flag 1 card": a card action as the Undo menu names it."""
    return f"{verb} {count(number, 'card')}"


def notes_phrase(verb: str, number: int) -> str:
    """ "delete 2 notes": a note action as the Undo menu names it."""
    return f"{verb} {count(number, 'note')}"


@dataclass
class Action:
    """One user action being written: its store, the watch recording it, and its time.

    The action watches every row before it writes it, and names itself in
    ``description`` ("suspend 3 cards") when it changed anything.
    """

    store: Store
    watch: ChangeWatch
    now: datetime
    description: str = ""


@contextmanager
def undoable(database: Database, clock: Clock, history: UndoHistory) -> Iterator[Action]:
    """Run one user action in one transaction, and push it to ``history`` once committed."""
    now = clock.now()
    with database.transaction() as store:
        action = Action(store, store.snapshots.watch(), now)
        yield action
        change = action.watch.finish()
    if action.description:
        history.push_change(action.description, change)
