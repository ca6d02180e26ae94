"""The browser's actions on the selected cards, with Anki's shortcuts, and their undo.

One :class:`CardActions` makes the :class:`QAction` of each (for the menus, the
toolbar and the table's context menu); each runs one service call, which is one
step of the collection's undo history, and then says what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from quizapp.bootstrap import App
from quizapp.domain.wording import count
from quizapp.errors import QuizAppError, UserError
from quizapp.gui.browser_dialogs import (
    ActionDialog,
    DeckChooserDialog,
    ForgetDialog,
    RepositionDialog,
    TextDialog,
)
from quizapp.gui.errors import show_error
from quizapp.gui.flags import FLAG_NAMES, flag_icon
from quizapp.gui.widgets import named
from quizapp.services.browser_lists import browser_lists
from quizapp.services.search import CardRow
from quizapp.services.undo import ChangeEntry, Undone

NOT_NEW = "Only new cards can be repositioned, and none of the selected cards is new."
DialogT = TypeVar("DialogT", bound=ActionDialog)
DUE_DATE_HINT = (
    "0 is today, 1 tomorrow, 3-7 a random day from 3 to 7 days from now (each card its own). "
    "Add ! to also set the interval to that many days: 30!"
)


@dataclass(frozen=True, slots=True)
class Selection:
    """The cards the learner picked (all cards of the picked notes, in notes mode), their
    notes, and the row the toggles look at (Anki's "current card")."""

    card_ids: list[int]
    note_ids: list[int]
    current: CardRow | None = None


@dataclass(frozen=True, slots=True)
class Changed:
    """What an action or an undo changed; ``found`` when the search may find other rows
    now (notes deleted or brought back), ``lists`` when decks or tags may have changed."""

    undone: Undone
    found: bool = False
    lists: bool = False
    message: str = ""


@dataclass
class _Spec:
    name: str
    text: str
    keys: str
    run: Callable[[], object]
    needs_selection: bool = True


class CardActions(QObject):
    """The actions over what ``selection()`` returns; ``changed`` after each one."""

    changed = Signal(object)  # Changed

    def __init__(
        self,
        app: App,
        window: QWidget,
        selection: Callable[[], Selection],
        undo_answer: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._app = app
        self._window = window
        self._selection = selection
        self._undo_answer = undo_answer  # an answer of a study session: the reviewer's own undo
        self.dialog: QWidget | None = None  # the dialog open now, for tests
        self.actions: dict[str, QAction] = {}
        specs = [
            _Spec("suspendAction", "Toggle &suspend", "Ctrl+J", self.toggle_suspend),
            _Spec("buryAction", "Toggle &bury", "Ctrl+Shift+J", self.toggle_bury),
            _Spec("changeDeckAction", "Change &deck…", "Ctrl+D", self.change_deck),
            _Spec("addTagsAction", "&Add tags…", "Ctrl+Shift+A", self.add_tags),
            _Spec("removeTagsAction", "&Remove tags…", "Ctrl+Alt+Shift+A", self.remove_tags),
            _Spec("forgetAction", "&Forget…", "Ctrl+Alt+N", self.forget),
            _Spec("repositionAction", "Re&position…", "Ctrl+Shift+S", self.reposition),
            _Spec("setDueDateAction", "Set due &date…", "Ctrl+Shift+D", self.set_due_date),
            _Spec("deleteNotesAction", "De&lete notes…", "Ctrl+Delete", self.delete_notes),
        ]
        specs += [
            _Spec(
                f"flag{flag}Action",
                f"&{flag} {FLAG_NAMES[flag]}",
                f"Ctrl+{flag}",
                partial(self.toggle_flag, flag),
            )
            for flag in range(1, len(FLAG_NAMES))
        ]
        for spec in specs:
            action = named(QAction(spec.text, window), spec.name)
            action.setShortcut(QKeySequence(spec.keys))
            action.triggered.connect(spec.run)
            window.addAction(action)
            self.actions[spec.name] = action
        for flag in range(1, len(FLAG_NAMES)):
            self.actions[f"flag{flag}Action"].setIcon(flag_icon(flag))
        self.undo_action = named(QAction("&Undo", window), "browserUndoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        window.addAction(self.undo_action)
        app.undo_history.subscribe(self._on_history_changed)
        self._on_history_changed()

    def close(self) -> None:
        """Stop following the undo history (the window is closing)."""
        self._app.undo_history.unsubscribe(self._on_history_changed)

    def set_enabled(self, has_selection: bool) -> None:
        """Enable the actions that need cards when there are some selected."""
        for action in self.actions.values():
            action.setEnabled(has_selection)

    # --- the actions --------------------------------------------------------------

    def toggle_suspend(self) -> None:
        """Suspend the selected cards, or unsuspend them when the current one is suspended."""
        picked = self._picked()
        if picked is None:
            return
        cards = self._app.cards
        if picked.current is not None and picked.current.suspended:
            self._run(lambda: cards.unsuspend(picked.card_ids), picked, "Unsuspended", "card")
        else:
            self._run(lambda: cards.suspend(picked.card_ids), picked, "Suspended", "card")

    def toggle_bury(self) -> None:
        """Bury the selected cards until tomorrow, or unbury them (current one buried)."""
        picked = self._picked()
        if picked is None:
            return
        cards = self._app.cards
        if picked.current is not None and picked.current.buried:
            self._run(lambda: cards.unbury(picked.card_ids), picked, "Unburied", "card")
        else:
            self._run(lambda: cards.bury(picked.card_ids), picked, "Buried", "card")

    def toggle_flag(self, flag: int) -> None:
        """Flag the selected cards ``flag``; the current card's own flag again takes it off."""
        picked = self._picked()
        if picked is None:
            return
        if picked.current is not None and picked.current.flag == flag:
            flag = 0
        verb = "Unflagged" if flag == 0 else f"Flagged {FLAG_NAMES[flag].lower()}:"
        self._run(lambda: self._app.cards.flag(picked.card_ids, flag), picked, verb, "card")

    def change_deck(self) -> DeckChooserDialog | None:
        """Ask for a deck (or a new deck's name) and move the selected cards to it."""
        picked = self._picked()
        if picked is None:
            return None
        decks = self._lists_or_error()
        if decks is None:
            return None
        current = picked.current.deck if picked.current is not None else ""
        dialog = DeckChooserDialog(decks, current, self._window)

        def submit(name: str) -> None:
            moved = self._app.cards.change_deck(picked.card_ids, name)
            self._emit(picked, f"Moved {count(moved, 'card')} to {name}.", lists=True)

        return self._ask(dialog, submit)

    def add_tags(self) -> TextDialog | None:
        """Ask for tags (space-separated, ``a::b`` below ``a``) and add them to the notes."""
        return self._ask_tags("Add tags", "&Tags to add to the selected notes:", add=True)

    def remove_tags(self) -> TextDialog | None:
        """Ask for tags and take them, and the tags below them, off the notes."""
        return self._ask_tags("Remove tags", "&Tags to remove from the selected notes:", add=False)

    def forget(self) -> ForgetDialog | None:
        """Ask Anki's two questions, then make the selected cards new again."""
        picked = self._picked()
        if picked is None:
            return None
        dialog = ForgetDialog(len(picked.card_ids), self._window)

        def submit(choice: tuple[bool, bool]) -> None:
            restore, reset = choice
            forgotten = self._app.cards.forget(
                picked.card_ids, restore_position=restore, reset_counts=reset
            )
            self._emit(picked, f"Forgot {count(forgotten, 'card')}.")

        return self._ask(dialog, submit)

    def reposition(self) -> RepositionDialog | None:
        """Ask where, then place the selected new cards in the new queue."""
        picked = self._picked()
        if picked is None:
            return None
        new_cards = self._new_count(picked)
        if new_cards == 0:
            show_error(self._window, UserError(NOT_NEW))
            return None
        dialog = RepositionDialog(new_cards, self._window)

        def submit(choice: tuple[int, int, bool]) -> None:
            start, step, randomize = choice
            placed = self._app.cards.reposition(picked.card_ids, start, step, randomize=randomize)
            self._emit(picked, f"Repositioned {count(placed, 'new card')}.")

        return self._ask(dialog, submit)

    def set_due_date(self) -> TextDialog | None:
        """Ask for days (``0``, ``3-7``, ``30!``) and make the selected cards due then."""
        picked = self._picked()
        if picked is None:
            return None
        dialog = TextDialog(
            "Set due date",
            f"&Due in how many days ({count(len(picked.card_ids), 'card')})?",
            DUE_DATE_HINT,
            self._window,
            name="dueDateDialog",
        )

        def submit(days: str) -> None:
            changed = self._app.cards.set_due_date(picked.card_ids, days)
            self._emit(picked, f"Set the due date of {count(changed, 'card')}.")

        return self._ask(dialog, submit)

    def delete_notes(self) -> QMessageBox | None:
        """Say how many notes, cards and reviews would go; delete them when confirmed."""
        picked = self._picked()
        if picked is None:
            return None
        try:
            counts = self._app.cards.deletion_counts(picked.note_ids)
        except QuizAppError as error:
            show_error(self._window, error)
            return None
        box = named(
            QMessageBox(
                QMessageBox.Icon.Warning,
                "Delete notes",
                f"Delete {counts}?",
                QMessageBox.StandardButton.Cancel,
                self._window,
            ),
            "deleteNotesDialog",
        )
        box.setInformativeText("Edit ▸ Undo (Ctrl+Z) brings them back.")
        delete_button = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        delete_button.setObjectName("deleteNotesButton")
        box.setDefaultButton(delete_button)  # asked for by Ctrl+Delete, and undoable

        def on_finished() -> None:
            if box.clickedButton() is delete_button:
                self._run(
                    lambda: self._app.cards.delete_notes(picked.note_ids).notes,
                    *(picked, "Deleted", "note"),
                    found=True,
                    lists=True,
                )

        box.finished.connect(on_finished)
        self._keep(box)
        box.open()
        return box

    def undo(self) -> None:
        """Undo the collection's latest step; an answer of the open study session is
        taken back by the reviewer (which shows its card again)."""
        history = self._app.undo_history
        entries = history.entries
        if not entries:
            return
        if not isinstance(entries[-1], ChangeEntry) and self._undo_answer is not None:
            self._undo_answer()
            self.changed.emit(Changed(Undone(""), found=True, message="Undid the answer."))
            return
        try:
            undone = history.undo()
        except QuizAppError as error:
            show_error(self._window, error)
            self.changed.emit(Changed(Undone(""), found=True))
            return
        message = f"Undid {undone.description}."
        self.changed.emit(Changed(undone, found=True, lists=True, message=message))

    # --- the machinery ------------------------------------------------------------

    def _picked(self) -> Selection | None:
        try:
            picked = self._selection()
        except QuizAppError as error:
            show_error(self._window, error)
            return None
        return picked if picked.card_ids else None

    def _run(
        self,
        work: Callable[[], int],
        picked: Selection,
        verb: str,
        noun: str,
        *,
        found: bool = False,
        lists: bool = False,
    ) -> None:
        try:
            done = work()
        except QuizAppError as error:
            show_error(self._window, error)
            return
        self._emit(picked, f"{verb} {count(done, noun)}.", found=found, lists=lists)

    def _emit(
        self, picked: Selection, message: str, *, found: bool = False, lists: bool = False
    ) -> None:
        undone = Undone("", frozenset(picked.card_ids), frozenset(picked.note_ids))
        self.changed.emit(Changed(undone, found=found, lists=lists, message=message))

    def _ask(self, dialog: DialogT, submit: Callable[[Any], None]) -> DialogT:
        self._keep(dialog)
        dialog.ask(submit)
        return dialog

    def _keep(self, dialog: QDialog) -> None:
        """Remember the dialog open now until it closes (tests find it here)."""
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)

    def _on_dialog_finished(self) -> None:
        self.dialog = None

    def _ask_tags(self, title: str, prompt: str, *, add: bool) -> TextDialog | None:
        picked = self._picked()
        if picked is None:
            return None
        hint = "Separate tags with spaces; a::b is the tag b below a."
        dialog = TextDialog(title, prompt, hint, self._window, name="tagsDialog")
        cards = self._app.cards

        def submit(text: str) -> None:
            tags = text.split()
            change = cards.add_tags if add else cards.remove_tags
            changed = change(picked.note_ids, tags)
            verb = "Tagged" if add else "Took tags off"
            self._emit(picked, f"{verb} {count(changed, 'note')}.", lists=True)

        return self._ask(dialog, submit)

    def _lists_or_error(self) -> Sequence[str] | None:
        try:
            return browser_lists(self._app.database).decks
        except QuizAppError as error:
            show_error(self._window, error)
            return None

    def _new_count(self, picked: Selection) -> int:
        from quizapp.services.search import SearchService

        search = SearchService(self._app.database, self._app.clock)
        ids = ",".join(str(card_id) for card_id in picked.card_ids)
        return search.count(f"cid:{ids} is:new")

    def _on_history_changed(self) -> None:
        history = self._app.undo_history
        self.undo_action.setEnabled(history.can_undo)
        self.undo_action.setText("&" + history.label)


__all__ = ["CardActions", "Changed", "Selection"]
