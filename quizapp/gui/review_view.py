"""The reviewer: a card's question, its answer and explanation, and the grades.

It renders what the study session presents and the verdict it returns, and routes
keys: what an answer is worth is decided by :meth:`StudySession.check`, how a card
is answered by its presentation's mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum, auto
from functools import partial
from html import escape

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from quizapp.domain import Rating
from quizapp.domain.answers import (
    AnswerMode,
    MatchedResponse,
    PickedResponse,
    Response,
    TickedResponse,
    TypedResponse,
    Verdict,
)
from quizapp.domain.numbers import format_number
from quizapp.errors import QuizAppError
from quizapp.gui.card_page import SCROLL_KEYS, CardPage
from quizapp.gui.errors import report_bug, show_error
from quizapp.gui.flags import FLAG_MARKS, FLAG_NAMES
from quizapp.gui.summary_view import SummaryView
from quizapp.gui.tasks import BackgroundTask
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import restyle
from quizapp.services import StudyCard, StudySession
from quizapp.services import card_text as text
from quizapp.services.card_html import CardRenderer, typing_prompt
from quizapp.services.undo import Undone
from quizapp.services.verdict_html import verdict_html


class Phase(Enum):
    """Where the reviewer is with the card on screen."""

    QUESTION = auto()  # front shown; Space/Enter reveals
    CHOOSING = auto()  # one choice to pick by number key or click
    TICKING = auto()  # several choices to tick by number key; Enter checks
    MATCHING = auto()  # one answer to pick per row; Enter checks
    TYPING = auto()  # answer box focused; Enter checks
    ANSWER = auto()  # answer shown; 1-4 grade, Space/Enter takes the proposed grade
    FINISHED = auto()  # nothing left; the summary is shown


FIRST_PHASE = {
    AnswerMode.REVEAL: Phase.QUESTION,
    AnswerMode.TYPE: Phase.TYPING,
    AnswerMode.PICK: Phase.CHOOSING,
    AnswerMode.TICK: Phase.TICKING,
    AnswerMode.MATCH: Phase.MATCHING,
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
    phase_changed = Signal(object)  # Phase: the letter keys step aside while rows are matched

    def __init__(
        self, colors: Colors, renderer: CardRenderer | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._colors = colors
        self.renderer = renderer or CardRenderer(highlight=colors.accent)
        self.session: StudySession | None = None
        self.phase = Phase.FINISHED
        self.verdict: Verdict | None = None
        self._timer = QElapsedTimer()
        # When the learner pauses after an answer, the database is tidied off the UI thread.
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(IDLE_CHECKPOINT_MS)
        self._idle_timer.timeout.connect(self._on_idle_timer_timeout)

        self.page = CardPage(self.grade)
        self.page.show_answer_button.clicked.connect(self._on_show_answer_clicked)
        self.page.check_button.clicked.connect(self.check)
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
        self.undo_available.emit(session.can_undo_latest)
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

    @property
    def proposed(self) -> Rating | None:
        """The grade the verdict on the card on screen proposes, if it was checked."""
        return None if self.verdict is None else self.verdict.proposed

    @property
    def undo_label(self) -> str:
        """What Ctrl+Z takes back: "Undo answer", "Undo suspend 3 cards"…"""
        return "Undo" if self.session is None else self.session.undo_label

    def show_current(self) -> None:
        """Show the session's current card from its question on, or the summary."""
        study_card = self.current
        if study_card is None:
            self._show_summary()
            return
        page, presentation = self.page, study_card.presentation
        self.pages.setCurrentWidget(page)
        page.show_notice(study_card.notice)
        self._show_marks(study_card)
        page.question_label.setText(self.renderer.card_question(study_card))
        phase = FIRST_PHASE[study_card.mode]
        page.clear_answer()
        self.verdict = None
        page.choices.set_choices(text.choice_texts(study_card), multi=phase is Phase.TICKING)
        page.matching.set_rows(
            self.renderer.match_prompts(study_card),
            text.match_prompt_texts(study_card),
            presentation.match_answers,
        )
        page.answer_input.start_over()
        page.answer_input.setVisible(phase is Phase.TYPING)
        page.answer_input.setPlaceholderText(typing_prompt(study_card))
        self._set_phase(phase)
        page.scroll_card(Qt.Key.Key_Home)  # a new card starts at its top
        self._timer.restart()
        self.card_shown.emit()

    def _show_marks(self, study_card: StudyCard) -> None:
        """The deck, the card's flag as a coloured mark, and the counts."""
        page, flag = self.page, study_card.card.flag
        mark = ""
        if flag:
            mark = (
                f'&nbsp;&nbsp;<span style="color:{FLAG_MARKS[flag]}; font-size:17px">●</span>'
                f"&nbsp;{FLAG_NAMES[flag]} flag"
            )
        page.deck_label.setTextFormat(Qt.TextFormat.RichText)
        page.deck_label.setText(escape(study_card.deck_name) + mark)
        page.deck_label.setProperty("flag", flag)
        page.counts_label.setText(self._counts_html(study_card))

    def reread(self, card_id: int) -> None:
        """The screen after a key of the reviewer acted on ``card_id``, or its undo: the
        card stays as shown when it can still be studied, else the next one comes."""
        if self.session is not None:
            self._follow(lambda session: session.reread(card_id))

    def refresh_after(self, undone: Undone) -> None:
        """The screen after another window (the browser) changed these cards or notes."""
        if self.session is not None:
            self._follow(lambda session: session.refresh(undone))

    def _follow(self, read: Callable[[StudySession], object]) -> None:
        assert self.session is not None
        before = self.current
        try:
            read(self.session)
        except QuizAppError as error:
            show_error(self, error)
            return
        after = self.current
        self.undo_available.emit(self.session.can_undo_latest)
        if before is not None and after is not None and after.presentation is before.presentation:
            self._show_marks(after)  # the same showing: only its marks and counts changed
        else:
            self.show_current()

    def _show_summary(self) -> None:
        assert self.session is not None
        deck_name = self.session.deck.name if self.session.deck else ""
        self.summary.show_summary(
            self.session.summary(),
            deck_name,
            self.session.undo_label if self.session.can_undo_latest else "",
            self.session.notice,
        )
        self._set_phase(Phase.FINISHED)
        self.pages.setCurrentWidget(self.summary)
        self.card_shown.emit()

    def _counts_html(self, study_card: StudyCard) -> str:
        counts, colors = study_card.counts, self._colors
        return (
            f'<span style="color:{colors.new}">{format_number(counts.new)}</span>'
            f'&nbsp;&nbsp;<span style="color:{colors.learning}">'
            f"{format_number(counts.learning)}</span>"
            f'&nbsp;&nbsp;<span style="color:{colors.due}">{format_number(counts.due)}</span>'
        )

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)
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
                or (phase is Phase.ANSWER and number <= len(Rating))
            )
        if phase is Phase.QUESTION:
            page.show_bottom(page.show_answer_button)
        elif phase in (Phase.TYPING, Phase.TICKING, Phase.MATCHING):
            page.show_bottom(page.check_button)
        elif phase is Phase.CHOOSING:
            page.choose_hint.setText(HINTS[phase])
            page.show_bottom(page.choose_hint)
        elif phase is Phase.ANSWER:
            page.show_bottom(page.grades)
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
        if phase is Phase.ANSWER:
            default = self._default_grade().label
            proposed = " (proposed)" if self.verdict is not None else ""
            return f"1 Again · 2 Hard · 3 Good · 4 Easy · Enter {default}{proposed} · {common}"
        last = format_number(len(self.page.choices.buttons))
        lead = {
            Phase.QUESTION: "Space show answer",
            Phase.CHOOSING: f"1–{last} choose",
            Phase.TICKING: f"1–{last} tick · Enter check",
            Phase.MATCHING: "Tab next row · Enter check",
            Phase.TYPING: "Enter check",
        }.get(phase)
        return f"{lead} · {common}" if lead else common

    def _default_grade(self) -> Rating:
        return self.proposed or Rating.GOOD

    # -- actions ----------------------------------------------------------------

    def reveal(self) -> None:
        """Show the answer, the explanation, the verdict if the answer was checked, and
        the grades with their intervals (the proposed one highlighted)."""
        study_card = self.current
        if study_card is None or self.phase in (Phase.ANSWER, Phase.FINISHED):
            return
        page, verdict = self.page, self.verdict
        page.answer_label.setText(self.renderer.card_answer(study_card))
        page.explanation_label.setText(self.renderer.card_explanation(study_card))
        page.separator.show()
        page.answer_label.show()
        page.explanation_label.setVisible(bool(page.explanation_label.text()))
        if verdict is not None:
            page.feedback_label.setText(
                verdict_html(verdict, study_card.mode, self._colors, self._author_html)
            )
            page.feedback_label.show()
        for rating, button in page.grade_buttons.items():
            button.setText(f"{rating.label}\n{study_card.interval_label(rating)}")
            restyle(button, "proposed", verdict is not None and rating is verdict.proposed)
        self._set_phase(Phase.ANSWER)
        page.bring_into_view(page.feedback_label, page.answer_label)

    def choose(self, index: int) -> None:
        """Pick choice ``index`` (from 0, as shown) of a card answered by picking one."""
        if self.phase is not Phase.CHOOSING:
            return
        verdict = self._check(PickedResponse(index))
        if verdict is not None:
            self.page.choices.mark(verdict.right_choices, verdict.chosen)
            self.reveal()

    def check(self) -> None:
        """Check a typed answer, ticked choices or matched rows, and propose a grade."""
        page = self.page
        if self.phase is Phase.TICKING:
            verdict = self._check(TickedResponse(page.choices.ticked()))
            if verdict is not None:
                page.choices.mark(verdict.right_choices, verdict.chosen)
        elif self.phase is Phase.MATCHING:
            verdict = self._check(MatchedResponse(page.matching.picks()))
            if verdict is not None:
                page.matching.mark(verdict.rows, self._colors.right, self._colors.wrong)
        elif self.phase is Phase.TYPING:
            verdict = self._check(TypedResponse(page.answer_input.text()))
            if verdict is not None:
                page.answer_input.setReadOnly(True)
        else:
            return
        if verdict is not None:
            self.reveal()

    def _check(self, response: Response) -> Verdict | None:
        """The session's verdict on ``response``, kept for the card on screen."""
        if self.session is None or self.current is None:
            return None
        try:
            self.verdict = self.session.check(response)
        except QuizAppError as error:
            show_error(self, error)
            return None
        return self.verdict

    def grade(self, rating: Rating) -> None:
        """Record ``rating`` for the card on screen and show the next one."""
        if self.session is None or self.phase is not Phase.ANSWER:
            return
        try:
            self.session.answer(rating, int(self._timer.elapsed()))
        except QuizAppError as error:
            show_error(self, error)
            return
        self.undo_available.emit(self.session.can_undo_latest)
        self._idle_timer.start()
        self.show_current()

    def undo(self) -> None:
        """Take back the latest step of the collection's history (the last answer, unless
        something was done since) and show the card on screen again."""
        if self.session is None or not self.session.can_undo_latest:
            return
        try:
            self.session.undo_latest()
        except QuizAppError as error:
            show_error(self, error)
        self.undo_available.emit(self.session.can_undo_latest)
        self.show_current()

    def _author_html(self, words: str) -> str:
        study_card = self.current
        if study_card is None:
            return ""
        return self.renderer.text(study_card.note, words)

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
        elif self.phase is Phase.ANSWER and number <= len(Rating):
            self.grade(Rating(number))

    def _on_choice_picked(self, index: int) -> None:
        if self.phase is Phase.CHOOSING:
            self.choose(index)

    def _on_show_answer_clicked(self) -> None:
        self.reveal()
