"""The reviewer: a card's question, its answer and explanation, and the grades."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum, auto
from functools import partial

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from quizapp.domain import (
    MatchingContent,
    MultipleResponseContent,
    NoteKind,
    Rating,
    TextFormat,
)
from quizapp.domain.notes import map_texts
from quizapp.errors import QuizAppError
from quizapp.exercises.choices import grade_matching, grade_multiple_response, matching_answers
from quizapp.exercises.grading import GradeResult
from quizapp.gui.answer_checks import check_exercise, feedback_html, grade_pick, grade_text
from quizapp.gui.answer_panels import plain
from quizapp.gui.card_html import CardRenderer, correct_choice, plain_to_html
from quizapp.gui.card_page import SCROLL_KEYS, CardPage
from quizapp.gui.errors import report_bug, show_error
from quizapp.gui.summary_view import SummaryView
from quizapp.gui.tasks import BackgroundTask
from quizapp.gui.theme import Colors
from quizapp.services import StudyCard, StudySession


class Phase(Enum):
    """Where the reviewer is with the card on screen."""

    QUESTION = auto()  # front shown; Space/Enter reveals
    CHOOSING = auto()  # one choice to pick by number key or click
    TICKING = auto()  # several choices to tick by number key; Enter checks
    MATCHING = auto()  # one answer to pick per row; Enter checks
    TYPING = auto()  # answer box focused; Enter checks
    ANSWER = auto()  # answer shown; 1-4 grade, Space/Enter takes the proposed grade
    FINISHED = auto()  # nothing left; the summary is shown


# Kinds whose grade follows from the answer; the learner just continues.
AUTO_GRADED = (
    NoteKind.MULTIPLE_CHOICE,
    NoteKind.TRUE_FALSE,
    NoteKind.MULTIPLE_RESPONSE,
    NoteKind.MATCHING,
)
FIRST_PHASE = {
    NoteKind.TYPED: Phase.TYPING,
    NoteKind.NUMERIC: Phase.TYPING,
    NoteKind.MULTIPLE_CHOICE: Phase.CHOOSING,
    NoteKind.TRUE_FALSE: Phase.CHOOSING,
    NoteKind.MULTIPLE_RESPONSE: Phase.TICKING,
    NoteKind.MATCHING: Phase.MATCHING,
}
log = logging.getLogger("quizapp")
IDLE_CHECKPOINT_MS = 3000
HINTS = {
    Phase.CHOOSING: "Pick an answer: press its number or click it",
    Phase.TICKING: "Tick every right answer with its number, then press Enter",
    Phase.MATCHING: "Pick a match in each row (Tab moves on), then press Enter",
}


class ReviewView(QWidget):
    """Shows the cards of a :class:`StudySession` and records the learner's grades."""

    back_requested = Signal()
    undo_available = Signal(bool)
    card_shown = Signal()

    def __init__(
        self, colors: Colors, renderer: CardRenderer | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._colors = colors
        self.renderer = renderer or CardRenderer()
        self.session: StudySession | None = None
        self.phase = Phase.FINISHED
        self.proposed: Rating | None = None
        self._given_answer: str | None = None
        self._timer = QElapsedTimer()
        # When the learner pauses after an answer, the database is tidied off the UI thread.
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(IDLE_CHECKPOINT_MS)
        self._idle_timer.timeout.connect(self._on_idle_timer_timeout)

        self.page = CardPage(self.grade)
        self.page.show_answer_button.clicked.connect(self._on_show_answer_clicked)
        self.page.check_button.clicked.connect(self.check)
        self.page.continue_button.clicked.connect(self._on_continue_clicked)
        self.page.answer_input.returnPressed.connect(self.check)
        self.page.choices.picked.connect(self._on_choice_picked)
        self.summary = SummaryView()
        self.summary.back_requested.connect(self.back_requested)
        self.summary.undo_requested.connect(self.undo)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.page)
        self.pages.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._build_shortcuts()

    def _build_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._space = QShortcut(
            QKeySequence(Qt.Key.Key_Space), self, self._on_accept_key, context=context
        )
        self._enter = [
            QShortcut(QKeySequence(key), self, self._on_accept_key, context=context)
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ]
        self._numbers = [
            QShortcut(QKeySequence(str(n)), self, partial(self._on_number_key, n), context=context)
            for n in range(1, 10)
        ]
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back_requested.emit, context=context)
        self._scrolls: dict[Qt.Key, QShortcut] = {}
        for key in SCROLL_KEYS:
            shortcut = QShortcut(QKeySequence(key), self, context=context)
            shortcut.activated.connect(partial(self.page.scroll_card, key))
            self._scrolls[key] = shortcut

    # -- showing ----------------------------------------------------------------

    def start(self, session: StudySession) -> None:
        """Show the first card of ``session``, or its summary if nothing is due."""
        self.session = session
        self.undo_available.emit(session.can_undo)
        self.show_current()
        self._in_background(session.prepare_exercises)

    def _in_background(self, work: Callable[[], object]) -> None:
        """Housekeeping off the UI thread; an expected failure is logged, not shown mid-review."""
        task = BackgroundTask(lambda _progress: work(), self)
        task.failed.connect(self._on_background_failed)
        task.start()

    def _on_background_failed(self, error: BaseException) -> None:
        if isinstance(error, QuizAppError):
            log.warning("Background work failed: %s", error.user_message)
        else:
            report_bug(error)

    def _on_idle_timer_timeout(self) -> None:
        if self.session is not None:
            self._in_background(self.session.checkpoint)

    @property
    def current(self) -> StudyCard | None:
        """The card on screen."""
        return None if self.session is None else self.session.current

    def show_current(self) -> None:
        """Show the session's current card from its question on, or the summary."""
        study_card = self.current
        if study_card is None:
            self._show_summary()
            return
        page, note, face = self.page, study_card.note, study_card.card.face
        self.pages.setCurrentWidget(page)
        page.deck_label.setText(study_card.deck_name)
        page.counts_label.setText(self._counts_html(study_card))
        exercise = study_card.exercise
        if exercise is not None:
            page.question_label.setText(self.renderer.text(note, exercise.question))
            phase = Phase.CHOOSING if exercise.choices else Phase.TYPING
            labels = tuple(plain_to_html(choice.label) for choice in exercise.choices)
        else:
            page.question_label.setText(self.renderer.question(note, face))
            phase = FIRST_PHASE.get(note.kind, Phase.QUESTION)
            labels = self.renderer.choices(note)
        page.clear_answer()
        self.proposed, self._given_answer = None, None
        page.choices.set_choices(labels, multi=phase is Phase.TICKING)
        content = note.content
        if isinstance(content, MatchingContent):
            prompts = [self.renderer.text(note, prompt) for prompt, _ in content.pairs]
            answers = [plain(self.renderer.text(note, a)) for a in matching_answers(content)]
            page.matching.set_rows(prompts, sorted(answers, key=str.casefold))
        else:
            page.matching.set_rows([], [])
        page.answer_input.start_over()
        page.answer_input.setVisible(phase is Phase.TYPING)
        page.answer_input.setPlaceholderText(
            "Type a number, then press Enter"
            if note.kind in (NoteKind.NUMERIC, NoteKind.EXERCISE)
            else "Type your answer, then press Enter"
        )
        self._set_phase(phase)
        page.scroll_card(Qt.Key.Key_Home)  # a new card starts at its top
        self._timer.restart()
        self.card_shown.emit()

    def _show_summary(self) -> None:
        assert self.session is not None
        deck_name = self.session.deck.name if self.session.deck else ""
        self.summary.show_summary(self.session.summary(), deck_name, self.session.can_undo)
        self._set_phase(Phase.FINISHED)
        self.pages.setCurrentWidget(self.summary)
        self.card_shown.emit()

    def _counts_html(self, study_card: StudyCard) -> str:
        counts, colors = study_card.counts, self._colors
        return (
            f'<span style="color:{colors.new}">{counts.new}</span>'
            f'&nbsp;&nbsp;<span style="color:{colors.learning}">{counts.learning}</span>'
            f'&nbsp;&nbsp;<span style="color:{colors.due}">{counts.due}</span>'
        )

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        page = self.page
        self._space.setEnabled(phase in (Phase.QUESTION, Phase.ANSWER, Phase.TICKING))
        for shortcut in self._enter:
            shortcut.setEnabled(
                phase in (Phase.QUESTION, Phase.ANSWER, Phase.TICKING, Phase.MATCHING)
            )
        for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):  # a matching row's list uses them
            self._scrolls[key].setEnabled(phase is not Phase.MATCHING)
        choices = len(page.choices.buttons)
        for number, shortcut in enumerate(self._numbers, start=1):
            shortcut.setEnabled(
                (phase in (Phase.CHOOSING, Phase.TICKING) and number <= choices)
                or (phase is Phase.ANSWER and not self._auto_graded() and number <= 4)
            )
        if phase is Phase.QUESTION:
            page.show_bottom(page.show_answer_button)
        elif phase in (Phase.TYPING, Phase.TICKING, Phase.MATCHING):
            page.show_bottom(page.check_button)
        elif phase is Phase.CHOOSING:
            page.choose_hint.setText(HINTS[phase])
            page.show_bottom(page.choose_hint)
        elif phase is Phase.ANSWER:
            page.show_bottom(page.continue_button if self._auto_graded() else page.grades)
        page.hint_label.setText(self._hint(phase))
        self.restore_focus()

    def restore_focus(self) -> None:
        """Give the keyboard focus to what the learner answers with now: the answer box,
        the first matching row, the summary's button, or the reviewer (for its keys)."""
        page = self.page
        if self.phase is Phase.TYPING:
            page.answer_input.setFocus()
        elif self.phase is Phase.MATCHING and page.matching.combos:
            page.matching.combos[0].setFocus()
        elif self.phase is Phase.FINISHED:
            self.summary.back_button.setFocus()
        else:
            self.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        # Focus given while the window or this page was hidden does not always survive
        # being shown (the first card of the app, a return from the deck list).
        super().showEvent(event)
        if not event.spontaneous():
            self.restore_focus()

    def _hint(self, phase: Phase) -> str:
        common = "Ctrl+Z undo · Esc decks"
        if phase is Phase.ANSWER and not self._auto_graded():
            default = self._default_grade().label
            return f"1 Again · 2 Hard · 3 Good · 4 Easy · Enter {default} · {common}"
        lead = {
            Phase.QUESTION: "Space show answer",
            Phase.CHOOSING: f"1–{len(self.page.choices.buttons)} choose",
            Phase.TICKING: f"1–{len(self.page.choices.buttons)} tick · Enter check",
            Phase.MATCHING: "Tab next row · Enter check",
            Phase.TYPING: "Enter check",
            Phase.ANSWER: "Enter continue",
        }.get(phase)
        return f"{lead} · {common}" if lead else common

    def _auto_graded(self) -> bool:
        study_card = self.current
        if study_card is None:
            return False
        if study_card.exercise is not None:
            return bool(study_card.exercise.choices)
        return study_card.note.kind in AUTO_GRADED

    def _default_grade(self) -> Rating:
        return self.proposed or Rating.GOOD

    # -- actions ----------------------------------------------------------------

    def reveal(self, result: GradeResult | None = None) -> None:
        """Show the answer and explanation; ``result`` proposes a grade."""
        study_card = self.current
        if study_card is None or self.phase in (Phase.ANSWER, Phase.FINISHED):
            return
        page, note, exercise = self.page, study_card.note, study_card.exercise
        if exercise is not None:  # the worked solution, with the numbers shown
            page.answer_label.setText(plain_to_html(exercise.expected))
            page.explanation_label.setText(self.renderer.text(note, exercise.explanation))
        else:
            page.answer_label.setText(self.renderer.answer(note, study_card.card.face))
            page.explanation_label.setText(self.renderer.text(note, note.explanation))
        page.separator.show()
        page.answer_label.show()
        page.explanation_label.setVisible(bool(page.explanation_label.text()))
        if result is not None:
            self.proposed = result.proposed
            page.feedback_label.setText(feedback_html(result, self._colors, self._author_text))
            page.feedback_label.show()
        for rating, button in page.grade_buttons.items():
            button.setText(f"{rating.label}\n{study_card.interval_label(rating)}")
            button.setProperty("proposed", result is not None and rating is self._default_grade())
            button.style().unpolish(button)
            button.style().polish(button)
        if self.proposed is not None:
            page.continue_button.setText(
                f"Continue  ·  graded {self.proposed.label}, back in "
                f"{study_card.interval_label(self.proposed)}  (Enter)"
            )
        self._set_phase(Phase.ANSWER)
        page.bring_into_view(page.feedback_label, page.answer_label)

    def choose(self, index: int) -> None:
        """Pick choice ``index`` of a multiple-choice or true/false card."""
        study_card = self.current
        if study_card is None or self.phase is not Phase.CHOOSING:
            return
        content = study_card.note.content
        exercise = study_card.exercise
        if exercise is not None:
            label = exercise.choices[index].label
            right = {i for i, choice in enumerate(exercise.choices) if choice.correct}
            self.page.choices.mark(right, {index})
            self._given_answer = label
            self.reveal(check_exercise(exercise, label))
            return
        labels = tuple(plain(label) for label in self.renderer.choices(study_card.note))
        correct = correct_choice(study_card.note)
        self.page.choices.mark({correct}, {index})
        self._given_answer = labels[index]
        self.reveal(grade_pick(content, index, correct, labels))

    def check(self) -> None:
        """Check a typed answer, ticked choices or matched rows, and propose a grade."""
        study_card = self.current
        if study_card is None or self.phase not in (Phase.TYPING, Phase.TICKING, Phase.MATCHING):
            return
        content = study_card.note.content
        if study_card.note.text_format is TextFormat.HTML:
            # Answers are compared as the learner reads them, not as markup.
            content = map_texts(content, plain)
        if isinstance(content, MultipleResponseContent):
            ticked = self.page.choices.ticked()
            result = grade_multiple_response(ticked, content)
            right = {i for i, weight in enumerate(content.weights) if weight > 0}
            self.page.choices.mark(right, ticked)
        elif isinstance(content, MatchingContent):
            picks = self.page.matching.picks()
            result = grade_matching(picks, content)
            self.page.matching.mark([answer for _, answer in content.pairs])
        else:
            typed = self.page.answer_input.text()
            if study_card.exercise is not None:
                result = check_exercise(study_card.exercise, typed)
            else:
                result = grade_text(content, typed)
            self.page.answer_input.setReadOnly(True)
        self._given_answer = result.given
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
        self._idle_timer.start()
        self.show_current()

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
        self.show_current()

    def _author_text(self, text: str) -> str:
        study_card = self.current
        return self.renderer.text(study_card.note, text) if study_card else plain_to_html(text)

    def _on_accept_key(self) -> None:
        if self.phase is Phase.QUESTION:
            self.reveal()
        elif self.phase is Phase.ANSWER:
            self.grade(self._default_grade())
        else:
            self.check()

    def _on_number_key(self, number: int) -> None:
        if self.phase is Phase.CHOOSING:
            self.choose(number - 1)
        elif self.phase is Phase.TICKING:
            self.page.choices.toggle(number - 1)
        elif self.phase is Phase.ANSWER and not self._auto_graded() and number <= 4:
            self.grade(Rating(number))

    def _on_choice_picked(self, index: int) -> None:
        if self.phase is Phase.CHOOSING:
            self.choose(index)

    def _on_show_answer_clicked(self) -> None:
        self.reveal()

    def _on_continue_clicked(self) -> None:
        self.grade(self._default_grade())
