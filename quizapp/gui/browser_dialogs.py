"""The small dialogs of the card actions: a deck to move to, tags, a due date, a position.

Each opens without blocking (``open()``) and hands what the learner entered to the
``submit`` it was asked with; a sentence the service refuses it with is shown in
the dialog, which stays open to be corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.errors import QuizAppError
from quizapp.gui.widgets import named


class ActionDialog(QDialog):
    """A dialog whose OK hands :meth:`value` to ``submit``; a refusal is shown in it."""

    def __init__(self, title: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.error_label = named(QLabel(), "actionDialogError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setProperty("primary", True)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.setSpacing(10)
        self._submit: Callable[[Any], None] | None = None

    def finish_layout(self) -> None:
        """Put the error line and the buttons under what the subclass added."""
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)

    def value(self) -> Any:
        """What the learner entered."""
        raise NotImplementedError

    def ask(self, submit: Callable[[Any], None]) -> None:
        """Show the dialog; OK calls ``submit(value)`` and closes unless it raised."""
        self._submit = submit
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open()

    def show_problem(self, message: str) -> None:
        """Say what is wrong, under the fields."""
        self.error_label.setText(message)
        self.error_label.show()

    def _on_accepted(self) -> None:
        if self._submit is None:
            self.accept()
            return
        try:
            self._submit(self.value())
        except QuizAppError as error:
            self.show_problem(error.user_message)
            return
        self.accept()


class TextDialog(ActionDialog):
    """One line of text: tags to add or remove, a due date."""

    def __init__(
        self,
        title: str,
        prompt: str,
        hint: str,
        parent: QWidget | None,
        *,
        name: str = "textActionDialog",
        words: Sequence[str] = (),
    ) -> None:
        super().__init__(title, name, parent)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.line = named(QLineEdit(), "actionDialogLine")
        self.line.setAccessibleName(prompt.replace("&", ""))
        label.setBuddy(self.line)
        if words:
            completer = QCompleter(list(words), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            self.line.setCompleter(completer)
        hint_label = named(QLabel(hint), "hintLabel")
        hint_label.setWordWrap(True)
        self.body.addWidget(label)
        self.body.addWidget(self.line)
        self.body.addWidget(hint_label)
        self.finish_layout()
        self.line.textChanged.connect(self._on_text_changed)
        self._on_text_changed("")

    def value(self) -> str:
        """The text, trimmed."""
        return self.line.text().strip()

    def _on_text_changed(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))
        self.error_label.hide()


class DeckChooserDialog(ActionDialog):
    """Pick a deck from the list, filtered as one types, or type the name of a new one."""

    def __init__(self, decks: Sequence[str], current: str, parent: QWidget | None) -> None:
        super().__init__("Change deck", "deckChooserDialog", parent)
        self.setMinimumHeight(420)
        label = QLabel("Move the selected cards to the &deck:")
        self.filter_line = named(QLineEdit(), "deckChooserFilter")
        self.filter_line.setAccessibleName("Deck name")
        self.filter_line.setPlaceholderText("Type to filter, or a new deck's name (A::B)")
        label.setBuddy(self.filter_line)
        self.deck_list = named(QListWidget(), "deckChooserList")
        self.deck_list.setAccessibleName("Decks")
        for name in decks:
            QListWidgetItem(name, self.deck_list)
        self.new_deck_button = self.buttons.addButton(
            "Move to a &new deck", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.new_deck_button.setObjectName("newDeckButton")
        self.new_deck_button.clicked.connect(self._on_new_deck_clicked)
        self._new_name: str | None = None
        self.body.addWidget(label)
        self.body.addWidget(self.filter_line)
        self.body.addWidget(self.deck_list, 1)
        self.finish_layout()
        self.filter_line.textChanged.connect(self._on_filter_changed)
        self.deck_list.itemDoubleClicked.connect(self._on_accepted)
        self._on_filter_changed("")
        matches = self.deck_list.findItems(current, Qt.MatchFlag.MatchExactly)
        if matches:
            self.deck_list.setCurrentItem(matches[0])

    def value(self) -> str:
        """The deck picked, or the new name typed when no deck is picked."""
        if self._new_name is not None:
            return self._new_name
        item = self.deck_list.currentItem()
        if item is not None and not item.isHidden():
            return item.text()
        return self.filter_line.text().strip()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        # Up and Down in the filter line move in the list, as in Anki's chooser.
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.filter_line.hasFocus():
            self.deck_list.keyPressEvent(event)
            return
        super().keyPressEvent(event)

    def _on_filter_changed(self, text: str) -> None:
        wanted = text.strip().casefold()
        first_shown = None
        exact = None
        for row in range(self.deck_list.count()):
            item = self.deck_list.item(row)
            shown = wanted in item.text().casefold()
            item.setHidden(not shown)
            if shown and first_shown is None:
                first_shown = item
            if item.text().casefold() == wanted:
                exact = item
        picked = exact or first_shown
        if picked is not None:
            self.deck_list.setCurrentItem(picked)
        else:
            self.deck_list.setCurrentRow(-1)
        typed = text.strip()
        self.new_deck_button.setEnabled(bool(typed) and exact is None)
        self.new_deck_button.setToolTip(f"Make the deck “{typed}” and move the cards to it")
        self.ok_button.setEnabled(bool(self.value()))
        self.error_label.hide()

    def _on_new_deck_clicked(self) -> None:
        self._new_name = self.filter_line.text().strip()
        self._on_accepted()
        self._new_name = None


class RepositionDialog(ActionDialog):
    """Where the selected new cards go in the new queue."""

    def __init__(self, new_cards: int, parent: QWidget | None) -> None:
        super().__init__("Reposition new cards", "repositionDialog", parent)
        intro = QLabel(
            f"Place the {new_cards:,} selected new card{'s' if new_cards != 1 else ''} in the "
            "order new cards are studied in."
        )
        intro.setWordWrap(True)
        self.start = named(QSpinBox(), "repositionStart")
        self.start.setRange(0, 10_000_000)
        self.start.setAccessibleName("Start after this many new cards")
        self.step = named(QSpinBox(), "repositionStep")
        self.step.setRange(1, 10_000)
        self.step.setAccessibleName("Step")
        self.randomize = named(QCheckBox("&Randomize their order"), "repositionRandomize")
        form = QFormLayout()
        form.addRow("&Start after this many new cards:", self.start)
        form.addRow("S&tep:", self.step)
        self.body.addWidget(intro)
        self.body.addLayout(form)
        self.body.addWidget(self.randomize)
        self.finish_layout()

    def value(self) -> tuple[int, int, bool]:
        """(start, step, randomize)."""
        return self.start.value(), self.step.value(), self.randomize.isChecked()


class ForgetDialog(ActionDialog):
    """Forget: back to new, with Anki's two choices."""

    def __init__(self, cards: int, parent: QWidget | None) -> None:
        super().__init__("Forget cards", "forgetDialog", parent)
        intro = QLabel(
            f"Make the {cards:,} selected card{'s' if cards != 1 else ''} new again. "
            "Their review history is kept."
        )
        intro.setWordWrap(True)
        self.restore_position = named(
            QCheckBox("&Restore their original place in the new queue"), "forgetRestore"
        )
        self.restore_position.setChecked(True)
        self.reset_counts = named(
            QCheckBox("Reset their &review and lapse counts"), "forgetResetCounts"
        )
        self.body.addWidget(intro)
        self.body.addWidget(self.restore_position)
        self.body.addWidget(self.reset_counts)
        self.finish_layout()

    def value(self) -> tuple[bool, bool]:
        """(restore position, reset counts)."""
        return self.restore_position.isChecked(), self.reset_counts.isChecked()
