"""The note editor's building blocks: a form of labelled fields that shows each problem
at its field (a red outline and the sentence under it), and an editable list of rows
(choices, answers, pairs, variables, steps…)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.errors import UserError
from quizapp.gui.widgets import named, restyle

_INDEXED = re.compile(r"^(\w+)\[(\d+)\]$")


class FieldError(UserError):
    """A field the form cannot read (a number that is none): shown at the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a row list: ``text``, ``right`` (radio or tick), ``credit`` or ``kind``."""

    title: str
    kind: str = "text"
    choices: tuple[str, ...] = ()  # for ``kind``
    stretch: int = 1


CellWidget = QLineEdit | QAbstractButton | QDoubleSpinBox | QComboBox


class RowList(QWidget):
    """Rows of fields with an Add button and a remove button per row."""

    changed = Signal()

    def __init__(
        self, name: str, columns: Sequence[Column], noun: str, exclusive: bool = False
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self._columns = tuple(columns)
        self.noun = noun
        self.rows: list[list[CellWidget]] = []
        self._removers: list[QPushButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(exclusive)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._headers: list[QLabel] = []
        for column, spec in enumerate(columns):
            header = named(QLabel(spec.title), "rowHeader")
            header.hide()  # until there is a row to head
            self._headers.append(header)
            self._grid.addWidget(header, 0, column)
            self._grid.setColumnStretch(column, spec.stretch if spec.kind == "text" else 0)
        self.add_button = named(QPushButton(f"+ Add {noun}"), f"{name}Add")
        self.add_button.setAccessibleName(f"Add a {noun}")
        self.add_button.setProperty("addRow", True)
        self.add_button.clicked.connect(self._on_add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def add_row(self, values: Sequence[object] = ()) -> list[CellWidget]:
        """A new row at the end, filled with ``values`` (one per column) when given."""
        number = len(self.rows)
        row: list[CellWidget] = []
        for column, spec in enumerate(self._columns):
            value = values[column] if column < len(values) else None
            widget = self._cell(spec, value, number)
            self._grid.addWidget(widget, number + 1, column)
            row.append(widget)
        remover = named(QPushButton("✕"), "rowRemove")
        remover.setAccessibleName(f"Remove {self.noun} {number + 1}")
        remover.setToolTip(f"Remove this {self.noun}")
        remover.setFixedWidth(34)
        remover.clicked.connect(lambda: self.remove_row(self._removers.index(remover)))
        self._grid.addWidget(remover, number + 1, len(self._columns))
        self.rows.append(row)
        self._removers.append(remover)
        for header in self._headers:
            header.show()
        self.changed.emit()
        return row

    def remove_row(self, index: int) -> None:
        """Take row ``index`` away; the rows below move up."""
        values = [self.row_values(number) for number in range(len(self.rows)) if number != index]
        self.set_rows(values)

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Replace every row."""
        for row, remover in zip(self.rows, self._removers, strict=True):
            for widget in [*row, remover]:
                if isinstance(widget, QAbstractButton):
                    self._group.removeButton(widget)
                widget.hide()
                widget.deleteLater()
        self.rows, self._removers = [], []
        for header in self._headers:
            header.hide()
        for values in rows:
            self.add_row(values)
        self.changed.emit()

    def row_values(self, index: int) -> list[object]:
        """The values of row ``index``: str, bool, float (credit) or the kind's text."""
        values: list[object] = []
        for widget in self.rows[index]:
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QAbstractButton):
                values.append(widget.isChecked())
            elif isinstance(widget, QDoubleSpinBox):
                values.append(widget.value())
            else:
                values.append(widget.currentText())
        return values

    def values(self) -> list[list[object]]:
        """Every row's values, in order."""
        return [self.row_values(index) for index in range(len(self.rows))]

    def mark_row(self, index: int, problem: bool) -> None:
        """Outline the fields of row ``index`` in red, or not."""
        if 0 <= index < len(self.rows):
            for widget in self.rows[index]:
                restyle(widget, "problem", problem)

    def clear_marks(self) -> None:
        """No row outlined."""
        for index in range(len(self.rows)):
            self.mark_row(index, False)

    def _cell(self, spec: Column, value: object, number: int) -> CellWidget:
        widget: CellWidget
        if spec.kind == "right":
            exclusive = self._group.exclusive()
            widget = QRadioButton("Right") if exclusive else QCheckBox("Right")
            widget.setChecked(bool(value))
            self._group.addButton(widget)
            widget.toggled.connect(self.changed)
        elif spec.kind == "credit":
            widget = QDoubleSpinBox()
            widget.setRange(-100, 100)
            widget.setDecimals(0)
            widget.setSuffix(" %")
            widget.setValue(float(value) if isinstance(value, int | float) else 0.0)
            widget.valueChanged.connect(self.changed)
        elif spec.kind == "kind":
            widget = QComboBox()
            widget.addItems(list(spec.choices))
            if isinstance(value, str) and value in spec.choices:
                widget.setCurrentText(value)
            widget.currentTextChanged.connect(self.changed)
        else:
            widget = QLineEdit("" if value is None else str(value))
            widget.textChanged.connect(self.changed)
        widget.setAccessibleName(f"{self.noun} {number + 1}: {spec.title}")
        return widget

    def _on_add_clicked(self) -> None:
        row = self.add_row()
        row[0].setFocus()


