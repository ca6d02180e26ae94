"""The fields of each kind of note, as forms: load a note's content, give it back edited.

Long texts are :class:`RichTextEdit` fields; choices, answers, pairs and feedback
are one-line fields of plain text.  In a note written in HTML a one-line field left
as it was keeps its markup; one typed anew is escaped.
"""

from __future__ import annotations

import html
import math

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QRadioButton, QWidget

from quizapp.bootstrap import App
from quizapp.domain import (
    ANY_NUMBER,
    BasicContent,
    ClozeContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)
from quizapp.gui.note_editor_rows import Column, FieldError, FieldForm, RowList, connect_all
from quizapp.gui.rich_text import RichTextEdit
from quizapp.gui.widgets import named
from quizapp.services.editor_support import plain_text

FIELD_TITLES = {"feedback": "Feedback", "credit": "Credit"}


class PlainLine:
    """Reads a one-line field in the note's format, keeping untouched HTML as it was."""

    def shown(self, text: str, is_html: bool) -> str:
        return plain_text(text) if is_html else text

    def read(self, text: str, original: str, is_html: bool) -> str:
        if not is_html:
            return text
        if original and plain_text(original) == text:
            return original
        return html.escape(text, quote=False)


class NoteForm(FieldForm):
    """The fields of one kind of note."""

    kind: NoteKind

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__()
        self.kind = kind
        self._app = app
        self.rich_fields: list[RichTextEdit] = []
        self._originals: dict[str, list[str]] = {}  # one-line texts as loaded

    def rich(self, key: str, title: str, height: int = 90) -> RichTextEdit:
        """A rich-text field ``key``."""
        edit = RichTextEdit(self._app, f"{key}Field")
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height * 2)  # room to spare goes below the form, not here
        self.add_field(key, title, edit)
        self.rich_fields.append(edit)
        edit.textChanged.connect(self.changed)
        return edit

    def line(self, key: str, title: str, placeholder: str = "") -> QLineEdit:
        """A one-line field ``key``."""
        edit = named(QLineEdit(), f"{key}Field")
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(title.replace("&", "").rstrip(":"))
        self.add_field(key, title, edit)
        edit.textChanged.connect(self.changed)
        return edit

    def rows(self, key: str, title: str, columns: list[Column], noun: str, **kw: bool) -> RowList:
        """A list of rows ``key``."""
        rows = RowList(f"{key}Rows", columns, noun, **kw)
        self.add_field(key, title, rows)
        rows.changed.connect(self.changed)
        return rows

    @property
    def first_field(self) -> QWidget:
        """Where the cursor starts."""
        return self.rich_fields[0]

    def first_text(self) -> str:
        """The first field's text, which a duplicate is told by."""
        return self.rich_fields[0].plain()

    def load(self, content: NoteContent, is_html: bool) -> None:
        """Show ``content``."""
        raise NotImplementedError

    def content(self, is_html: bool) -> NoteContent:
        """The content as the fields now hold it (texts in HTML when ``is_html``)."""
        raise NotImplementedError

    def _text(self, edit: RichTextEdit, is_html: bool) -> str:
        return edit.html() if is_html else edit.plain()

    def _remember(self, key: str, texts: list[str]) -> None:
        self._originals[key] = list(texts)

    def _read(self, key: str, index: int, text: str, is_html: bool) -> str:
        originals = self._originals.get(key, [])
        original = originals[index] if index < len(originals) else ""
        return PlainLine().read(text, original, is_html)


class BasicForm(NoteForm):
    """Front and back (a reversed note asks both ways)."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.front = self.rich("front", "&Front:")
        self.back = self.rich("back", "&Back:")

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, BasicContent)
        self.front.set_text(content.front, is_html)
        self.back.set_text(content.back, is_html)

    def content(self, is_html: bool) -> NoteContent:
        return BasicContent(self._text(self.front, is_html), self._text(self.back, is_html))


class ClozeForm(NoteForm):
    """A text with deletions ``{{c1::…}}`` (Ctrl+Shift+C) and an extra shown after."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.text = self.rich("text", "&Text:", 120)
        self.text.setPlaceholderText("Select words and press Ctrl+Shift+C to hide them")
        self.extra = self.rich("extra", "E&xtra:", 64)

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, ClozeContent)
        self.text.set_text(content.text, is_html)
        self.extra.set_text(content.extra, is_html)

    def content(self, is_html: bool) -> NoteContent:
        return ClozeContent(self._text(self.text, is_html), self._text(self.extra, is_html))


