"""The browser's table: a Qt model over a search, its rows read from SQL a page at a time.

A search keeps the ids it found, in the order shown (one query, sorted by SQL); the
rows themselves are read a page of :data:`PAGE` at a time when the view first asks
for one of them, so that 100,000 cards open and scroll at once.  A few pages are
kept; the others are read again when scrolled back to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from quizapp.errors import QuizAppError
from quizapp.gui.browser_columns import Column, columns_of, pick_columns
from quizapp.gui.flags import flag_icon
from quizapp.gui.theme import Colors
from quizapp.services.search import CardRow, NoteRow, Page, SearchService

PAGE = 100
PAGES_KEPT = 40
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex

# A flagged row's tint, by flag, in light and in dark.
LIGHT_TINTS = ("", "#fbdcda", "#fde5cb", "#d6efda", "#d7e6fb", "#f9daec", "#cdefe6", "#e6ddf9")
DARK_TINTS = ("", "#5c2b29", "#5a3f1c", "#264a2f", "#263f66", "#57294b", "#1d4a40", "#3f3063")


@dataclass(frozen=True, slots=True)
class RowColors:
    """The backgrounds that mark a row: flagged (its flag's tint), suspended, buried."""

    text: str
    flags: tuple[str, ...]
    suspended: str
    buried: str

    @classmethod
    def of(cls, colors: Colors) -> RowColors:
        """The row colours that go with the light or dark palette ``colors``."""
        if QColor(colors.window).lightness() < 128:
            return cls(colors.text, DARK_TINTS, suspended="#4d4519", buried="#3d3a34")
        return cls(colors.text, LIGHT_TINTS, suspended="#fbf3b9", buried="#e7e1d6")


class CardTableModel(QAbstractTableModel):
    """The cards (or, in notes mode, the notes) a search finds, with chosen columns."""

    def __init__(
        self, search: SearchService, colors: Colors, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._row_colors = RowColors.of(colors)
        self._icons = [QIcon()] + [flag_icon(flag) for flag in range(1, 8)]
        self.notes = False
        self.query = ""
        self.columns: list[Column] = pick_columns(False, None)
        self.sort_key = "added"
        self.descending = False
        self.ids: list[int] = []  # of the rows found, in order; the first page's at first
        self.total = 0  # rows found
        self.generation = 0  # which search the table shows
        self._pages: OrderedDict[int, dict[int, CardRow | NoteRow]] = OrderedDict()

    # --- what is shown ----------------------------------------------------------------

    def run(
        self,
        query: str,
        *,
        notes: bool | None = None,
        sort_key: str | None = None,
        descending: bool | None = None,
    ) -> int:
        """Search for ``query`` and show what it finds; how many.

        Only the count and the first page are read now; the ids of the other rows
        come from :meth:`id_search` (run it off the UI thread, then :meth:`set_ids`).
        A malformed search raises :class:`~quizapp.errors.UserError` and leaves the
        table as it was.
        """
        notes = self.notes if notes is None else notes
        key = self.sort_key if sort_key is None else sort_key
        descending = self.descending if descending is None else descending
        order = _order(notes, key)
        page: Page[CardRow] | Page[NoteRow]
        if notes:
            page = self._search.note_page(query, order, descending, 0, PAGE)
        else:
            page = self._search.page(query, order, descending, 0, PAGE)
        rows = {_id_of(row): row for row in page.rows}
        self._show(query, notes, key, descending, list(rows), page.total)
        self._pages[0] = rows
        return page.total

    def rerun(self) -> int:
        """The same search again, every id read now (after a deletion or an undo)."""
        order = _order(self.notes, self.sort_key)
        if self.notes:
            ids = self._search.note_ids(self.query, order, self.descending)
        else:
            ids = self._search.card_ids(self.query, order, self.descending)
        self._show(self.query, self.notes, self.sort_key, self.descending, ids, len(ids))
        return len(ids)

    @property
    def complete(self) -> bool:
        """Whether the id of every row found is known."""
        return len(self.ids) >= self.total

    def id_search(self) -> tuple[int, Callable[[], list[int]]]:
        """This search's number, and the work that finds all its ids (for :meth:`set_ids`)."""
        order = _order(self.notes, self.sort_key)
        query, descending, search = self.query, self.descending, self._search
        if self.notes:
            return self.generation, lambda: search.note_ids(query, order, descending)
        return self.generation, lambda: search.card_ids(query, order, descending)

    def set_ids(self, generation: int, ids: list[int]) -> None:
        """Every id the search ``generation`` found, in order (ignored once another ran)."""
        if generation != self.generation or self.complete:
            return
        if len(ids) != self.total:  # the collection changed meanwhile
            self._show(self.query, self.notes, self.sort_key, self.descending, ids, len(ids))
            return
        known = len(self.ids)
        self.ids = ids
        if known < len(ids):
            last = self.index(len(ids) - 1, max(0, len(self.columns) - 1))
            self.dataChanged.emit(self.index(known, 0), last)

    def ensure_ids(self) -> None:
        """Find every id now, if they are not all known yet (an action needs them)."""
        if not self.complete:
            generation, work = self.id_search()
            self.set_ids(generation, work())

    def _show(
        self, query: str, notes: bool, key: str, descending: bool, ids: list[int], total: int
    ) -> None:
        self.beginResetModel()
        self.generation += 1
        self.query, self.sort_key, self.descending = query, key, descending
        self.ids, self.total = ids, total
        if notes != self.notes:
            self.notes = notes
            self.columns = pick_columns(notes, None)  # the mode's own (the browser's choice after)
        self._pages.clear()
        self.endResetModel()

    def reload_rows(self) -> None:
        """Read the rows on screen again (the ids found are the same)."""
        self._pages.clear()
        if self.total and self.columns:
            last = self.index(self.total - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def set_columns(self, keys: Sequence[str]) -> None:
        """Show these columns, in this order."""
        self.beginResetModel()
        self.columns = pick_columns(self.notes, list(keys))
        self.endResetModel()

    def column_of(self, key: str) -> int | None:
        """Where the column ``key`` is shown, if it is."""
        keys = [column.key for column in self.columns]
        return keys.index(key) if key in keys else None

    def row_at(self, row: int) -> CardRow | NoteRow | None:
        """The row ``row`` as read from the collection (None: deleted meanwhile)."""
        if not 0 <= row < len(self.ids):
            return None  # not found, or its id not known yet
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
        else:
            self._pages.move_to_end(number)
        return page.get(self.ids[row])

    def rows_of_ids(self, ids: Sequence[int]) -> list[int]:
        """The rows where these ids are shown (those still found and known)."""
        wanted = set(ids)
        return [row for row, found in enumerate(self.ids) if found in wanted]

    def ids_of_rows(self, rows: Sequence[int]) -> list[int]:
        """The ids shown in these rows (call :meth:`ensure_ids` first for all of them)."""
        return [self.ids[row] for row in rows if 0 <= row < len(self.ids)]

    def _read_page(self, number: int) -> dict[int, CardRow | NoteRow]:
        ids = self.ids[number * PAGE : (number + 1) * PAGE]
        rows: Sequence[CardRow | NoteRow]
        try:
            rows = self._search.note_rows_of(ids) if self.notes else self._search.rows_of(ids)
        except QuizAppError:
            return {}  # a locked database: the cells stay empty until the next paint
        page = {_id_of(row): row for row in rows}
        self._pages[number] = page
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return page

    # --- Qt's calls ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's)
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802 (Qt's name)
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.UserRole:
                return self.columns[section].key
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.row() >= len(self.ids):
            return None  # its id is being found
        if role == ID_ROLE:
            return self.ids[index.row()]
        row = self.row_at(index.row())
        column = self.columns[index.column()]
        if row is None:
            first = role == Qt.ItemDataRole.DisplayRole and index.column() == 0
            return "(deleted)" if first else None
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ("question", "answer"):
            return getattr(row, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if isinstance(row, CardRow):
            return self._card_look(row, column, role)
        return None

    def _card_look(self, row: CardRow, column: Column, role: int) -> Any:
        colors = self._row_colors
        if role == Qt.ItemDataRole.DecorationRole and column.key == "flag" and row.flag:
            return self._icons[row.flag]
        if role == Qt.ItemDataRole.BackgroundRole:
            # As Anki: a flag's colour first, then suspended, then buried.
            if row.flag:
                return QColor(colors.flags[row.flag])
            if row.suspended:
                return QColor(colors.suspended)
            if row.buried:
                return QColor(colors.buried)
        if role == Qt.ItemDataRole.ForegroundRole and (row.flag or row.suspended or row.buried):
            return QColor(colors.text)  # the tints are made to read with the text colour
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        descending = order is Qt.SortOrder.DescendingOrder
        key = self.columns[column].key
        if (key, descending) == (self.sort_key, self.descending):
            return
        if self.generation == 0:  # nothing searched yet: the first search sorts so
            self.sort_key, self.descending = key, descending
            return
        self.run(self.query, sort_key=key, descending=descending)


def _id_of(row: CardRow | NoteRow) -> int:
    return row.note_id if isinstance(row, NoteRow) else row.card_id


def _order(notes: bool, key: str) -> Any:
    """The SQL order of the column ``key`` in this mode (by addition when it has none)."""
    by_key = {column.key: column.order for column in columns_of(notes)}
    return by_key.get(key, by_key["added"])
