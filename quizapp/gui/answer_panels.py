"""The widgets a learner answers with: numbered choices, and matching rows."""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from quizapp.domain.answers import RowVerdict
from quizapp.gui.widgets import named, restyle

NO_PICK = "—"
RIGHT_MARK, WRONG_MARK = "✓", "✗"


class ChoiceButton(QPushButton):
    """One numbered choice; a tickable one shows ☐ or ☑ before its number, and once
    the answer is checked, ✓ after a right choice and ✗ after a wrong pick."""

    def __init__(self, number: int, text: str, *, tickable: bool) -> None:
        super().__init__()
        self.setObjectName(f"choiceButton{number}")
        self._number, self._text, self._tickable = number, text, tickable
        self._mark = ""
        self.setAccessibleName(f"Choice {number}: {text}")
        self.setCheckable(tickable)
        self.setProperty("tickable", tickable)
        self.toggled.connect(self._on_toggled)
        self._show_text()

    def set_mark(self, mark: str) -> None:
        """Show the choice as ``"right"``, ``"missed"`` (right, but not ticked), ``"wrong"``
        (a wrong pick) or neither (``""``)."""
        self._mark = mark
        restyle(self, "choice", mark)
        said = {
            "right": " (a right answer)",
            "missed": " (a right answer, not ticked)",
            "wrong": " (wrong)",
        }.get(mark, "")
        self.setAccessibleName(f"Choice {self._number}: {self._text}{said}")
        self._show_text()

    def _show_text(self) -> None:
        box = ("☑  " if self.isChecked() else "☐  ") if self._tickable else ""
        mark = {
            "right": f"   {RIGHT_MARK}",
            "missed": f"   {RIGHT_MARK} not ticked",
            "wrong": f"   {WRONG_MARK}",
        }.get(self._mark, "")
        self.setText(f"{box}{self._number}.  {self._text}{mark}")

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

    def set_choices(self, texts: Sequence[str], *, multi: bool = False) -> None:
        """Show ``texts`` (plain text, in the order shown) as numbered buttons, with tick
        boxes when ``multi``."""
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        self.multi = multi
        for index, text in enumerate(texts):
            button = ChoiceButton(index + 1, text, tickable=multi)
            button.clicked.connect(self._on_button_clicked)
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(texts))

    def toggle(self, index: int) -> None:
        """Tick or untick choice ``index`` (multi mode)."""
        if 0 <= index < len(self.buttons):
            self.buttons[index].toggle()

    def ticked(self) -> frozenset[int]:
        """The choices ticked so far, numbered from 0 as shown."""
        return frozenset(i for i, button in enumerate(self.buttons) if button.isChecked())

    def mark(self, right: Collection[int], chosen: Collection[int]) -> None:
        """Mark the right choices and the wrong picks (numbered as shown); the rest fade.
        Tick boxes keep showing what was ticked."""
        for index, button in enumerate(self.buttons):
            if index in right:
                missed = self.multi and index not in chosen
                button.set_mark("missed" if missed else "right")
            else:
                button.set_mark("wrong" if index in chosen else "")
            button.setEnabled(index in right or index in chosen)
            button.setCheckable(False)  # no more ticking; the label keeps its ☑

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
        self._verdicts: list[QLabel] = []

    def set_rows(
        self, prompts: Sequence[str], prompt_texts: Sequence[str], answers: Sequence[str]
    ) -> None:
        """One row per prompt (HTML, and ``prompt_texts`` as read aloud); every row offers
        all ``answers`` (plain text)."""
        for widget in [*self._labels, *self.combos, *self._verdicts]:
            widget.deleteLater()
        self._labels, self.combos, self._verdicts = [], [], []
        for row, (prompt, spoken) in enumerate(zip(prompts, prompt_texts, strict=True)):
            label = named(QLabel(prompt), f"matchPrompt{row + 1}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            combo = named(QComboBox(), f"matchCombo{row + 1}")
            combo.addItems([NO_PICK, *answers])
            combo.setAccessibleName(f"Match for {spoken}")
            combo.setMinimumWidth(220)
            label.setBuddy(combo)
            verdict = named(QLabel(), f"matchVerdict{row + 1}")
            verdict.setTextFormat(Qt.TextFormat.RichText)
            verdict.hide()
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(combo, row, 1)
            self._grid.addWidget(verdict, row, 2)
            self._labels.append(label)
            self.combos.append(combo)
            self._verdicts.append(verdict)
        self.setVisible(bool(prompts))

    def picks(self) -> tuple[str | None, ...]:
        """The answer picked in each row, or None where nothing is picked."""
        return tuple(None if c.currentText() == NO_PICK else c.currentText() for c in self.combos)

    def mark(self, rows: Sequence[RowVerdict], right: str, wrong: str) -> None:
        """Show each row right or wrong (in the colours ``right`` and ``wrong``), with the
        right answer where it was missed."""
        for combo, verdict, row in zip(self.combos, self._verdicts, rows, strict=True):
            combo.setEnabled(False)
            if row.right:
                text = f'<span style="color:{right}; font-weight:600">{RIGHT_MARK}</span>'
            else:
                expected = html.escape(row.expected)
                text = (
                    f'<span style="color:{wrong}; font-weight:600">{WRONG_MARK}</span>'
                    f'&nbsp; <span style="color:{right}">→ {expected}</span>'
                )
            verdict.setText(text)
            verdict.setAccessibleName(
                "right" if row.right else f"wrong; the right match is {row.expected}"
            )
            verdict.show()

    def verdict_texts(self) -> list[str]:
        """What each row's mark says, as text (for tests and assistive technology)."""
        return [label.accessibleName() for label in self._verdicts]