class TrueFalseForm(NoteForm):
    """A statement, whether it is true, and feedback for each pick."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.statement = self.rich("statement", "&Statement:")
        answer = QWidget()
        layout = QHBoxLayout(answer)
        layout.setContentsMargins(0, 0, 0, 0)
        self.true_button = named(QRadioButton("&True"), "trueButton")
        self.false_button = named(QRadioButton("F&alse"), "falseButton")
        self.true_button.setChecked(True)
        layout.addWidget(self.true_button)
        layout.addWidget(self.false_button)
        layout.addStretch(1)
        self.add_field("answer", "It is:", answer)
        connect_all([self.true_button], self.changed.emit)
        self.feedback_true = self.line("feedback_true", "If picked true:", "Feedback (optional)")
        self.feedback_false = self.line("feedback_false", "If picked false:", "Feedback (optional)")

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, TrueFalseContent)
        self.statement.set_text(content.statement, is_html)
        (self.true_button if content.answer else self.false_button).setChecked(True)
        lines = PlainLine()
        self.feedback_true.setText(lines.shown(content.feedback_true, is_html))
        self.feedback_false.setText(lines.shown(content.feedback_false, is_html))
        self._remember("feedback", [content.feedback_true, content.feedback_false])

    def content(self, is_html: bool) -> NoteContent:
        return TrueFalseContent(
            self._text(self.statement, is_html),
            self.true_button.isChecked(),
            self._read("feedback", 0, self.feedback_true.text(), is_html),
            self._read("feedback", 1, self.feedback_false.text(), is_html),
        )


class ChoiceForm(NoteForm):
    """A question and its choices: one right (a radio) or several (ticks), with credit."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.multi = kind is NoteKind.MULTIPLE_RESPONSE
        self.question = self.rich("question", "&Question:")
        columns = [
            Column("Choice", stretch=3),
            Column("Right", "right"),
            Column("Credit", "credit"),
            Column("Feedback when picked", stretch=2),
        ]
        self.choices = self.rows(
            "choices", "&Choices:", columns, "choice", exclusive=not self.multi
        )
        for _ in range(4):
            self.choices.add_row()
        self.fixed_order = named(QCheckBox("&Keep this order (do not shuffle)"), "fixedOrder")
        self.add_field("fixed_order", "", self.fixed_order)
        self.fixed_order.toggled.connect(self.changed)
        for field in ("answer", "answers", "weights", "feedback"):
            self.alias(field, "choices")

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, MultipleChoiceContent | MultipleResponseContent)
        self.question.set_text(content.question, is_html)
        lines = PlainLine()
        rows: list[list[object]] = []
        for index, choice in enumerate(content.choices):
            if isinstance(content, MultipleChoiceContent):
                right = index == content.correct
                weight = content.weights[index] if content.weights else float(right)
            else:
                weight = content.weights[index]
                right = weight > 0
            feedback = content.feedback[index] if content.feedback else ""
            rows.append([lines.shown(choice, is_html), right, weight * 100, feedback])
        self.choices.set_rows(rows)
        self._remember("choices", list(content.choices))
        self._remember("choice_feedback", list(content.feedback))
        self.fixed_order.setChecked(content.fixed_order)

    def content(self, is_html: bool) -> NoteContent:
        rows = self.choices.values()
        texts = tuple(self._read("choices", i, str(row[0]), is_html) for i, row in enumerate(rows))
        feedback = tuple(
            self._read("choice_feedback", i, str(row[3]), is_html) for i, row in enumerate(rows)
        )
        if not any(feedback):
            feedback = ()
        right = [bool(row[1]) for row in rows]
        credit = [float(str(row[2])) / 100 for row in rows]
        question = self._text(self.question, is_html)
        if self.multi:
            share = 1 / max(1, sum(right))
            weights = tuple(
                (c if c > 0 else share) if r else min(c, 0.0)
                for r, c in zip(right, credit, strict=True)
            )
            return MultipleResponseContent(
                question, texts, weights, feedback, self.fixed_order.isChecked()
            )
        correct = right.index(True) if any(right) else -1
        plain = tuple(float(r) for r in right)
        weights = () if tuple(credit) == plain else tuple(credit)
        return MultipleChoiceContent(
            question, texts, correct, weights, feedback, self.fixed_order.isChecked()
        )


