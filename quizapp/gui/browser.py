"""The browser: search the collection, see its cards or notes in a table, act on them.

Opening it shows the window at once; the search index is brought up to date off
the UI thread (with a progress bar when many notes wait), then the search runs:
the count and the first page come first, the ids of the other rows follow from
another thread.  Actions are :mod:`quizapp.gui.card_actions`'; after each, the
rows on screen are read again, and the window says what changed by ``changed``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import APP_NAME, App
from quizapp.domain.wording import count
from quizapp.errors import QuizAppError
from quizapp.gui.browser_menus import build_menus, table_menu
from quizapp.gui.browser_sidebar import BrowserSidebar
from quizapp.gui.browser_state import GEOMETRY, SPLITTER, BrowserState
from quizapp.gui.browser_table import CardTableView
from quizapp.gui.card_actions import CardActions, Changed, Selection
from quizapp.gui.card_table_model import CardTableModel
from quizapp.gui.errors import report_failure
from quizapp.gui.tasks import BackgroundTask, Progress
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import named, restyle
from quizapp.services.browser_lists import BrowserLists, browser_lists
from quizapp.services.search import CardRow, SearchService

SEARCH_HINT = 'Search: words, "a phrase", deck:A::B, tag:x, is:due, flag:1, prop:ivl>=10 …'


def browser_style(colors: Colors) -> str:
    """The browser's own rules, over the app's style sheet."""
    return f"""
    QLineEdit#browserSearch {{ font-size: 15px; }}
    QLineEdit#browserSearch[problem="true"] {{ border: 2px solid {colors.wrong}; }}
    QLabel#browserSearchError {{ color: {colors.wrong}; font-size: 14px; }}
    QTreeWidget#browserSidebar {{ font-size: 14px; }}
    QTreeWidget#browserSidebar::item {{ padding: 3px 2px; }}
    QTableView#browserTable {{
        font-size: 14px; border: 1px solid {colors.border}; border-radius: 8px;
        background: {colors.surface};
    }}
    QPushButton#browserCardsButton, QPushButton#browserNotesButton {{ min-width: 56px; }}
    QPushButton#browserCardsButton {{ border-top-right-radius: 0; border-bottom-right-radius: 0; }}
    QPushButton#browserNotesButton {{ border-top-left-radius: 0; border-bottom-left-radius: 0; }}
    QPushButton#browserCardsButton:checked, QPushButton#browserNotesButton:checked {{
        background: {colors.tint}; border-color: {colors.accent}; font-weight: 600;
    }}
    """


class BrowserWindow(QMainWindow):
    """The collection's cards (or notes) found by a search, and what can be done to them."""

    changed = Signal(object)  # Changed: what an action or an undo here changed
    rows_shown = Signal()  # a search's first rows are in the table
    editor_requested = Signal(int)  # a note id to edit

    def __init__(
        self,
        app: App,
        colors: Colors,
        settings: QSettings,
        undo_answer: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("browserWindow")
        self.setWindowTitle(f"Browse — {APP_NAME}")
        self.app = app
        self.search_service = SearchService(app.database, app.clock)
        self.state = BrowserState(settings)
        self.ready = False  # the index is up to date and a search has run
        self._pending_query: str | None = None
        self._select_card: int | None = None
        self.model = CardTableModel(self.search_service, colors, self)
        self.model.notes = self.state.notes_mode()
        self.model.sort_key, self.model.descending = self.state.sort()
        self.model.set_columns(self.state.columns(self.model.notes) or [])
        self.table = CardTableView(self.model)
        self.table.widths = self.state.widths()
        self.table.apply_widths()
        self.card_actions = CardActions(app, self, self.selection, undo_answer)
        self._build(colors)
        self._restore()
        self._history_timer = QTimer(self)  # changes made elsewhere, read once per burst
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(0)
        self._history_timer.timeout.connect(self.model.reload_rows)
        app.undo_history.subscribe(self._history_timer.start)

    def _build(self, colors: Colors) -> None:
        self.setStyleSheet(browser_style(colors))
        self.search_line = named(QLineEdit(), "browserSearch")
        self.search_line.setAccessibleName("Search")
        self.search_line.setPlaceholderText(SEARCH_HINT)
        self.search_line.setClearButtonEnabled(True)
        self.search_line.returnPressed.connect(self._on_search_entered)
        self.search_error = named(QLabel(), "browserSearchError")
        self.search_error.setWordWrap(True)
        self.search_error.setAccessibleName("Search problem")
        self.search_error.hide()
        self.cards_button = named(QPushButton("Cards"), "browserCardsButton")
        self.notes_button = named(QPushButton("Notes"), "browserNotesButton")
        self.mode_buttons = QButtonGroup(self)
        for button, tip in ((self.cards_button, "card"), (self.notes_button, "note")):
            button.setCheckable(True)
            button.setToolTip(f"One row per {tip} (Ctrl+Alt+T switches)")
            self.mode_buttons.addButton(button)
        self.mode_buttons.setExclusive(True)
        self.notes_button.toggled.connect(self._on_mode_toggled)
        self.sidebar = BrowserSidebar()
        self.sidebar.search_requested.connect(self._on_sidebar_search)
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "browserSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 900])
        top = QHBoxLayout()
        top.setSpacing(0)
        top.addWidget(self.search_line, 1)
        top.addSpacing(8)
        top.addWidget(self.cards_button)
        top.addWidget(self.notes_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.search_error)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.count_label = named(QLabel(), "browserCount")
        self.progress = named(QProgressBar(), "browserProgress")
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.count_label)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sorted)
        self.table.columns_chosen.connect(self._on_columns_chosen)
        self.table.context_menu_requested.connect(self._on_table_menu_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.card_actions.changed.connect(self._on_changed)
        menus = build_menus(self, self.card_actions)
        self.info_action, self.mode_action, self.flag_menu = menus
        self._show_mode()
        self.card_actions.set_enabled(False)

    def _restore(self) -> None:
        self.resize(1180, 720)
        self.setMinimumSize(760, 460)
        geometry = self.state.bytes(GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.state.bytes(SPLITTER)
        if splitter is not None:
            self.splitter.restoreState(splitter)

    # --- searching ----------------------------------------------------------------

    def open_with(self, query: str = "", card_id: int | None = None) -> None:
        """Show the window and search ``query`` once the search index is up to date,
        selecting the row of ``card_id`` when given."""
        self._select_card = card_id
        self.search_line.setText(query)
        self.show()
        if QGuiApplication.platformName() != "offscreen":  # which has no stacking order
            self.raise_()
        self.activateWindow()
        self.search_line.setFocus()
        if self.ready:
            self.search(query)
            return
        self._pending_query = query
        self.count_label.setText("Opening…")
        database, search = self.app.database, self.search_service

        def prepare(progress: Progress) -> BrowserLists:
            search.refresh(
                lambda done, total: progress("Indexing notes for search", done / max(1, total))
            )
            return browser_lists(database)

        task = BackgroundTask(prepare, self)
        task.progressed.connect(self._on_prepare_progressed)
        task.succeeded.connect(self._on_prepared)
        task.failed.connect(self._on_prepare_failed)
        task.start()

    def search(self, query: str) -> bool:
        """Search for ``query``; a malformed one is explained under the line (False)."""
        if not self.ready:
            self._pending_query = query
            return True
        try:
            found = self.model.run(query)
        except QuizAppError as error:
            self._show_search_problem(error.user_message)
            return False
        self._show_search_problem("")
        self._show_count(found)
        self._select_first()
        self._fetch_ids()
        self.rows_shown.emit()
        return True

    def _select_first(self) -> None:
        """Select the card asked for (the reviewer's), or else the first row."""
        rows = [0] if self.model.total else []
        if self._select_card is not None and self.model.total:
            if not self.model.notes:
                self.model.ensure_ids()
                rows = self.model.rows_of_ids([self._select_card]) or rows
            self._select_card = None
        if rows:
            self.table.select_rows(rows, rows[0])

    def _fetch_ids(self) -> None:
        if self.model.complete:
            return
        generation, work = self.model.id_search()
        task = BackgroundTask(lambda _progress: work(), self)
        task.succeeded.connect(lambda ids: self.model.set_ids(generation, ids))
        task.failed.connect(lambda error: report_failure(error, self.statusBar().showMessage))
        task.start()

    def focus_search(self) -> None:
        """Put the keyboard in the search line, its text selected."""
        self.search_line.setFocus()
        self.search_line.selectAll()

    def _show_search_problem(self, message: str) -> None:
        self.search_error.setText(message)
        self.search_error.setVisible(bool(message))
        restyle(self.search_line, "problem", bool(message))

    def _show_count(self, found: int) -> None:
        noun = "note" if self.model.notes else "card"
        self.count_label.setText(f"{count(found, noun)} found")
        self.setWindowTitle(f"Browse ({count(found, noun)}) — {APP_NAME}")

    def toggle_mode(self) -> None:
        """One row per note instead of per card, or back."""
        (self.cards_button if self.model.notes else self.notes_button).setChecked(True)

    def _show_mode(self) -> None:
        notes = self.model.notes
        for button in (self.cards_button, self.notes_button):
            button.blockSignals(True)
        (self.notes_button if notes else self.cards_button).setChecked(True)
        for button in (self.cards_button, self.notes_button):
            button.blockSignals(False)

    # --- what is selected, and what an action changed -----------------------------

    def selection(self) -> Selection:
        """The selected rows as cards and notes (for :class:`CardActions`)."""
        rows = self.table.selected_rows()
        if not rows:
            return Selection([], [])
        self.model.ensure_ids()
        ids = self.model.ids_of_rows(rows)
        current_index = self.table.currentIndex()
        current_row = current_index.row() if current_index.row() in rows else rows[0]
        if self.model.notes:
            card_ids = self.search_service.card_ids("nid:" + ",".join(map(str, ids)))
            current_note = self.model.ids_of_rows([current_row])
            firsts = self.search_service.card_ids("nid:" + ",".join(map(str, current_note)))
            first = self.search_service.rows_of(firsts[:1])
            return Selection(card_ids, ids, first[0] if first else None)
        current = self.model.row_at(current_row)
        note_ids = self.app.cards.notes_of(ids)
        return Selection(ids, note_ids, current if isinstance(current, CardRow) else None)

    def _on_changed(self, changed: Changed) -> None:
        rows = self.table.selected_rows()
        kept = self.model.ids_of_rows(rows)
        current = self.model.ids_of_rows([self.table.currentIndex().row()])
        if changed.found:
            try:
                found = self.model.rerun()
            except QuizAppError as error:
                self._show_search_problem(error.user_message)
                return
            self._show_count(found)
            new_rows = self.model.rows_of_ids(kept)
            current_rows = self.model.rows_of_ids(current)
            fallback = min(rows[0] if rows else 0, found - 1)
            if found:
                self.table.select_rows(
                    new_rows or [fallback], (current_rows or new_rows or [fallback])[0]
                )
        else:
            self.model.reload_rows()
        if changed.lists:
            self._reload_lists()
        if changed.message:
            self.statusBar().showMessage(changed.message, 8000)
        self.changed.emit(changed)

    def _reload_lists(self) -> None:
        try:
            self.sidebar.show_lists(browser_lists(self.app.database))
        except QuizAppError as error:
            self.statusBar().showMessage(error.user_message, 8000)

    # --- card info, the editor ----------------------------------------------------

    def show_card_info(self) -> None:
        """Card Info for the current card (a note's first card in notes mode)."""
        from quizapp.gui.card_info_dialog import show_card_info

        picked = self.actions_selection_current()
        if picked is not None:
            self.info_dialog = show_card_info(self.app, picked, self)

    def actions_selection_current(self) -> int | None:
        """The card the current row shows (a note's first card in notes mode)."""
        row = self.table.currentIndex().row()
        if row < 0:
            return None
        self.model.ensure_ids()
        ids = self.model.ids_of_rows([row])
        if not ids:
            return None
        if self.model.notes:
            cards = self.search_service.card_ids(f"nid:{ids[0]}")
            return cards[0] if cards else None
        return ids[0]

    def _open_editor(self, note_id: int) -> None:
        """Edit the note ``note_id`` (the main window wires this to the note editor)."""
        self.editor_requested.emit(note_id)

    # --- Qt's events and slots ----------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.app.undo_history.unsubscribe(self._history_timer.start)
        self.card_actions.close()
        self.state.save(
            self.saveGeometry(),
            self.splitter.saveState(),
            self.table.widths,
            self.model.notes,
            (self.model.sort_key, self.model.descending),
        )
        super().closeEvent(event)

    def _on_prepare_progressed(self, stage: str, fraction: float) -> None:
        self.progress.show()
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"{stage}: %p%")
        self.count_label.setText(stage + "…")

    def _on_prepared(self, lists: BrowserLists) -> None:
        self.progress.hide()
        self.sidebar.show_lists(lists)
        self.ready = True
        query = self._pending_query if self._pending_query is not None else ""
        self._pending_query = None
        self.search(query)

    def _on_prepare_failed(self, error: BaseException) -> None:
        self.progress.hide()
        report_failure(error, self._show_search_problem)
        self.count_label.setText("")

    def _on_search_entered(self) -> None:
        self.search(self.search_line.text())

    def _on_sidebar_search(self, query: str) -> None:
        self.search_line.setText(query)
        self.search(query)

    def _on_mode_toggled(self, notes: bool) -> None:
        self.state.save_columns(self.model.notes, [c.key for c in self.model.columns])
        wanted = self.state.columns(notes)
        try:
            found = self.model.run(self.model.query, notes=notes)
        except QuizAppError as error:
            self._show_search_problem(error.user_message)
            return
        if wanted:
            self.model.set_columns(wanted)
        self._show_mode()
        self._show_count(found)
        self._select_first()
        self._fetch_ids()

    def _on_sorted(self) -> None:
        # The model has searched again in the new order (QTableView's own slot ran first).
        self._select_first()
        self._fetch_ids()

    def _on_columns_chosen(self, keys: list[str]) -> None:
        self.state.save_columns(self.model.notes, keys)

    def _on_selection_changed(self) -> None:
        selected = len(self.table.selected_rows()) if self.table.selectionModel() else 0
        self.card_actions.set_enabled(selected > 0)
        self.info_action.setEnabled(selected > 0)

    def _on_table_menu_requested(self, position: QPoint) -> None:
        self.table_menu = table_menu(self.card_actions, self.flag_menu, self.info_action, self)
        self.table_menu.popup(position)

    def _on_table_double_clicked(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            return
        if self.model.notes:
            ids = self.model.ids_of_rows([row])
        else:
            current = self.model.row_at(row)
            ids = [current.note_id] if isinstance(current, CardRow) else []
        if ids:
            self._open_editor(ids[0])
