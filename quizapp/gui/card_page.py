"""The reviewer's page: the card (question, answer widgets, answer, explanation) and its bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSlider,
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

from quizapp.domain import Rating
from quizapp.gui.answer_panels import ChoicePanel, MatchingPanel
from quizapp.gui.widgets import named

CARD_MAX_WIDTH = 820
CARD_MIN_HEIGHT = 300
# Keys that scroll a long card in every phase, even while the answer box has the focus.
SCROLL_ACTIONS = {
    Qt.Key.Key_Up: QAbstractSlider.SliderAction.SliderSingleStepSub,
    Qt.Key.Key_Down: QAbstractSlider.SliderAction.SliderSingleStepAdd,
    Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
    Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
    Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
    Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
}
SCROLL_KEYS = tuple(SCROLL_ACTIONS)


class AnswerInput(QLineEdit):
    """The answer box: a one-line answer has no use for the scrolling keys, and with
    nothing typed to take back, Ctrl+Z takes back the last answer instead."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            scrolls = event.key() in SCROLL_KEYS and not event.modifiers()
            undoes = event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable()
            if scrolls or undoes:
                event.ignore()  # the reviewer's shortcut gets it
                return True
        return super().event(event)

    def start_over(self) -> None:
        """Empty, writable, with nothing typed to take back (``clear`` could be undone)."""
        self.setText("")
        self.setReadOnly(False)


class CardPage(QWidget):
    """Widgets only; :class:`~quizapp.gui.review_view.ReviewView` drives them."""

    def __init__(self, grade: Callable[[Rating], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPage")
        self.deck_label = named(QLabel(), "deckLabel")
        self.deck_label.setAccessibleName("Deck")
        self.counts_label = named(QLabel(), "countsLabel")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setAccessibleName("Cards left: new, learning, due")
        top = QHBoxLayout()
        top.addWidget(self.deck_label, 1)
        top.addWidget(self.counts_label)

        # What happened to the previous card (changed elsewhere, set aside as a leech),
        # above the card until the next one.
        self.notice_label = named(QLabel(), "noticeBanner")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setAccessibleName("Notice")
        self.notice_label.setMaximumWidth(CARD_MAX_WIDTH)
        self.notice_label.hide()
        notice_row = QHBoxLayout()
        notice_row.addStretch(1)
        notice_row.addWidget(self.notice_label, 100)
        notice_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(notice_row)
        layout.addWidget(self._build_card(), 1)
        layout.addWidget(self._build_bottom(grade))
        self._to_bring_into_view: tuple[QWidget, ...] = ()
        # Fires once the layout requests posted by showing the answer have been handled;
        # a child of the page, so it never fires after the page is gone.
        self._laid_out = QTimer(self)
        self._laid_out.setSingleShot(True)
        self._laid_out.setInterval(0)
        self._laid_out.timeout.connect(self._on_laid_out)
        self.hint_label = named(QLabel(), "hintLabel")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint_label)

    def _build_card(self) -> QScrollArea:
        self.question_label = _text_label("questionLabel", "Question")
        self.choices = ChoicePanel()
        self.matching = MatchingPanel()
        self.answer_input = named(AnswerInput(), "answerInput")
        self.answer_input.setAccessibleName("Your answer")
        self.separator = named(QFrame(), "answerSeparator")
        self.separator.setFrameShape(QFrame.Shape.HLine)
        self.feedback_label = _text_label("feedbackLabel", "Feedback on your answer")
        self.answer_label = _text_label("answerLabel", "Answer")
        self.explanation_label = _text_label("explanationLabel", "Explanation")
        card = named(QWidget(), "card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(14)
        for widget in (
            self.question_label,
            self.choices,
            self.matching,
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
        scroll = self.card_scroll = named(QScrollArea(), "cardScroll")
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
        return scroll

    def _build_bottom(self, grade: Callable[[Rating], None]) -> QStackedWidget:
        self.bottom = named(QStackedWidget(), "bottomBar")
        self.bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.show_answer_button = _button(
            "Show answer  (Space)", "showAnswerButton", "Show the answer"
        )
        self.check_button = _button("Check  (Enter)", "checkButton", "Check your answer")
        self.choose_hint = named(QLabel(), "chooseHintLabel")
        for widget in (self.show_answer_button, self.check_button, self.choose_hint):
            holder = QWidget()
            holder_layout = QHBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            holder_layout.addStretch(1)
            holder_layout.addWidget(widget)
            holder_layout.addStretch(1)
            self.bottom.addWidget(holder)
        self.grade_buttons: dict[Rating, QPushButton] = {}
        self.grades = named(QWidget(), "gradeButtons")
        grades_layout = QHBoxLayout(self.grades)
        grades_layout.setContentsMargins(0, 0, 0, 0)
        grades_layout.addStretch(1)
        for rating in Rating:
            # Two lines from the start, as when they show the intervals: the bar's height
            # is its tallest page's, and must not grow once the first answer is shown.
            button = named(QPushButton(f"{rating.label}\n…"), f"grade{rating.label}Button")
            button.setProperty("grade", rating.name.lower())
            button.setAccessibleName(f"Grade {rating.label}")
            button.setMinimumWidth(118)
            button.setToolTip(f"Key {int(rating)}")
            button.clicked.connect(lambda _=False, r=rating: grade(r))
            grades_layout.addWidget(button)
            self.grade_buttons[rating] = button
        grades_layout.addStretch(1)
        self.bottom.addWidget(self.grades)
        return self.bottom

    def scroll_card(self, key: Qt.Key) -> None:
        """Scroll a long card as ``key`` (one of :data:`SCROLL_KEYS`) does in any document."""
        self.card_scroll.verticalScrollBar().triggerAction(SCROLL_ACTIONS[key])

    def bring_into_view(self, *widgets: QWidget) -> None:
        """Scroll so that ``widgets``, just shown, are on screen (the first wins if not all
        fit), once the card has been laid out again."""
        self._to_bring_into_view = widgets
        self._laid_out.start()

    def _on_laid_out(self) -> None:
        for widget in reversed(self._to_bring_into_view):
            if widget.isVisible():
                self.card_scroll.ensureWidgetVisible(widget, 0, 16)

    def show_bottom(self, widget: QWidget) -> None:
        """Show ``widget`` (a button, the hint, or the grade buttons) in the bottom bar."""
        target = widget if widget is self.grades else widget.parentWidget()
        assert target is not None
        self.bottom.setCurrentWidget(target)

    def show_notice(self, notice: str) -> None:
        """Show ``notice`` above the card, or hide the banner when it is empty."""
        self.notice_label.setText(notice)
        self.notice_label.setVisible(bool(notice))

    def clear_answer(self) -> None:
        """Hide everything below the question."""
        for widget in (
            self.separator,
            self.feedback_label,
            self.answer_label,
            self.explanation_label,
        ):
            widget.hide()


def _text_label(name: str, accessible: str) -> QLabel:
    label = named(QLabel(), name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(accessible)
    return label


def _button(text: str, name: str, accessible: str) -> QPushButton:
    button = named(QPushButton(text), name)
    button.setAccessibleName(accessible)
    button.setMinimumWidth(220)
    return button
