"""The deck list: each deck with its new / learning / due counts; Enter studies it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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


class DeckTree(QTreeView):
    """A tree of decks where Enter asks to study the current one."""

    activated_by_key = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_by_key.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DeckListView(QWidget):
    """Lists decks and starts studying one on Enter, double-click or the Study button."""

    study_requested = Signal(object)  # Deck, or None for every deck

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
        # Full names of the decks folded by the learner; the others show their subdecks.
        self.collapsed: set[str] = set()

        self.study_button = named(QPushButton("&Study deck"), "studyButton")
        self.study_button.setProperty("primary", True)
        self.study_button.setAccessibleName("Study the selected deck")
        self.study_button.clicked.connect(self._on_study_clicked)
        self.study_all_button = named(QPushButton("Study &all decks"), "studyAllButton")
        self.study_all_button.setAccessibleName("Study all decks")
        self.study_all_button.clicked.connect(self._on_study_all_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.caption, 1)
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
        self._select(current.name if current else select)

    def selected_deck(self) -> Deck | None:
        """The deck under the cursor."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        deck = index.siblingAtColumn(0).data(DECK_ROLE)
        return deck if isinstance(deck, Deck) else None

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
            for index in self._all_indexes():
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

    def _all_indexes(self) -> list[QModelIndex]:
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

    def _on_study_clicked(self) -> None:
        self.study_requested.emit(self.selected_deck())

    def _on_study_all_clicked(self) -> None:
        self.study_requested.emit(None)
