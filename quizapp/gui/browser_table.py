"""The browser's table view: rows of the model, columns picked from the header's context menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from quizapp.gui.browser_columns import columns_of
from quizapp.gui.card_table_model import CardTableModel

DEFAULT_WIDTHS = {
    "question": 340,
    "answer": 240,
    "deck": 170,
    "kind": 140,
    "due": 135,
    "tags": 150,
    "source": 150,
    "retrievability": 110,
}
OTHER_WIDTH = 96


class CardTableView(QTableView):
    """Shows a :class:`CardTableModel`; the header's menu picks columns (``columns_chosen``)."""

    columns_chosen = Signal(list)  # the keys, in order
    context_menu_requested = Signal(QPoint)  # where, on the screen

    def __init__(self, model: CardTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserTable")
        self.setAccessibleName("Cards found")
        self.setModel(model)
        self.table_model = model
        self.widths: dict[str, int] = {}
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        header.sectionResized.connect(self._on_section_resized)
        model.modelReset.connect(self.apply_widths)
        self.apply_widths()
        self.setSortingEnabled(True)  # a click on a header sorts by it, in SQL (model.sort)
        self.header_menu: QMenu | None = None

    def apply_widths(self) -> None:
        """Give each column its remembered width (or a default one)."""
        header = self.horizontalHeader()
        header.blockSignals(True)
        for number, column in enumerate(self.table_model.columns):
            width = self.widths.get(column.key, DEFAULT_WIDTHS.get(column.key, OTHER_WIDTH))
            self.setColumnWidth(number, width)
        header.blockSignals(False)
        key, descending = self.table_model.sort_key, self.table_model.descending
        section = self.table_model.column_of(key)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicatorShown(section is not None)
        if section is not None:
            header.blockSignals(True)
            header.setSortIndicator(section, order)
            header.blockSignals(False)

    def header_menu_for(self) -> QMenu:
        """The menu of every column of the mode, the shown ones ticked."""
        menu = QMenu(self)
        menu.setObjectName("columnsMenu")
        shown = [column.key for column in self.table_model.columns]
        for column in columns_of(self.table_model.notes):
            action = QAction(column.title, menu)
            action.setObjectName(f"column_{column.key}")
            action.setCheckable(True)
            action.setChecked(column.key in shown)
            # The last column left cannot be taken away: a table needs one.
            action.setEnabled(not (column.key in shown and len(shown) == 1))
            action.toggled.connect(lambda on, key=column.key: self.toggle_column(key, on))
            menu.addAction(action)
        return menu

    def toggle_column(self, key: str, shown: bool) -> None:
        """Show or hide the column ``key`` (a new one goes where the mode lists it)."""
        keys = [column.key for column in self.table_model.columns]
        if shown and key not in keys:
            order = [column.key for column in columns_of(self.table_model.notes)]
            keys.append(key)
            keys.sort(key=order.index)
        elif not shown and key in keys and len(keys) > 1:
            keys.remove(key)
        else:
            return
        self.table_model.set_columns(keys)
        self.columns_chosen.emit(keys)

    def select_rows(self, rows: Sequence[int], current: int | None = None) -> None:
        """Select these rows (in runs, fast for many) and make ``current`` the current one."""
        selection = QItemSelection()
        last_column = max(0, self.table_model.columnCount() - 1)
        model = self.table_model
        start = previous = None
        for row in sorted(rows):
            if start is None:
                start = previous = row
            elif previous is not None and row == previous + 1:
                previous = row
            else:
                selection.select(model.index(start, 0), model.index(previous or start, last_column))
                start = previous = row
        if start is not None:
            selection.select(model.index(start, 0), model.index(previous or start, last_column))
        selection_model = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        if current is not None and 0 <= current < model.rowCount():
            selection_model.setCurrentIndex(
                model.index(current, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.scrollTo(model.index(current, 0))
        selection_model.select(selection, flags | QItemSelectionModel.SelectionFlag.Rows)

    def selected_rows(self) -> list[int]:
        """The selected rows, in order."""
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        index = self.indexAt(event.pos())
        if index.isValid() and not self.selectionModel().isRowSelected(index.row()):
            self.select_rows([index.row()], index.row())
        self.context_menu_requested.emit(event.globalPos())

    def _on_header_menu_requested(self, position: QPoint) -> None:
        self.header_menu = self.header_menu_for()
        self.header_menu.popup(self.horizontalHeader().mapToGlobal(position))

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        columns = self.table_model.columns
        if 0 <= section < len(columns) and new > 0:
            self.widths[columns[section].key] = new
