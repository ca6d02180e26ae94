"""Creating, renaming, moving, deleting and exporting decks from the deck list.

Each dialog opens without blocking (``open()``): its answer comes back by signal,
so the window keeps painting and a test can type into it.  Every change is one
step of the collection's undo history (the services push it), taken back by Ctrl+Z.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.domain import Deck
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.errors import QuizAppError
from quizapp.gui.deck_list import DECK_ROLE, DeckListView
from quizapp.gui.errors import show_error
from quizapp.gui.widgets import named
from quizapp.services.undo import ChangeEntry


class DeckNameDialog(QDialog):
    """Asks for a deck's full name; ``::`` puts it under another deck."""

    def __init__(self, title: str, prompt: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("deckNameDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        label = named(QLabel(prompt), "deckNamePrompt")
        label.setWordWrap(True)
        self.name_edit = named(QLineEdit(name), "deckNameEdit")
        self.name_edit.setAccessibleName("Deck name")
        self.name_edit.selectAll()
        label.setBuddy(self.name_edit)
        hint = named(QLabel("Use :: for a subdeck, as in Languages::French."), "hintLabel")
        self.error_label = named(QLabel(), "deckNameError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setProperty("primary", True)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(label)
        layout.addWidget(self.name_edit)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._on_text_changed(name)
        self._submit: Callable[[str], None] = lambda name: None

    def ask(self, submit: Callable[[str], None]) -> None:
        """Open; ``submit`` gets the name on OK and raises to keep the dialog open."""
        self._submit = submit
        self.open()
        self.name_edit.setFocus()

    def show_problem(self, message: str) -> None:
        """Say under the name why it cannot be used."""
        self.error_label.setText(message)
        self.error_label.show()

    def _on_text_changed(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))
        self.error_label.hide()

    def _on_accepted(self) -> None:
        try:
            self._submit(self.name_edit.text())
        except QuizAppError as error:
            self.show_problem(error.user_message)
            return
        self.accept()


class DeckActions(QObject):
    """What the deck list's menu, keys and drags ask for, done through the services.

    ``changed`` says the list must be refilled (the deck to select is set on it).
    """

    changed = Signal()

    def __init__(self, app: App, deck_list: DeckListView, window: QWidget) -> None:
        super().__init__(window)
        self._app = app
        self._deck_list = deck_list
        self._window = window
        self.dialog: QDialog | None = None  # the dialog open now, for tests and screenshots
        deck_list.create_requested.connect(self.create_deck)
        deck_list.rename_requested.connect(self.rename_deck)
        deck_list.delete_requested.connect(self.delete_deck)
        deck_list.export_requested.connect(self.export_deck)
        deck_list.move_requested.connect(self.move_deck)

    def create_deck(self) -> DeckNameDialog:
        """Ask for a name and create that deck."""
        parent = self._deck_list.selected_deck()
        dialog = DeckNameDialog(
            "Create deck",
            "&Name of the new deck:",
            parent.name + DECK_SEPARATOR if parent else "",
            self._window,
        )
        dialog.name_edit.deselect()

        def submit(name: str) -> None:
            deck = self._app.deck_editor.create(name)
            self._changed(deck.name)

        self._open(dialog, submit)
        return dialog

    def rename_deck(self, deck: Deck) -> DeckNameDialog:
        """Ask for the deck's new name (a name with ``::`` moves it) and rename it."""
        dialog = DeckNameDialog(
            "Rename deck", f"New &name for {deck.name}:", deck.name, self._window
        )

        def submit(name: str) -> None:
            renamed = self._app.deck_editor.rename(deck.id, name)
            self._follow_collapsed(deck.name, renamed.name)
            self._changed(renamed.name)

        self._open(dialog, submit)
        return dialog

    def move_deck(self, deck: Deck, parent: Deck | None) -> None:
        """Put ``deck`` (with its subdecks) under ``parent``, or at the top when None."""
        try:
            moved = self._app.deck_editor.move(deck.id, None if parent is None else parent.id)
        except QuizAppError as error:
            show_error(self._window, error)
            return
        self._follow_collapsed(deck.name, moved.name)
        if parent is not None:  # show where it went
            self._deck_list.collapsed.discard(parent.name)
        self._changed(moved.name)

    def delete_deck(self, deck: Deck) -> QMessageBox | None:
        """Ask, with what would go, then delete the deck with its subdecks and cards."""
        try:
            counts = self._app.deck_editor.deletion_counts(deck.id)
        except QuizAppError as error:
            show_error(self._window, error)
            return None
        subdecks = _subdeck_count(self._deck_list, deck)
        below = f" and its {subdecks} subdeck{'s' if subdecks != 1 else ''}" if subdecks else ""
        box = named(
            QMessageBox(
                QMessageBox.Icon.Warning,
                "Delete deck",
                f"Delete {deck.name}{below}?",
                QMessageBox.StandardButton.Cancel,
                self._window,
            ),
            "deckDeleteDialog",
        )
        box.setInformativeText(
            f"{counts} go with it. Edit ▸ Undo (Ctrl+Z) brings them back."
            if counts.cards
            else "It holds no cards. Edit ▸ Undo (Ctrl+Z) brings it back."
        )
        delete_button = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        delete_button.setObjectName("deckDeleteButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def on_finished() -> None:
            if box.clickedButton() is delete_button:
                self._delete(deck)

        box.finished.connect(on_finished)
        self.dialog = box
        box.open()
        return box

    def export_deck(self, deck: Deck) -> QDialog:
        """The export dialog, on this deck."""
        from quizapp.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self._app, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.deck_choice.setCurrentText(deck.name)
        self.dialog = dialog
        dialog.open()
        return dialog

    def undo_if_change(self, has_session: bool) -> bool:
        """Ctrl+Z on the deck list: undo the latest step here when it is an action (not an
        answer a study session should show again); False when it is left to the reviewer."""
        entries = self._app.undo_history.entries
        if not entries or (has_session and not isinstance(entries[-1], ChangeEntry)):
            return False
        try:
            self._app.undo_history.undo()
        except QuizAppError as error:
            show_error(self._window, error)
        self.changed.emit()
        return True

    def _delete(self, deck: Deck) -> None:
        try:
            self._app.deck_editor.delete(deck.id)
        except QuizAppError as error:
            show_error(self._window, error)
            return
        parent = deck.name.rpartition(DECK_SEPARATOR)[0]
        self._changed(parent or None)

    def _changed(self, select: str | None) -> None:
        self._deck_list.select_next = select
        self.changed.emit()

    def _open(self, dialog: DeckNameDialog, submit: Callable[[str], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.ask(submit)

    def _follow_collapsed(self, old: str, new: str) -> None:
        """A folded deck stays folded under its new name, and so do its folded subdecks."""
        collapsed = self._deck_list.collapsed
        for name in list(collapsed):
            if name == old or name.startswith(old + DECK_SEPARATOR):
                collapsed.discard(name)
                collapsed.add(new + name[len(old) :])


def _subdeck_count(deck_list: DeckListView, deck: Deck) -> int:
    prefix = deck.name + DECK_SEPARATOR
    return sum(
        1
        for index in deck_list.all_indexes()
        if isinstance(found := index.data(DECK_ROLE), Deck) and found.name.startswith(prefix)
    )
