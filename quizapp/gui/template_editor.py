"""The exercise template form: variables, constraints, steps, formulas and distractors,
every problem shown at its field as it is typed, and a preview of a few seeded instances."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QWidget

from quizapp.bootstrap import App
from quizapp.domain import (
    Distractor,
    ExerciseContent,
    ExerciseTemplate,
    NoteContent,
    NoteKind,
    Step,
    ToleranceKind,
    Variable,
    VariableKind,
)
from quizapp.domain.exercises import Scalar
from quizapp.gui.note_editor_fields import NoteForm, parse_number
from quizapp.gui.note_editor_rows import Column, FieldError
from quizapp.gui.widgets import named
from quizapp.services.editor_support import TemplateCheck, check_template

KINDS = tuple(kind.value for kind in VariableKind)
PREVIEW_DELAY_MS = 350
VARIABLE_COLUMNS = [
    Column("Name", stretch=2),
    Column("Kind", "kind", KINDS),
    Column("Low"),
    Column("High"),
    Column("Step"),
    Column("Choices (a, b, c)", stretch=2),
    Column("Length from"),
    Column("to"),
]


def _scalar(text: str) -> Scalar:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def _number(text: str, field: str, default: float = 0) -> float:
    return parse_number(text, field) if text.strip() else default


class TemplateForm(NoteForm):
    """An exercise template, checked and previewed as it is written."""

    def __init__(self, app: App, kind: NoteKind = NoteKind.EXERCISE) -> None:
        super().__init__(app, kind)
        self.template_id = self.line("id", "&Id:", "A name for the template, e.g. dense-layer")
        self.question = self._plain("question", "&Question:", "{name} shows a variable's value")
        self.variables = self.rows("variables", "&Variables:", VARIABLE_COLUMNS, "variable")
        self.constraints = self.rows(
            "constraints", "Constraints:", [Column("Must hold, e.g. high > low")], "constraint"
        )
        self.steps = self.rows(
            "steps", "Steps:", [Column("Name"), Column("Formula", stretch=3)], "step"
        )
        self.answer = self.line("answer", "&Answer formula:", "e.g. weights + biases")
        self.unit = self.line("unit", "Unit:", "e.g. parameters (optional)")
        self.tolerance = self.line("tolerance", "Tolerance:", "0 (exactly)")
        self.tolerance_kind = named(QComboBox(), "toleranceKind")
        self.tolerance_kind.addItems([kind.value for kind in ToleranceKind])
        self.tolerance_kind.setAccessibleName("How the tolerance is read")
        self.tolerance_kind.currentTextChanged.connect(self.changed)
        self.add_field("tolerance_kind", "Tolerance is:", self.tolerance_kind)
        self.answer_choices = self.line("answer_choices", "Answer labels:", "a, b (optional)")
        self.multiple_choice = named(QCheckBox("Ask as &multiple choice"), "multipleChoice")
        self.multiple_choice.toggled.connect(self.changed)
        self.add_field("multiple_choice", "", self.multiple_choice)
        self.distractors = self.rows(
            "distractors",
            "&Distractors:",
            [
                Column("Wrong answer's formula", stretch=2),
                Column("The mistake it models", stretch=3),
            ],
            "distractor",
        )
        self.explanation = self._plain("explanation", "&Working:", "The worked solution")
        # Placed beside the form by the dialog, to stay in sight while the form scrolls.
        self.preview = named(QLabel(), "templatePreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.preview.setAccessibleName("Preview of instances")
        self.check: TemplateCheck | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_check)
        self.changed.connect(self._timer.start)

    def _plain(self, key: str, title: str, placeholder: str) -> QPlainTextEdit:
        edit = named(QPlainTextEdit(), f"{key}Field")
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(title.replace("&", "").rstrip(":"))
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(72)
        edit.textChanged.connect(self.changed)
        self.add_field(key, title, edit)
        return edit

    @property
    def first_field(self) -> QWidget:
        return self.template_id

    def first_text(self) -> str:
        return self.question.toPlainText()

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, ExerciseContent)
        template = content.template
        self.template_id.setText(template.template_id)
        self.question.setPlainText(template.question)
        self.variables.set_rows([_variable_row(variable) for variable in template.variables])
        self.constraints.set_rows([[constraint] for constraint in template.constraints])
        self.steps.set_rows([[step.name, step.formula] for step in template.steps])
        self.answer.setText(template.answer)
        self.unit.setText(template.unit)
        self.tolerance.setText(f"{template.tolerance:g}" if template.tolerance else "")
        self.tolerance_kind.setCurrentText(template.tolerance_kind.value)
        self.answer_choices.setText(", ".join(template.answer_choices))
        self.multiple_choice.setChecked(template.multiple_choice)
        self.distractors.set_rows([[d.formula, d.mistake] for d in template.distractors])
        self.explanation.setPlainText(template.explanation)
        self.refresh_check()

    def content(self, is_html: bool) -> NoteContent:
        return ExerciseContent(self.template())

    def template(self) -> ExerciseTemplate:
        """The template as written; :class:`FieldError` when a number is none."""
        labels = tuple(
            part.strip() for part in self.answer_choices.text().split(",") if part.strip()
        )
        return ExerciseTemplate(
            template_id=self.template_id.text().strip(),
            question=self.question.toPlainText().strip(),
            answer=self.answer.text().strip(),
            explanation=self.explanation.toPlainText().strip(),
            variables=tuple(
                _variable(row, index) for index, row in enumerate(self.variables.values())
            ),
            constraints=tuple(
                str(row[0]).strip() for row in self.constraints.values() if str(row[0]).strip()
            ),
            steps=tuple(
                Step(str(row[0]).strip(), str(row[1]).strip()) for row in self.steps.values()
            ),
            tolerance=_number(self.tolerance.text(), "tolerance"),
            tolerance_kind=ToleranceKind(self.tolerance_kind.currentText()),
            distractors=tuple(
                Distractor(str(row[0]).strip(), str(row[1]).strip())
                for row in self.distractors.values()
            ),
            answer_choices=labels,
            multiple_choice=self.multiple_choice.isChecked(),
            unit=self.unit.text().strip(),
        )

    def refresh_check(self) -> None:
        """Check the template now: problems at their fields, instances in the preview."""
        self._timer.stop()
        try:
            template = self.template()
        except FieldError as error:
            self.show_problems({error.field: [error.message]})
            self.preview.setText("")
            return
        self.check = check_template(template)
        self.show_problems(self.check.problems)
        self.preview.setText(_preview_html(self.check))


def _variable_row(variable: Variable) -> list[object]:
    listed = variable.kind is VariableKind.INTEGER_LIST
    return [
        variable.name,
        variable.kind.value,
        f"{variable.low:g}",
        f"{variable.high:g}",
        f"{variable.step:g}",
        ", ".join(str(choice) for choice in variable.choices),
        str(variable.length_low) if listed else "",
        str(variable.length_high) if listed else "",
    ]


def _variable(row: list[object], index: int) -> Variable:
    field = f"variables[{index}]"
    cells = [str(cell).strip() for cell in row]
    choices = tuple(_scalar(part.strip()) for part in cells[5].split(",") if part.strip())
    return Variable(
        name=cells[0],
        kind=VariableKind(cells[1]),
        low=_number(cells[2], field),
        high=_number(cells[3], field),
        step=_number(cells[4], field, 1),
        choices=choices,
        length_low=int(_number(cells[6], field)),
        length_high=int(_number(cells[7], field)),
    )


def _preview_html(check: TemplateCheck) -> str:
    if not check.instances:
        reason = check.failure or "Fix the problems above to see instances."
        return f"<i>{html.escape(reason)}</i>"
    parts = ["<p><b>Preview</b> — three instances, drawn as a learner would see them:</p>"]
    for instance in check.instances:
        choices = "".join(f"<br>&nbsp;&nbsp;{html.escape(c)}" for c in instance.choices)
        parts.append(
            f"<p><b>Seed {instance.seed}:</b> {html.escape(instance.question)}"
            f"<br>→ <b>{html.escape(instance.answer)}</b>{choices}"
            f"<br><small>{html.escape(instance.explanation)}</small></p>"
        )
    return "".join(parts)
