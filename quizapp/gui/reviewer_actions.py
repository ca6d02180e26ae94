"""The reviewer's keys for the card on screen, as Anki 2.1's: ``@`` suspend, ``-`` bury,
Ctrl+1-7 flag (the same flag again takes it off), ``I`` Card Info, ``E`` edit its note.

Each is one step of the collection's undo history.  After a suspension or a burial
the next card comes; Ctrl+Z brings the card back on screen.  The keys are
shortcuts of the reviewer, so that a ``-`` or ``@`` typed in the answer box stays
text (the box takes printable keys before any shortcut).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from quizapp.bootstrap import App
from quizapp.errors import QuizAppError
from quizapp.gui.errors import show_error
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.services.undo import UndoEntry

SUSPEND_KEY = "@"
BURY_KEY = "-"
INFO_KEY = "I"
EDIT_KEY = "E"


class ReviewerActions(QObject):
    """Suspend, bury, flag and Card Info for the card the reviewer shows."""

    acted = Signal()  # the collection changed (the deck list's counts)
    edit_requested = Signal(int)  # E: the note of the card shown

    def __init__(self, app: App, reviewer: ReviewView) -> None:
        super().__init__(reviewer)
        self._app = app
        self._reviewer = reviewer
        # The steps taken here, and their card: undoing one shows that card again as
        # it was (a suspended card back, a flagged one with its values and verdict).
        self._steps: list[tuple[UndoEntry, int]] = []
        self.info_dialog: QObject | None = None
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        keys: list[tuple[str, Callable[[], None]]] = [
            (SUSPEND_KEY, self.suspend),
            (BURY_KEY, self.bury),
            (INFO_KEY, self.show_info),
            (EDIT_KEY, self.edit),
        ]
        keys += [(f"Ctrl+{flag}", partial(self.toggle_flag, flag)) for flag in range(1, 8)]
        self.shortcuts = {
            key: QShortcut(QKeySequence(key), reviewer, slot, context=context) for key, slot in keys
        }

    def suspend(self) -> None:
        """Suspend the card on screen and show the next one."""
        self._act(lambda card_id: self._app.cards.suspend([card_id]))

    def bury(self) -> None:
        """Bury the card on screen until tomorrow and show the next one."""
        self._act(lambda card_id: self._app.cards.bury([card_id]))

    def toggle_flag(self, flag: int) -> None:
        """Flag the card on screen ``flag``; its own flag again takes the flag off."""
        current = self._reviewer.current
        if current is None:
            return
        wanted = 0 if current.card.flag == flag else flag
        self._act(lambda card_id: self._app.cards.flag([card_id], wanted))

    def show_info(self) -> None:
        """Card Info for the card on screen."""
        from quizapp.gui.card_info_dialog import show_card_info

        current = self._reviewer.current
        if current is not None:
            self.info_dialog = show_card_info(self._app, current.card.id, self._reviewer)

    def edit(self) -> None:
        """Ask for the note editor on the card shown's note."""
        current = self._reviewer.current
        if current is not None:
            self.edit_requested.emit(current.card.note_id)

    def undo(self) -> bool:
        """Ctrl+Z in the reviewer when the latest step is one of these keys': undo it and
        show its card again.  False when the latest step is something else."""
        history = self._app.undo_history
        entries = history.entries
        if not entries:
            return False
        latest = entries[-1]
        card_ids = [card_id for entry, card_id in self._steps if entry is latest]
        if self._reviewer.session is None:
            return False
        if not card_ids:
            return False
        self._steps = [(e, c) for e, c in self._steps if e is not latest]
        try:
            history.undo()
        except QuizAppError as error:
            show_error(self._reviewer, error)
        self._reviewer.reread(card_ids[0])
        self.acted.emit()
        return True

    def _act(self, work: Callable[[int], int]) -> None:
        reviewer = self._reviewer
        current = reviewer.current
        if current is None or reviewer.phase is Phase.FINISHED:
            return
        card_id = current.card.id
        history = self._app.undo_history
        before = history.entries[-1] if history.entries else None
        try:
            work(card_id)
        except QuizAppError as error:
            show_error(reviewer, error)
            return
        after = history.entries[-1] if history.entries else None
        if after is not None and after is not before:
            self._steps = [*self._steps[-20:], (after, card_id)]
        reviewer.reread(card_id)
        self.acted.emit()