class TypedForm(NoteForm):
    """A question answered by typing; every accepted answer, each with credit and feedback."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.question = self.rich("question", "&Question:")
        columns = [
            Column("Accepted answer (* matches any text)", stretch=3),
            Column("Credit", "credit"),
            Column("Feedback", stretch=2),
        ]
        self.answers = self.rows("answer", "&Answers:", columns, "answer")
        self.answers.add_row(["", 100.0, ""])
        for field in ("answers", "weights", "feedback"):
            self.alias(field, "answer")

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, TypedContent)
        self.question.set_text(content.question, is_html)
        lines = PlainLine()
        self.answers.set_rows(
            [
                [
                    lines.shown(answer, is_html),
                    (content.weights[index] if content.weights else 1.0) * 100,
                    content.feedback[index] if content.feedback else "",
                ]
                for index, answer in enumerate(content.answers)
            ]
        )
        self._remember("answers", list(content.answers))
        self._remember("feedback", list(content.feedback))

    def content(self, is_html: bool) -> NoteContent:
        rows = [row for row in self.answers.values() if str(row[0]).strip() or str(row[2])]
        answers = tuple(self._read("answers", i, str(r[0]), is_html) for i, r in enumerate(rows))
        credit = tuple(float(str(row[1])) / 100 for row in rows)
        feedback = tuple(self._read("feedback", i, str(r[2]), is_html) for i, r in enumerate(rows))
        return TypedContent(
            self._text(self.question, is_html),
            answers,
            () if all(c == 1 for c in credit) else credit,
            feedback if any(feedback) else (),
        )


def parse_number(text: str, field: str) -> float:
    """A number as typed (``1,000.5`` or ``1e-3``); a problem at ``field`` if it is none."""
    try:
        value = float(text.replace(",", "").replace("_", "").strip() or "nan")
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FieldError(field, f"'{text}' is not a number")
    return value


class NumericForm(NoteForm):
    """A question answered by a number, right within a tolerance; other accepted ranges."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.question = self.rich("question", "&Question:")
        self.answer = self.line("answer", "&Answer:", "The number, e.g. 55 or 0.001")
        self.tolerance = self.line("tolerance", "&Tolerance ±:", "0 (exactly)")
        self.unit = self.line("unit", "&Unit:", "Shown after the number (optional)")
        self.feedback = self.line("feedback", "Feedback:", "Shown for the right answer (optional)")
        columns = [
            Column("From"),
            Column("To"),
            Column("Credit", "credit"),
            Column("Feedback", stretch=2),
        ]
        self.alternatives = self.rows("alternatives", "Other ranges:", columns, "range")

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, NumericContent)
        self.question.set_text(content.question, is_html)
        self.answer.setText(f"{content.answer:g}")
        self.tolerance.setText(f"{content.tolerance:g}" if content.tolerance else "")
        self.unit.setText(content.unit)
        self.feedback.setText(PlainLine().shown(content.feedback, is_html))
        self._remember("feedback", [content.feedback])
        self.alternatives.set_rows(
            [
                [_bound(a.low), _bound(a.high), a.weight * 100, a.feedback]
                for a in content.alternatives
            ]
        )

    def content(self, is_html: bool) -> NoteContent:
        alternatives = tuple(
            NumericAlternative(
                _parse_bound(str(row[0]), -ANY_NUMBER, f"alternatives[{index}]"),
                _parse_bound(str(row[1]), ANY_NUMBER, f"alternatives[{index}]"),
                float(str(row[2])) / 100,
                str(row[3]),
            )
            for index, row in enumerate(self.alternatives.values())
        )
        tolerance = self.tolerance.text().strip()
        return NumericContent(
            self._text(self.question, is_html),
            parse_number(self.answer.text(), "answer"),
            parse_number(tolerance, "tolerance") if tolerance else 0.0,
            self.unit.text().strip(),
            alternatives,
            self._read("feedback", 0, self.feedback.text(), is_html),
        )


def _bound(value: float) -> str:
    return "" if abs(value) >= ANY_NUMBER else f"{value:g}"


def _parse_bound(text: str, open_end: float, field: str) -> float:
    return open_end if not text.strip() else parse_number(text, field)


class MatchingForm(NoteForm):
    """A question, the pairs to match, and answers that match nothing."""

    def __init__(self, app: App, kind: NoteKind) -> None:
        super().__init__(app, kind)
        self.question = self.rich("question", "&Question:", 64)
        columns = [Column("Prompt", stretch=2), Column("Its answer", stretch=2)]
        self.pairs = self.rows("pairs", "&Pairs:", columns, "pair")
        for _ in range(3):
            self.pairs.add_row()
        self.distractors = self.rows(
            "distractors", "Wrong answers:", [Column("Matches no prompt")], "wrong answer"
        )

    def load(self, content: NoteContent, is_html: bool) -> None:
        assert isinstance(content, MatchingContent)
        self.question.set_text(content.question, is_html)
        lines = PlainLine()
        self.pairs.set_rows(
            [
                [lines.shown(prompt, is_html), lines.shown(answer, is_html)]
                for prompt, answer in content.pairs
            ]
        )
        self._remember("prompts", [prompt for prompt, _ in content.pairs])
        self._remember("answers", [answer for _, answer in content.pairs])
        self.distractors.set_rows([[lines.shown(text, is_html)] for text in content.distractors])
        self._remember("distractors", list(content.distractors))

    def content(self, is_html: bool) -> NoteContent:
        pairs = tuple(
            (
                self._read("prompts", i, str(row[0]), is_html),
                self._read("answers", i, str(row[1]), is_html),
            )
            for i, row in enumerate(self.pairs.values())
            if str(row[0]).strip() or str(row[1]).strip()
        )
        distractors = tuple(
            self._read("distractors", i, str(row[0]), is_html)
            for i, row in enumerate(self.distractors.values())
            if str(row[0]).strip()
        )
        return MatchingContent(self._text(self.question, is_html), pairs, distractors)


FORMS: dict[NoteKind, type[NoteForm]] = {
    NoteKind.BASIC: BasicForm,
    NoteKind.BASIC_REVERSED: BasicForm,
    NoteKind.CLOZE: ClozeForm,
    NoteKind.TRUE_FALSE: TrueFalseForm,
    NoteKind.MULTIPLE_CHOICE: ChoiceForm,
    NoteKind.MULTIPLE_RESPONSE: ChoiceForm,
    NoteKind.TYPED: TypedForm,
    NoteKind.NUMERIC: NumericForm,
    NoteKind.MATCHING: MatchingForm,
}
