"""The reviewer: a card's question, its answer and explanation, and the grades."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.domain import NoteKind, NumericContent, Rating, TypedContent
from quizapp.errors import QuizAppError
from quizapp.exercises import GradeResult, grade_choice, grade_numeric, grade_typed
from quizapp.gui import card_html
from quizapp.gui.errors import show_error
from quizapp.gui.summary_view import SummaryView
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import named
from quizapp.services import StudyCard, StudySession

CARD_MAX_WIDTH = 820
CARD_MIN_HEIGHT = 300
_AUTO_GRADED = (NoteKind.MULTIPLE_CHOICE, NoteKind.TRUE_FALSE)
_TYPED = (NoteKind.TYPED, NoteKind.NUMERIC)


class Phase(Enum):
    """Where the reviewer is with the card on screen."""

    QUESTION = auto()  # front shown; Space/Enter reveals
    CHOOSING = auto()  # choices shown; a number key or click picks one
    TYPING = auto()  # answer box focused; Enter checks
    ANSWER = auto()  # answer shown; 1-4 grade, Space/Enter takes the proposed grade
    FINISHED = auto()  # nothing left; the summary is shown


class ReviewView(QWidget):
    """Shows the cards of a :class:`StudySession` and records the learner's grades."""

    back_requested = Signal()
    undo_available = Signal(bool)
    card_shown = Signal()

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._colors = colors
        self.session: StudySession | None = None
        self.phase = Phase.FINISHED
        self.proposed: Rating | None = None
        self._given_answer: str | None = None
        self._timer = QElapsedTimer()
        self._choice_buttons: list[QPushButton] = []

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_card_page())
        self.summary = SummaryView()
        self.summary.back_requested.connect(self.back_requested)
        self.summary.undo_requested.connect(self.undo)
        self.pages.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._build_shortcuts()

    # -- building ---------------------------------------------------------------

    def _build_card_page(self) -> QWidget:
        page = named(QWidget(), "cardPage")
        self.deck_label = named(QLabel(), "deckLabel")
        self.deck_label.setAccessibleName("Deck")
        self.counts_label = named(QLabel(), "countsLabel")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setAccessibleName("Cards left: new, learning, due")
        top = QHBoxLayout()
        top.addWidget(self.deck_label, 1)
        top.addWidget(self.counts_label)

        self.question_label = self._text_label("questionLabel", "Question")
        self.choices_box = named(QWidget(), "choicesBox")
        self.choices_layout = QVBoxLayout(self.choices_box)
        self.choices_layout.setContentsMargins(0, 8, 0, 0)
        self.choices_layout.setSpacing(8)
        self.answer_input = named(QLineEdit(), "answerInput")
        self.answer_input.setAccessibleName("Your answer")
        self.answer_input.setPlaceholderText("Type your answer, then press Enter")
        self.answer_input.returnPressed.connect(self._on_answer_input_return_pressed)
        self.separator = named(QFrame(), "answerSeparator")
        self.separator.setFrameShape(QFrame.Shape.HLine)
        self.feedback_label = self._text_label("feedbackLabel", "Feedback on your answer")
        self.answer_label = self._text_label("answerLabel", "Answer")
        self.explanation_label = self._text_label("explanationLabel", "Explanation")

        card = named(QWidget(), "card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(14)
        for widget in (
            self.question_label,
            self.choices_box,
            self.answer_input,
            self.separator,
            self.feedback_label,
            self.answer_label,
            self.explanation_label,
        ):
            card_layout.addWidget(widget)
        card_layout.addStretch(1)
        card.setMaximumWidth(CARD_MAX_WIDTH)
        card.setMinimumHeight(CARD_MIN_HEIGHT)
        card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        # The card is as tall as its content (at least CARD_MIN_HEIGHT), centred
        # horizontally; a long card scrolls.
        scroll = named(QScrollArea(), "cardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        centered = QWidget()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 100)
        row.addStretch(1)
        column = QVBoxLayout(centered)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addStretch(1)
        scroll.setWidget(centered)

        self.bottom = named(QStackedWidget(), "bottomBar")
        self.bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.show_answer_button = self._button(
            "Show answer  (Space)", "showAnswerButton", "Show the answer", self.reveal
        )
        self.check_button = self._button(
            "Check  (Enter)",
            "checkButton",
            "Check your answer",
            self._on_answer_input_return_pressed,
        )
        self.choose_hint = named(
            QLabel("Pick an answer: press its number or click it"), "chooseHintLabel"
        )
        self.continue_button = self._button(
            "", "continueButton", "Continue to the next card", self._on_continue_clicked
        )
        self.grade_buttons: dict[Rating, QPushButton] = {}
        grades = named(QWidget(), "gradeButtons")
        grades_layout = QHBoxLayout(grades)
        grades_layout.setContentsMargins(0, 0, 0, 0)
        grades_layout.addStretch(1)
        for rating in Rating:
            button = named(QPushButton(), f"grade{rating.label}Button")
            button.setProperty("grade", rating.name.lower())
            button.setAccessibleName(f"Grade {rating.label}")
            button.setMinimumWidth(118)
            button.setToolTip(f"Key {int(rating)}")
            button.clicked.connect(lambda _=False, r=rating: self.grade(r))
            grades_layout.addWidget(button)
            self.grade_buttons[rating] = button
        grades_layout.addStretch(1)
        for widget in (
            self.show_answer_button,
            self.check_button,
            self.choose_hint,
            self.continue_button,
        ):
            holder = QWidget()
            holder_layout = QHBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            holder_layout.addStretch(1)
            holder_layout.addWidget(widget)
            holder_layout.addStretch(1)
            self.bottom.addWidget(holder)
        self.bottom.addWidget(grades)
        self.hint_label = named(QLabel(), "hintLabel")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 18, 28, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.bottom)
        layout.addWidget(self.hint_label)
        return page

    def _text_label(self, name: str, accessible: str) -> QLabel:
        label = named(QLabel(), name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(accessible)
        return label

    def _button(
        self, text: str, name: str, accessible: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setAccessibleName(accessible)
        button.setMinimumWidth(220)
        button.clicked.connect(slot)
        return button

    def _build_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._accept_shortcuts = [
            QShortcut(QKeySequence(key), self, self._on_accept_key, context=context)
            for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ]
        self._number_shortcuts = [
            QShortcut(
                QKeySequence(str(n)), self, lambda n=n: self._on_number_key(n), context=context
            )
            for n in range(1, 10)
        ]
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back_requested.emit, context=context)

    # -- showing ----------------------------------------------------------------

    def start(self, session: StudySession) -> None:
        """Show the first card of ``session``, or its summary if nothing is due."""
        self.session = session
        self.undo_available.emit(session.can_undo)
        self._show_current()

    @property
    def current(self) -> StudyCard | None:
        """The card on screen."""
        return None if self.session is None else self.session.current

    def _show_current(self) -> None:
        study_card = self.current
        if study_card is None:
            self._show_summary()
            return
        note = study_card.note
        self.pages.setCurrentIndex(0)
        self.deck_label.setText(study_card.deck_name)
        self.counts_label.setText(self._counts_html(study_card))
        self.question_label.setText(card_html.question_html(note, study_card.card.face))
        for widget in (
            self.separator,
            self.feedback_label,
            self.answer_label,
            self.explanation_label,
        ):
            widget.hide()
        self.answer_input.clear()
        self.answer_input.setReadOnly(False)
        self.answer_input.setVisible(note.kind in _TYPED)
        self._fill_choices(card_html.choice_labels(note))
        self.proposed = None
        self._given_answer = None
        if note.kind in _TYPED:
            self.answer_input.setPlaceholderText(
                "Type a number, then press Enter"
                if note.kind is NoteKind.NUMERIC
                else "Type your answer, then press Enter"
            )
            self._set_phase(Phase.TYPING)
            self.answer_input.setFocus()
        elif note.kind in _AUTO_GRADED:
            self._set_phase(Phase.CHOOSING)
        else:
            self._set_phase(Phase.QUESTION)
        self._timer.restart()
        self.card_shown.emit()

    def _fill_choices(self, labels: tuple[str, ...]) -> None:
        for button in self._choice_buttons:
            button.deleteLater()
        self._choice_buttons = []
        for index, label in enumerate(labels):
            button = named(QPushButton(f"{index + 1}.  {label}"), f"choiceButton{index + 1}")
            button.setAccessibleName(f"Choice {index + 1}: {label}")
            button.setStyleSheet("text-align: left; padding: 10px 14px; font-size: 16px;")
            button.clicked.connect(lambda _=False, i=index: self.choose(i))
            self.choices_layout.addWidget(button)
            self._choice_buttons.append(button)
        self.choices_box.setVisible(bool(labels))

    def _show_summary(self) -> None:
        assert self.session is not None
        deck_name = self.session.deck.name if self.session.deck else ""
        self.summary.show_summary(self.session.summary(), deck_name, self.session.can_undo)
        self._set_phase(Phase.FINISHED)
        self.pages.setCurrentIndex(1)
        self.card_shown.emit()

    def _counts_html(self, study_card: StudyCard) -> str:
        counts = study_card.counts
        colors = self._colors
        return (
            f'<span style="color:{colors.new}" title="new">{counts.new}</span>'
            f'&nbsp;&nbsp;<span style="color:{colors.learning}">{counts.learning}</span>'
            f'&nbsp;&nbsp;<span style="color:{colors.due}">{counts.due}</span>'
        )

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        bottom_pages = {
            Phase.QUESTION: self.show_answer_button,
            Phase.TYPING: self.check_button,
            Phase.CHOOSING: self.choose_hint,
        }
        for shortcut in self._accept_shortcuts:
            shortcut.setEnabled(phase in (Phase.QUESTION, Phase.ANSWER))
        for number, shortcut in enumerate(self._number_shortcuts, start=1):
            shortcut.setEnabled(
                (phase is Phase.CHOOSING and number <= len(self._choice_buttons))
                or (phase is Phase.ANSWER and not self._auto_graded() and number <= 4)
            )
        if phase in bottom_pages:
            self._show_bottom(bottom_pages[phase])
        elif phase is Phase.ANSWER:
            if self._auto_graded():
                self._show_bottom(self.continue_button)
            else:
                self.bottom.setCurrentIndex(self.bottom.count() - 1)
        self.hint_label.setText(self._hint(phase))
        if phase in (Phase.QUESTION, Phase.CHOOSING):
            self.setFocus()

    def _show_bottom(self, widget: QWidget) -> None:
        parent = widget.parentWidget()
        assert parent is not None
        self.bottom.setCurrentWidget(parent)

    def _hint(self, phase: Phase) -> str:
        common = "Ctrl+Z undo · Esc decks"
        return {
            Phase.QUESTION: f"Space show answer · {common}",
            Phase.CHOOSING: f"1–{len(self._choice_buttons)} choose · {common}",
            Phase.TYPING: f"Enter check · {common}",
            Phase.ANSWER: (
                f"Enter continue · {common}"
                if self._auto_graded()
                else f"1 Again · 2 Hard · 3 Good · 4 Easy · Enter {self._default_grade().label}"
                f" · {common}"
            ),
            Phase.FINISHED: common,
        }[phase]

    def _auto_graded(self) -> bool:
        study_card = self.current
        return study_card is not None and study_card.note.kind in _AUTO_GRADED

    def _default_grade(self) -> Rating:
        return self.proposed or Rating.GOOD

    # -- actions ----------------------------------------------------------------

    def reveal(self, result: GradeResult | None = None) -> None:
        """Show the answer and explanation; ``result`` proposes a grade."""
        study_card = self.current
        if study_card is None or self.phase in (Phase.ANSWER, Phase.FINISHED):
            return
        note = study_card.note
        self.answer_label.setText(card_html.answer_html(note, study_card.card.face))
        self.explanation_label.setText(card_html.plain_to_html(note.explanation))
        self.separator.show()
        self.answer_label.show()
        self.explanation_label.setVisible(bool(note.explanation))
        if result is not None:
            self.proposed = result.proposed
            self.feedback_label.setText(self._feedback_html(result))
            self.feedback_label.show()
        for rating, button in self.grade_buttons.items():
            button.setText(f"{rating.label}\n{study_card.interval_label(rating)}")
            button.setProperty("proposed", rating is self._default_grade() and result is not None)
            button.style().unpolish(button)
            button.style().polish(button)
        if self.proposed is not None:
            self.continue_button.setText(
                f"Continue  ·  graded {self.proposed.label}, back in "
                f"{study_card.interval_label(self.proposed)}  (Enter)"
            )
        self._set_phase(Phase.ANSWER)
        self.setFocus()

    def choose(self, index: int) -> None:
        """Pick choice ``index`` of a multiple-choice or true/false card."""
        study_card = self.current
        if study_card is None or self.phase is not Phase.CHOOSING:
            return
        labels = card_html.choice_labels(study_card.note)
        correct = card_html.correct_choice(study_card.note)
        result = grade_choice(index, correct, labels)
        for position, button in enumerate(self._choice_buttons):
            mark = "right" if position == correct else "wrong" if position == index else ""
            button.setProperty("choice", mark)
            button.setStyleSheet(button.styleSheet())
            button.setEnabled(position in (index, correct))
        self._given_answer = labels[index]
        self.reveal(result)

    def check_typed_answer(self) -> None:
        """Compare the typed answer with the card's and propose a grade."""
        study_card = self.current
        if study_card is None or self.phase is not Phase.TYPING:
            return
        typed = self.answer_input.text()
        content = study_card.note.content
        if isinstance(content, NumericContent):
            result = grade_numeric(typed, content)
        else:
            assert isinstance(content, TypedContent)
            result = grade_typed(typed, content)
        self._given_answer = typed
        self.answer_input.setReadOnly(True)
        self.reveal(result)

    def grade(self, rating: Rating) -> None:
        """Record ``rating`` for the card on screen and show the next one."""
        if self.session is None or self.phase is not Phase.ANSWER:
            return
        try:
            self.session.answer(rating, int(self._timer.elapsed()), self._given_answer)
        except QuizAppError as error:
            show_error(self, error)
            return
        self.undo_available.emit(self.session.can_undo)
        self._show_current()

    def undo(self) -> None:
        """Take back the last answer and show its card again."""
        if self.session is None or not self.session.can_undo:
            return
        try:
            self.session.undo()
        except QuizAppError as error:
            show_error(self, error)
            return
        self.undo_available.emit(self.session.can_undo)
        self._show_current()

    def _feedback_html(self, result: GradeResult) -> str:
        colors = self._colors
        if result.correct:
            return f'<span style="color:{colors.right}; font-weight:600">✓ Correct</span>'
        verdict = f'<span style="color:{colors.wrong}; font-weight:600">✗ Not quite</span>'
        given = card_html.plain_to_html(result.given) or "<i>(no answer)</i>"
        if result.diff:
            given = card_html.diff_html(result.diff, colors.wrong, colors.right)
        note = f" — {card_html.plain_to_html(result.note)}" if result.note else ""
        return f"{verdict}<br>You answered: {given}{note}"

    def _on_accept_key(self) -> None:
        if self.phase is Phase.QUESTION:
            self.reveal()
        elif self.phase is Phase.ANSWER:
            self.grade(self._default_grade())

    def _on_number_key(self, number: int) -> None:
        if self.phase is Phase.CHOOSING:
            self.choose(number - 1)
        elif self.phase is Phase.ANSWER and not self._auto_graded() and number <= 4:
            self.grade(Rating(number))

    def _on_answer_input_return_pressed(self) -> None:
        self.check_typed_answer()

    def _on_continue_clicked(self) -> None:
        self.grade(self._default_grade())
