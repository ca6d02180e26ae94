"""The statistics window (Go ▸ Statistics): charts for a scope and a period.

The figures are computed off the UI thread (:mod:`quizapp.gui.tasks`); a newer
request makes an older result stale, so changing the scope quickly never shows
the figures of a scope no longer chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.errors import QuizAppError
from quizapp.gui import stats_drawing as drawing
from quizapp.gui.charts import Chart, chart_colors
from quizapp.gui.errors import show_error
from quizapp.gui.tasks import BackgroundTask, Progress
from quizapp.gui.theme import Colors, current_colors
from quizapp.gui.widgets import named
from quizapp.services.statistics import Period, Scope, Statistics, StatisticsService

PERIODS = (Period.MONTH, Period.THREE_MONTHS, Period.YEAR, Period.ALL)
SEARCH_ITEM = "Search…"
# (object name, title, x axis, y axis) of each chart, in the order shown.
CHARTS = (
    ("forecastChart", "Future due", "day", "cards"),
    ("knowledgeChart", "Estimated knowledge (sum of retrievability)", "day", "cards known"),
    ("calendarChart", "Calendar: answers per day", "", ""),
    ("reviewsChart", "Reviews per day", "day", "answers"),
    ("minutesChart", "Time spent per day", "day", "minutes"),
    ("cardCountsChart", "Card counts", "", "cards"),
    ("intervalsChart", "Review intervals", "interval (days, from)", "cards"),
    ("stabilityChart", "Stability", "days, from", "cards"),
    ("difficultyChart", "Difficulty", "difficulty (1 easy – 10 hard)", "cards"),
    ("retrievabilityChart", "Retrievability now", "chance of recall (%, from)", "cards"),
    ("addedChart", "Cards added", "day", "cards"),
    ("hoursChart", "Success rate by hour", "hour of day", "% right"),
    ("buttonsChart", "Answer buttons", "cards", "answers"),
    ("kindsChart", "Accuracy per card kind", "% right", ""),
    ("familiesChart", "Exercises: accuracy per template family", "% right", ""),
)
WIDE = {"calendarChart", "reviewsChart"}


class StatsWindow(QWidget):
    """Charts of one scope and period; :attr:`drawn` says when all are drawn."""

    drawn = Signal()

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("statsWindow")
        self.setWindowTitle("Statistics")
        self.resize(1180, 860)
        self.service = StatisticsService(app.database, app.clock)
        self.colors: Colors = current_colors(QApplication.instance())  # type: ignore[arg-type]
        self.stats: Statistics | None = None
        self._generation = 0
        palette = chart_colors(self.colors)
        self.charts = {name: Chart(title, x, y, palette, name) for name, title, x, y in CHARTS}
        self._build()
        QShortcut(QKeySequence("Escape"), self, self.close)
        self.refresh()

    def _build(self) -> None:
        self.scope_box = named(QComboBox(), "scopeBox")
        self.scope_box.addItem("Whole collection", None)
        for deck in self.service.decks():
            self.scope_box.addItem(deck.name, deck)
        self.scope_box.addItem(SEARCH_ITEM, SEARCH_ITEM)
        self.scope_box.setMinimumWidth(260)
        self.search_edit = named(QLineEdit(), "searchEdit")
        self.search_edit.setPlaceholderText("a search, e.g. deck:Physics tag:exam")
        self.search_edit.setVisible(False)
        self.period_box = named(QComboBox(), "periodBox")
        for period in PERIODS:
            self.period_box.addItem(period.label, period)
        self.save_button = named(QPushButton("&Save as PNG…"), "saveButton")
        self.status = named(QLabel(""), "statsStatus")
        scope_label = QLabel("&Scope")
        scope_label.setBuddy(self.scope_box)
        period_label = QLabel("&Period")
        period_label.setBuddy(self.period_box)
        bar = QHBoxLayout()
        for widget in (scope_label, self.scope_box, self.search_edit, period_label):
            bar.addWidget(widget)
        bar.addWidget(self.period_box)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button)

        self.today_label = named(QLabel(), "todayLabel")
        self.retention_label = named(QLabel(), "retentionLabel")
        self.mistakes_label = named(QLabel(), "mistakesLabel")
        for label in (self.today_label, self.retention_label, self.mistakes_label):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setObjectName(label.objectName())
            label.setProperty("statsPanel", True)
        self.content = named(QWidget(), "statsContent")
        grid = QGridLayout(self.content)
        grid.setSpacing(14)
        grid.addWidget(self._panel(self.today_label), 0, 0)
        grid.addWidget(self._panel(self.retention_label), 0, 1)
        row, column = 1, 0
        for name, chart in self.charts.items():
            if name in WIDE:
                row, column = (row + 1, 0) if column else (row, 0)
                grid.addWidget(chart, row, 0, 1, 2)
                row += 1
                continue
            grid.addWidget(chart, row, column)
            row, column = (row, 1) if column == 0 else (row + 1, 0)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self._panel(self.mistakes_label), row, 1, alignment=top)
        scroll = named(QScrollArea(), "statsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

        self.scope_box.currentIndexChanged.connect(self._on_scope_changed)
        self.search_edit.returnPressed.connect(self.refresh)
        self.period_box.currentIndexChanged.connect(self._on_period_changed)
        self.save_button.clicked.connect(self._on_save_clicked)

    def _panel(self, label: QLabel) -> QWidget:
        panel = QWidget()
        panel.setObjectName("card")  # the style sheet's framed surface
        box = QVBoxLayout(panel)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(label)
        return panel

    def scope(self) -> Scope:
        """The scope chosen."""
        data = self.scope_box.currentData()
        if data == SEARCH_ITEM:
            return Scope(search=self.search_edit.text().strip())
        return Scope(deck=data)

    def period(self) -> Period:
        """The period chosen."""
        period: Period = self.period_box.currentData()
        return period

    def refresh(self) -> None:
        """Compute the figures of the chosen scope and period again, off the UI thread."""
        self._generation += 1
        generation, scope, period = self._generation, self.scope(), self.period()
        self.status.setText("Computing…")

        def work(progress: Progress) -> Statistics:
            return self.service.compute(scope, period)

        task = BackgroundTask(work, self)
        task.succeeded.connect(lambda stats: self._on_computed(generation, stats))
        task.failed.connect(lambda error: self._on_failed(generation, error))
        task.start()

    def show_statistics(self, stats: Statistics) -> None:
        """Draw every chart and panel of ``stats``."""
        self.stats = stats
        for chart in self.charts.values():
            chart.reset()
        c = self.charts
        palette = next(iter(c.values())).colors
        drawing.draw_forecast(c["forecastChart"], stats)
        drawing.draw_calendar(c["calendarChart"], stats)
        drawing.draw_reviews(c["reviewsChart"], c["minutesChart"], stats)
        drawing.draw_knowledge(c["knowledgeChart"], stats)
        drawing.draw_card_counts(c["cardCountsChart"], stats)
        drawing.draw_bins(c["intervalsChart"], stats.intervals, palette.young, "cards")
        drawing.draw_bins(c["stabilityChart"], stats.stability, palette.mature, "cards")
        drawing.draw_bins(c["difficultyChart"], stats.difficulty, palette.learning, "cards")
        drawing.draw_bins(c["retrievabilityChart"], stats.retrievability, palette.line, "cards")
        drawing.draw_added(c["addedChart"], stats)
        drawing.draw_hours(c["hoursChart"], stats)
        drawing.draw_buttons(c["buttonsChart"], stats)
        kinds = stats.kinds
        drawing.draw_accuracy(
            c["kindsChart"],
            [k.name.replace("_", " ") for k in kinds],
            [k.accuracy for k in kinds],
            palette.good,
        )
        families = stats.exercises
        drawing.draw_accuracy(
            c["familiesChart"],
            [f.name for f in families],
            [f.accuracy for f in families],
            palette.easy,
        )
        from quizapp.gui.stats_panels import mistakes_html, retention_html, today_html

        self.today_label.setText(today_html(stats, self.colors))
        self.retention_label.setText(retention_html(stats, self.colors))
        self.mistakes_label.setText(mistakes_html(stats, self.colors))
        period = "all of the history" if stats.period_days is None else self.period().label
        self.status.setText(f"{stats.scope} · {period}")
        self.drawn.emit()

    def save_png(self, path: str) -> None:
        """Save every chart and panel, as the window shows them, as one PNG image."""
        if not self.content.grab().save(path, "PNG"):
            raise QuizAppError(f"Could not write {path}.")

    def _on_computed(self, generation: int, stats: object) -> None:
        if generation == self._generation and isinstance(stats, Statistics):
            self.show_statistics(stats)

    def _on_failed(self, generation: int, error: object) -> None:
        if generation != self._generation:
            return
        self.status.setText("")
        if isinstance(error, QuizAppError):
            show_error(self, error)
        elif isinstance(error, Exception):
            raise error

    def _on_scope_changed(self, index: int) -> None:
        searching = self.scope_box.currentData() == SEARCH_ITEM
        self.search_edit.setVisible(searching)
        if searching:
            self.search_edit.setFocus()
            if not self.search_edit.text().strip():
                return  # Enter in the search box computes
        self.refresh()

    def _on_period_changed(self, index: int) -> None:
        self.refresh()

    def _on_save_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the statistics", "statistics.png", "PNG images (*.png)"
        )
        if name:
            try:
                self.save_png(name)
            except QuizAppError as error:
                show_error(self, error)
