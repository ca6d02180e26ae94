"""The main window: the deck list and the reviewer, with the menus over them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QStackedWidget

from quizapp import __version__
from quizapp.bootstrap import APP_NAME, App
from quizapp.domain import Deck
from quizapp.errors import QuizAppError
from quizapp.gui.deck_dialogs import DeckActions
from quizapp.gui.deck_list import CREATE_KEY, DeckListView
from quizapp.gui.errors import show_error
from quizapp.gui.review_view import Phase, ReviewView
from quizapp.gui.reviewer_actions import ReviewerActions
from quizapp.gui.tasks import wait_for_background_tasks
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import named
from quizapp.gui.window_state import WindowState
from quizapp.services.browser_lists import deck_search
from quizapp.services.card_html import CardRenderer
from quizapp.services.undo import Undone

if TYPE_CHECKING:  # the dialogs load their bank (and search) machinery only when opened
    from quizapp.gui.browser import BrowserWindow
    from quizapp.gui.card_actions import Changed
    from quizapp.gui.import_dialog import ImportDialog


class MainWindow(QMainWindow):
    """Decks on one page, the reviewer on the other; open it with :meth:`show_decks` or
    :meth:`study` (the deck list is computed only when it is shown)."""

    def __init__(
        self,
        app: App,
        colors: Colors,
        icon: QIcon | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.app = app
        self.colors = colors
        # What to remember between runs; the app's own QSettings unless a test gives one.
        self.settings = settings if settings is not None else QSettings()
        self.state = WindowState(self.settings)
        self.browser: BrowserWindow | None = None
        self.setWindowTitle(f"{app.database.path.name} — {APP_NAME}")
        if icon is not None:
            self.setWindowIcon(icon)
        self.resize(1040, 720)
        self.setMinimumSize(720, 520)
        geometry = self.state.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.setAcceptDrops(True)

        self.deck_list = DeckListView(colors)
        self.deck_list.collapsed = self.state.collapsed_decks()
        self.deck_list.study_requested.connect(self._on_deck_list_study_requested)
        self.deck_actions = DeckActions(app, self.deck_list, self)
        self.deck_actions.changed.connect(self._on_decks_changed)
        self.reviewer = ReviewView(colors, CardRenderer(app.media.folder, colors.accent))
        self.reviewer.back_requested.connect(self.show_decks)
        self.reviewer.undo_available.connect(self._on_reviewer_undo_available)
        self.reviewer_actions = ReviewerActions(app, self.reviewer)
        self.reviewer_actions.edit_requested.connect(self.edit_note)
        self.reviewer.phase_changed.connect(self._on_reviewer_phase_changed)
        self.deck_list.browse_requested.connect(self.browse)
        self.pages = named(QStackedWidget(), "pages")
        self.pages.addWidget(self.deck_list)
        self.pages.addWidget(self.reviewer)
        self.setCentralWidget(self.pages)
        self._build_menus()
        # Deck edits and note edits are undone from here too, not only answers.
        app.undo_history.subscribe(self._on_history_changed)
        self.statusBar().showMessage(str(app.database.path))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_action = named(QAction("&Import…", self), "importAction")
        import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        import_action.triggered.connect(self._on_import_triggered)
        file_menu.addAction(import_action)
        export_action = named(QAction("&Export…", self), "exportAction")
        export_action.setShortcut(QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self._on_export_triggered)
        file_menu.addAction(export_action)
        create_deck_action = named(QAction("&Create deck…", self), "createDeckAction")
        create_deck_action.setShortcut(CREATE_KEY)
        create_deck_action.triggered.connect(self.deck_actions.create_deck)
        file_menu.addAction(create_deck_action)
        file_menu.addSeparator()
        quit_action = named(QAction("&Quit", self), "quitAction")
        # The platform's Quit keys, and Ctrl+Q where it has none (Windows, offscreen).
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        quit_action.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = named(QAction("&Undo answer", self), "undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self._on_undo_triggered)
        edit_menu.addAction(self.undo_action)

        go_menu = self.menuBar().addMenu("&Go")
        decks_action = named(QAction("&Decks", self), "decksAction")
        decks_action.setShortcut(QKeySequence("D"))
        decks_action.triggered.connect(self.show_decks)
        go_menu.addAction(decks_action)
        study_action = named(QAction("&Study all decks", self), "studyAllAction")
        study_action.setShortcut(QKeySequence("Ctrl+S"))
        study_action.triggered.connect(self._on_study_all_triggered)
        go_menu.addAction(study_action)
        add_action = named(QAction("&Add note…", self), "addNoteAction")
        add_action.setShortcut(QKeySequence("A"))
        add_action.triggered.connect(self._on_add_triggered)
        go_menu.addAction(add_action)
        browse_action = named(QAction("&Browse", self), "browseAction")
        browse_action.setShortcut(QKeySequence("B"))
        browse_action.triggered.connect(self._on_browse_triggered)
        go_menu.addAction(browse_action)
        stats_action = named(QAction("S&tatistics", self), "statisticsAction")
        stats_action.setShortcut(QKeySequence("T"))  # as in Anki
        stats_action.triggered.connect(self._on_statistics_triggered)
        go_menu.addAction(stats_action)
        self._letter_actions = (add_action, browse_action, stats_action)

        help_menu = self.menuBar().addMenu("&Help")
        about_action = named(QAction("&About QuizApp", self), "aboutAction")
        about_action.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about_action)

    def show_decks(self) -> None:
        """Refresh the deck list and show it."""
        try:
            self.deck_list.show_decks(self.app.decks.overview(), self.state.last_deck())
        except QuizAppError as error:
            show_error(self, error)
        self.pages.setCurrentWidget(self.deck_list)
        self.deck_list.tree.setFocus()

    def study(self, deck: Deck | None) -> None:
        """Start a study session on ``deck`` (all decks when None)."""
        try:
            session = self.app.study(deck)
        except QuizAppError as error:
            show_error(self, error)
            return
        self.state.save_last_deck(deck.name if deck else None)
        self.pages.setCurrentWidget(self.reviewer)
        self.reviewer.start(session)  # which focuses the answer box, or itself for its keys

    def browse(self, query: str = "", card_id: int | None = None) -> BrowserWindow:
        """Open the browser (one window, raised when open) on ``query``, ``card_id`` selected."""
        from quizapp.gui.browser import BrowserWindow

        if self.browser is None:
            browser = BrowserWindow(
                self.app, self.colors, self.settings, self._undo_from_browser, self
            )
            browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            browser.changed.connect(self._on_browser_changed)
            browser.editor_requested.connect(self.edit_note)
            browser.destroyed.connect(self._on_browser_destroyed)
            self.browser = browser
        self.browser.open_with(query, card_id)
        return self.browser

    def import_files(self, paths: list[Path]) -> ImportDialog:
        """Open the import dialog on ``paths`` (it reads them at once, off the UI thread)."""
        from quizapp.gui.import_dialog import ImportDialog

        dialog = ImportDialog(self.app, paths, self)
        dialog.imported.connect(self._on_dialog_imported)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        # Focus given before the window was first shown is not kept by every platform.
        super().showEvent(event)
        if not event.spontaneous():
            if self.pages.currentWidget() is self.reviewer:
                self.reviewer.restore_focus()
            else:
                self.deck_list.tree.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.browser is not None:
            self.browser.close()  # it remembers its state, and lets go of the history
        self.app.undo_history.unsubscribe(self._on_history_changed)
        self.state.save(self.saveGeometry(), self.deck_list.collapsed)
        # Housekeeping still running on another thread would find the database closed.
        wait_for_background_tasks()
        self.app.close()
        super().closeEvent(event)

    def _on_deck_list_study_requested(self, deck: Deck | None) -> None:
        self.study(deck)

    def _on_study_all_triggered(self) -> None:
        self.study(None)

    def _on_reviewer_undo_available(self, available: bool) -> None:
        self.undo_action.setEnabled(available)
        # "Undo answer", or the action of another window on this collection taken back first.
        self.undo_action.setText("&" + self.reviewer.undo_label if available else "&Undo")

    def _on_history_changed(self) -> None:
        history = self.app.undo_history
        self.undo_action.setEnabled(history.can_undo)
        self.undo_action.setText("&" + history.label)

    def _on_decks_changed(self) -> None:
        self.show_decks()

    def edit_note(self, note_id: int) -> None:
        """The note editor on ``note_id`` (E in the reviewer, a double-click in the browser)."""
        from quizapp.gui.note_editor import NoteEditorDialog

        parent = (
            self.browser if self.browser is not None and self.browser.isActiveWindow() else self
        )
        try:
            dialog = NoteEditorDialog.for_note(parent, self.app, note_id)
        except QuizAppError as error:
            show_error(parent, error)
            return
        dialog.saved.connect(self._on_note_saved)
        self.editor = dialog
        dialog.show()

    def _on_add_triggered(self) -> None:
        from quizapp.gui.note_editor import NoteEditorDialog

        session = self.reviewer.session if self.pages.currentWidget() is self.reviewer else None
        deck = session.deck if session is not None else None
        dialog = NoteEditorDialog.for_new(self, self.app, deck.id if deck else None)
        dialog.saved.connect(self._on_note_saved)
        self.editor = dialog
        dialog.show()

    def _on_note_saved(self, saved: object) -> None:
        self.reviewer.refresh_after(
            Undone("", frozenset(), frozenset({getattr(saved, "note_id", -1)}))
        )
        if self.browser is not None:
            self.browser.model.reload_rows()
        if self.pages.currentWidget() is self.deck_list:
            self.show_decks()

    def _on_reviewer_phase_changed(self, phase: Phase) -> None:
        # A matching row picks its answer by typed letters: A, B and T are not commands then.
        for action in self._letter_actions:
            action.setEnabled(phase is not Phase.MATCHING)

    def _on_statistics_triggered(self) -> None:
        from quizapp.gui.stats_window import StatsWindow

        window = StatsWindow(self.app, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    def _on_browse_triggered(self) -> None:
        current = self.reviewer.current if self.pages.currentWidget() is self.reviewer else None
        if current is None:
            self.browse()
        else:  # the deck studied, the card on screen selected (as Anki)
            self.browse(deck_search(current.deck_name), current.card.id)

    def _undo_from_browser(self) -> None:
        """Ctrl+Z in the browser when the latest step is an answer: the session's own undo
        shows its card again."""
        if self.reviewer.session is not None:
            self.reviewer.undo()
            return
        try:
            self.app.undo_history.undo()
        except QuizAppError as error:
            show_error(self.browser, error)

    def _on_browser_changed(self, changed: Changed) -> None:
        self.reviewer.refresh_after(changed.undone)
        if self.pages.currentWidget() is self.deck_list:
            self.show_decks()

    def _on_browser_destroyed(self) -> None:
        self.browser = None

    def _on_undo_triggered(self) -> None:
        if self.pages.currentWidget() is self.reviewer and self.reviewer_actions.undo():
            return
        on_decks = self.pages.currentWidget() is self.deck_list
        if on_decks and self.deck_actions.undo_if_change(self.reviewer.session is not None):
            return
        if self.pages.currentWidget() is not self.reviewer:
            self.pages.setCurrentWidget(self.reviewer)
        self.reviewer.undo()

    def _on_import_triggered(self) -> None:
        from quizapp.gui.import_dialog import FILE_FILTER

        names, _ = QFileDialog.getOpenFileNames(self, "Import question banks", "", FILE_FILTER)
        if names:
            self.import_files([Path(name) for name in names])

    def _on_export_triggered(self) -> None:
        from quizapp.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self.app, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    def _on_dialog_imported(self, reports: object) -> None:
        self.show_decks()

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About QuizApp",
            f"<b>QuizApp {__version__}</b><br>Spaced-repetition study of machine-learning "
            "parameters, scheduled by FSRS.<br>MIT licence.",
        )
