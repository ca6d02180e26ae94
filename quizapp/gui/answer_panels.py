"""The widgets a learner answers with: numbered choices, and matching rows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from quizapp.gui.widgets import named

NO_PICK = "—"


def plain(html_text: str) -> str:
    """The text of an HTML fragment, for widgets that show plain text."""
    return QTextDocumentFragment.fromHtml(html_text).toPlainText().strip()


class ChoiceButton(QPushButton):
    """One numbered choice; a tickable one shows ☐ or ☑ before its number."""

    def __init__(self, number: int, text: str, *, tickable: bool) -> None:
        super().__init__()
        self.setObjectName(f"choiceButton{number}")
        self._number, self._text, self._tickable = number, text, tickable
        self.setAccessibleName(f"Choice {number}: {text}")
        self.setCheckable(tickable)
        self.setProperty("tickable", tickable)
        self.toggled.connect(self._on_toggled)
        self._show_text()

    def _show_text(self) -> None:
        box = ("☑  " if self.isChecked() else "☐  ") if self._tickable else ""
        self.setText(f"{box}{self._number}.  {self._text}")

    def _on_toggled(self, checked: bool) -> None:
        self._show_text()


class ChoicePanel(QWidget):
    """Numbered choices: pick one, or tick several (``multi``)."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choicesBox")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 8, 0, 0)
        self._layout.setSpacing(8)
        self.buttons: list[ChoiceButton] = []
        self.multi = False

    def set_choices(self, labels: Sequence[str], *, multi: bool = False) -> None:
        """Show ``labels`` (HTML) as numbered buttons, with tick boxes when ``multi``."""
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        self.multi = multi
        for index, label in enumerate(labels):
            button = ChoiceButton(index + 1, plain(label), tickable=multi)
            button.clicked.connect(self._on_button_clicked)
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(labels))

    def toggle(self, index: int) -> None:
        """Tick or untick choice ``index`` (multi mode)."""
        if 0 <= index < len(self.buttons):
            self.buttons[index].toggle()

    def ticked(self) -> set[int]:
        """The choices ticked so far."""
        return {index for index, button in enumerate(self.buttons) if button.isChecked()}

    def mark(self, right: set[int], chosen: set[int]) -> None:
        """Colour the right choices and the wrong picks; the rest fade.  Tick boxes keep
        showing what was ticked."""
        for index, button in enumerate(self.buttons):
            mark = "right" if index in right else "wrong" if index in chosen else ""
            button.setProperty("choice", mark)
            button.setEnabled(index in right or index in chosen)
            button.setCheckable(False)  # no more ticking; the label keeps its ☑
            button.style().unpolish(button)
            button.style().polish(button)

    def _on_button_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, ChoiceButton) and sender in self.buttons:
            self.picked.emit(self.buttons.index(sender))


class MatchingPanel(QWidget):
    """One row per prompt, each with a list of answers to pick from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matchingBox")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 8, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(8)
        self.combos: list[QComboBox] = []
        self._labels: list[QLabel] = []

    def set_rows(self, prompts: Sequence[str], answers: Sequence[str]) -> None:
        """One row per prompt (HTML); every row offers all ``answers`` (plain text)."""
        for widget in [*self._labels, *self.combos]:
            widget.deleteLater()
        self._labels, self.combos = [], []
        for row, prompt in enumerate(prompts):
            label = named(QLabel(prompt), f"matchPrompt{row + 1}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            combo = named(QComboBox(), f"matchCombo{row + 1}")
            combo.addItems([NO_PICK, *answers])
            combo.setAccessibleName(f"Match for {plain(prompt)}")
            combo.setMinimumWidth(220)
            label.setBuddy(combo)
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(combo, row, 1)
            self._labels.append(label)
            self.combos.append(combo)
        self.setVisible(bool(prompts))

    def picks(self) -> list[str | None]:
        """The answer picked in each row, or None where nothing is picked."""
        return [None if c.currentText() == NO_PICK else c.currentText() for c in self.combos]

    def mark(self, right_answers: Sequence[str]) -> None:
        """Show each row right or wrong, with the right answer where it was missed."""
        for label, combo, answer in zip(self._labels, self.combos, right_answers, strict=True):
            ok = combo.currentText() == answer
            combo.setEnabled(False)
            label.setText(f"{label.text()}  {'✓' if ok else '✗ → ' + answer}")