class FieldForm(QWidget):
    """A grid of labelled fields, each with a place for its problems under it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        self._slots: dict[str, tuple[QWidget, QLabel]] = {}
        self._aliases: dict[str, str] = {}

    def alias(self, field: str, key: str) -> None:
        """Show the problems of ``field`` (which has no widget of its own) at ``key``."""
        self._aliases[field] = key

    def add_field(self, key: str, title: str, widget: QWidget) -> QWidget:
        """Add ``widget`` under the label ``title``; problems of ``key`` show at it."""
        row = self._grid.rowCount()
        label = named(QLabel(title), "fieldLabel")
        label.setBuddy(widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 6, 0, 0)
        problem = named(QLabel(), "fieldProblem")
        problem.setWordWrap(True)
        problem.hide()
        self._grid.addWidget(label, row, 0)
        self._grid.addWidget(widget, row, 1)
        self._grid.addWidget(problem, row + 1, 1)
        self._slots[key] = (widget, problem)
        return widget

    def problem_label(self, key: str) -> QLabel:
        """Where the problems of field ``key`` are written."""
        return self._slots[key][1]

    def has_field(self, key: str) -> bool:
        """Whether the form has a field ``key``."""
        return key in self._slots

    def show_problems(self, problems: dict[str, list[str]]) -> list[str]:
        """Mark each field at fault and write its sentences under it; the problems of
        fields this form does not have, for the dialog to show."""
        elsewhere: list[str] = []
        by_slot: dict[str, list[str]] = {}
        for widget, label in self._slots.values():
            restyle(widget, "problem", False)
            label.hide()
            if isinstance(widget, RowList):
                widget.clear_marks()
        for field, messages in problems.items():
            key, index = _slot_of(field)
            key = self._aliases.get(key, key)
            if key not in self._slots:
                elsewhere.extend(f"{field}: {message}" for message in messages)
                continue
            widget = self._slots[key][0]
            if isinstance(widget, RowList) and index is not None:
                widget.mark_row(index, True)
                prefix = f"{widget.noun.capitalize()} {index + 1}: "
            else:
                restyle(widget, "problem", True)
                prefix = ""
            by_slot.setdefault(key, []).extend(prefix + _sentence(m) for m in messages)
        for key, sentences in by_slot.items():
            label = self._slots[key][1]
            label.setText("\n".join(sentences))
            label.show()
        return elsewhere


def _slot_of(field: str) -> tuple[str, int | None]:
    match = _INDEXED.match(field)
    if match is None:
        return field, None
    return match.group(1), int(match.group(2))


def _sentence(message: str) -> str:
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def connect_all(widgets: Sequence[QWidget], slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever any of these fields changes."""
    for widget in widgets:
        for signal_name in ("textChanged", "changed", "toggled", "currentTextChanged"):
            signal = getattr(widget, signal_name, None)
            if signal is not None:
                signal.connect(lambda *_: slot())
                break
