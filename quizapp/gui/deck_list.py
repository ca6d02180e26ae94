"""The deck list: each deck with its new / learning / due counts; Enter studies it.

A deck's context menu (right click, the Menu key or Shift+F10) studies, browses,
renames, deletes or exports it; dragging a deck onto another moves it under that
one, between two decks beside them, onto the empty area to the top.  The view only
asks: :class:`quizapp.gui.deck_dialogs.DeckActions` does the work.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from quizapp.domain import Deck, DeckCounts
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.domain.numbers import format_number
from quizapp.domain.wording import count
from quizapp.gui.theme import Colors
from quizapp.gui.widgets import named

DECK_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Deck", "New", "Learning", "Due")


RENAME_KEY = QKeySequence(Qt.Key.Key_F2)
DELETE_KEY = QKeySequence(Qt.Key.Key_Delete)
CREATE_KEY = QKeySequence("Ctrl+Shift+N")


def browse_search(deck: Deck) -> str:
    """The browser's search for a deck and its subdecks (its wildcards and quotes escaped)."""
    escaped = "".join("\\" + char if char in '\\"*_' else char for char in deck.name)
    return f'deck:"{escaped}"'


class DeckTree(QTreeView):
    """A tree of decks: Enter asks to study the current one, the Menu key opens its menu,
    and a deck dropped on another asks to move under it."""

    activated_by_key = Signal(QModelIndex)
    menu_requested = Signal(QModelIndex, QPoint)  # the deck's index, where (global)
    deck_dropped = Signal(QModelIndex, QModelIndex)  # the deck dragged, its new parent

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        # Not InternalMove: that lets Qt move the rows itself; here the drop asks the service.
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_by_key.emit(self.currentIndex())
            return
        shift_f10 = (
            event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        )
        if (event.key() == Qt.Key.Key_Menu or shift_f10) and self.currentIndex().isValid():
            self._menu_at_current()  # accepted here, so no context-menu event follows
            return
        super().keyPressEvent(event)

    def _menu_at_current(self) -> None:
        index = self.currentIndex()
        where = self.viewport().mapToGlobal(self.visualRect(index).bottomLeft())
        self.menu_requested.emit(index.siblingAtColumn(0), where)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()
        if event.reason() is not QContextMenuEvent.Reason.Mouse:  # a key: at the current deck
            self._menu_at_current()
            return
        index = self.indexAt(event.pos())
        if index.isValid():
            self.setCurrentIndex(index)
            self.menu_requested.emit(index.siblingAtColumn(0), event.globalPos())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        super().dragEnterEvent(event)
        if self._carries_deck(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt's name)
        super().dragMoveEvent(event)
        if self._carries_deck(event):  # only decks of this list, never files or text
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        """Ask for the move; the list is refilled from the database, so Qt moves no row."""
        dragged = self.currentIndex().siblingAtColumn(0)  # a drag starts at the current deck
        if not self._carries_deck(event) or not dragged.isValid():
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.deck_dropped.emit(dragged, self.drop_parent(event.position().toPoint()))

    def drop_parent(self, point: QPoint) -> QModelIndex:
        """The deck a deck dropped at ``point`` goes under: the deck there, or the parent of
        the deck whose top or bottom edge is there; the root on the empty area."""
        target = self.indexAt(point).siblingAtColumn(0)
        if not target.isValid():
            return QModelIndex()
        rect = self.visualRect(target)
        edge = max(2, rect.height() // 4)
        if rect.top() + edge <= point.y() < rect.bottom() - edge:
            return target
        return target.parent()

    def _carries_deck(self, event: QDropEvent) -> bool:
        model = self.model()
        return model is not None and event.mimeData().hasFormat(model.mimeTypes()[0])


class DeckListView(QWidget):
    """Lists decks and starts studying one on Enter, double-click or the Study button."""

    study_requested = Signal(object)  # Deck, or None for every deck
    browse_requested = Signal(str)  # the search that finds the deck's cards
    create_requested = Signal()
    rename_requested = Signal(object)  # Deck
    delete_requested = Signal(object)  # Deck
    export_requested = Signal(object)  # Deck
    move_requested = Signal(object, object)  # Deck, and its new parent Deck or None (top)

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckListView")
        self._colors = colors
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))

        title = named(QLabel("Decks"), "deckTitle")
        self.caption = named(QLabel(), "deckCaption")
        self.tree = named(DeckTree(), "deckTree")
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Decks")
        self.tree.setAccessibleDescription("Press Enter to study the selected deck")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 96)
        self.tree.activated_by_key.connect(self._on_tree_activated)
        self.tree.doubleClicked.connect(self._on_tree_activated)
        self.tree.collapsed.connect(self._on_tree_collapsed)
        self.tree.expanded.connect(self._on_tree_expanded)
        self.tree.menu_requested.connect(self._on_tree_menu_requested)
        self.tree.deck_dropped.connect(self._on_tree_deck_dropped)
        self.context_menu = self._build_context_menu()
        self._menu_deck: Deck | None = None
        # The deck to select at the next refill (one just made, renamed or moved), once.
        self.select_next: str | None = None
        # Full names of the decks folded by the learner; the others show their subdecks.
        self.collapsed: set[str] = set()

        self.study_button = named(QPushButton("&Study deck"), "studyButton")
        self.study_button.setProperty("primary", True)
        self.study_button.setAccessibleName("Study the selected deck")
        self.study_button.clicked.connect(self._on_study_clicked)
        self.study_all_button = named(QPushButton("Study &all decks"), "studyAllButton")
        self.study_all_button.setAccessibleName("Study all decks")
        self.study_all_button.clicked.connect(self._on_study_all_clicked)
        self.create_button = named(QPushButton("&Create deck"), "createDeckButton")
        self.create_button.setAccessibleName("Create a deck")
        self.create_button.setToolTip(f"Create a deck ({CREATE_KEY.toString()})")
        self.create_button.clicked.connect(self.create_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(self.caption, 1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.study_all_button)
        buttons.addWidget(self.study_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def show_decks(self, decks: list[DeckCounts], select: str | None = None) -> None:
        """Fill the tree, folding the :attr:`collapsed` decks, and select the current deck
        (``select`` when there is none yet, else the first)."""
        current = self.selected_deck()
        self.model.removeRows(0, self.model.rowCount())
        parents: dict[str, QStandardItem] = {}
        for counts in decks:
            row = self._row(counts)
            parent_name = counts.deck.name.rpartition(DECK_SEPARATOR)[0]
            parent = parents.get(parent_name, self.model.invisibleRootItem())
            parent.appendRow(row)
            parents[counts.deck.name] = row[0]
        folded = set(self.collapsed)
        for name, item in parents.items():
            if item.hasChildren():
                self.tree.setExpanded(item.index(), name not in folded)
        self.collapsed = folded  # decks not listed now stay remembered
        total = sum(c.total_now for c in decks if c.deck.depth == 0)
        self.caption.setText(
            f"{count(total, 'card')} to study now" if total else "Nothing to study now. Well done!"
        )
        wanted, self.select_next = self.select_next, None
        self._select(wanted or (current.name if current else select))

    def selected_deck(self) -> Deck | None:
        """The deck under the cursor."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        deck = index.siblingAtColumn(0).data(DECK_ROLE)
        return deck if isinstance(deck, Deck) else None

    def _build_context_menu(self) -> QMenu:
        """One menu for every deck; which deck it acts on is set as it opens."""
        menu = named(QMenu(self), "deckMenu")
        menu.setStyleSheet(
            "QMenu { padding: 4px; } QMenu::item { padding: 6px 28px 6px 22px; }"
            " QMenu::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        entries = (
            ("&Study", "deckStudyAction", None, self._on_menu_study),
            ("&Browse", "deckBrowseAction", None, self._on_menu_browse),
            ("&Rename…", "deckRenameAction", RENAME_KEY, self._on_menu_rename),
            ("E&xport…", "deckExportAction", None, self._on_menu_export),
            (None, "", None, None),
            ("&Delete…", "deckDeleteAction", DELETE_KEY, self._on_menu_delete),
        )
        for text, name, key, slot in entries:
            if text is None or slot is None:
                menu.addSeparator()
                continue
            action = named(QAction(text, menu), name)
            if key is not None:
                # Shown in the menu; the tree's own actions below take the key.
                action.setShortcut(key)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
        for key, slot in ((RENAME_KEY, self._on_menu_rename), (DELETE_KEY, self._on_menu_delete)):
            tree_action = QAction(self.tree)
            tree_action.setShortcut(key)
            tree_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            tree_action.triggered.connect(self._for_current(slot))
            self.tree.addAction(tree_action)
        return menu

    def _for_current(self, slot: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self._menu_deck = self.selected_deck()
            if self._menu_deck is not None:
                slot()

        return run

    def open_context_menu(self, deck: Deck, where: QPoint) -> QMenu:
        """Show the menu of ``deck`` at ``where`` (global), without waiting for a pick."""
        self._menu_deck = deck
        self.context_menu.setTitle(deck.name)
        self.context_menu.popup(where)
        return self.context_menu

    def _row(self, counts: DeckCounts) -> list[QStandardItem]:
        name = QStandardItem(counts.deck.leaf_name)
        name.setData(counts.deck, DECK_ROLE)
        name.setToolTip(f"{counts.deck.name} — {count(counts.cards, 'card')}")
        name.setAccessibleText(
            f"{counts.deck.name}: {format_number(counts.new)} new, "
            f"{format_number(counts.learning)} learning, {format_number(counts.due)} due"
        )
        items = [name]
        for value, color in (
            (counts.new, self._colors.new),
            (counts.learning, self._colors.learning),
            (counts.due, self._colors.due),
        ):
            item = QStandardItem(format_number(value))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(QColor(color if value else self._colors.muted))
            if value:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            items.append(item)
        return items

    def _select(self, name: str | None) -> None:
        first = self.model.index(0, 0)
        target = first
        if name is not None:
            for index in self.all_indexes():
                deck = index.data(DECK_ROLE)
                if isinstance(deck, Deck) and deck.name == name:
                    target = index
                    break
        # A deck inside a folded one is not on screen: its highest folded parent stands for it.
        parent = target.parent()
        while parent.isValid():
            if not self.tree.isExpanded(parent):
                target = parent
            parent = parent.parent()
        if target.isValid():
            self.tree.setCurrentIndex(target)

    def all_indexes(self) -> list[QModelIndex]:
        """The first-column index of every deck in the tree, folded ones too."""
        found: list[QModelIndex] = []
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                found.append(index)
                pending.append(index)
        return found

    def _on_tree_collapsed(self, index: QModelIndex) -> None:
        deck = index.siblingAtColumn(0).data(DECK_ROLE)
        if isinstance(deck, Deck):
            self.collapsed.add(deck.name)

    def _on_tree_expanded(self, index: QModelIndex) -> None:
        deck = index.siblingAtColumn(0).data(DECK_ROLE)
        if isinstance(deck, Deck):
            self.collapsed.discard(deck.name)

    def _on_tree_activated(self, index: QModelIndex) -> None:
        deck = index.siblingAtColumn(0).data(DECK_ROLE)
        if isinstance(deck, Deck):
            self.study_requested.emit(deck)

    def _on_tree_menu_requested(self, index: QModelIndex, where: QPoint) -> None:
        deck = index.data(DECK_ROLE)
        if isinstance(deck, Deck):
            self.open_context_menu(deck, where)

    def _on_tree_deck_dropped(self, dragged: QModelIndex, parent: QModelIndex) -> None:
        deck = dragged.data(DECK_ROLE)
        new_parent = parent.data(DECK_ROLE) if parent.isValid() else None
        if not isinstance(deck, Deck) or (new_parent is not None and new_parent == deck):
            return
        current_parent = deck.name.rpartition(DECK_SEPARATOR)[0]
        new_name = new_parent.name if isinstance(new_parent, Deck) else ""
        if new_name != current_parent:
            self.move_requested.emit(deck, new_parent)

    def _on_menu_study(self) -> None:
        if self._menu_deck is not None:
            self.study_requested.emit(self._menu_deck)

    def _on_menu_browse(self) -> None:
        if self._menu_deck is not None:
            self.browse_requested.emit(browse_search(self._menu_deck))

    def _on_menu_rename(self) -> None:
        if self._menu_deck is not None:
            self.rename_requested.emit(self._menu_deck)

    def _on_menu_export(self) -> None:
        if self._menu_deck is not None:
            self.export_requested.emit(self._menu_deck)

    def _on_menu_delete(self) -> None:
        if self._menu_deck is not None:
            self.delete_requested.emit(self._menu_deck)

    def _on_study_clicked(self) -> None:
        self.study_requested.emit(self.selected_deck())

    def _on_study_all_clicked(self) -> None:
        self.study_requested.emit(None)
